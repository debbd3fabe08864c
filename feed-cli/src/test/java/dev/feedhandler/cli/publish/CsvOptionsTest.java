package dev.feedhandler.cli.publish;

import dev.feedhandler.publisher.source.csv.CsvConfiguration;
import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;
import dev.feedhandler.publisher.source.csv.CsvConfiguration.OnBadLine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command-line flags of the csv source and their defaults.
 */
class CsvOptionsTest
{
    private static CsvConfiguration configuration(final String... args)
    {
        return CommandLine.populateCommand(new CsvOptions(), args).configuration(0);
    }

    @Test
    void shouldDefaultToAHeaderFileAtRecordedPaceFailingOnBadLines()
    {
        final CsvConfiguration configuration = configuration("--file", "ticks.csv");

        assertThat(configuration.file()).isEqualTo(Path.of("ticks.csv"));
        assertThat(configuration.columns()).isNull();
        assertThat(configuration.headerLine()).isFalse();
        assertThat(configuration.timePattern()).isNull();
        assertThat(configuration.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(configuration.epochUnit()).isEqualTo(EpochUnit.NS);
        assertThat(configuration.delimiter()).isEqualTo((byte)',');
        assertThat(configuration.normalizeSymbols()).isFalse();
        assertThat(configuration.speed()).isEqualTo(1.0);
        assertThat(configuration.onBadLine()).isEqualTo(OnBadLine.FAIL);
        assertThat(configuration.maxUpdates()).isZero();
        assertThat(configuration.bufferBytes()).isEqualTo(CsvConfiguration.DEFAULT_BUFFER_BYTES);
    }

    @Test
    void shouldReadEveryFlag()
    {
        final CsvConfiguration configuration = configuration("--file", "x.csv", "--columns", "symbol, time,-,bid,ask",
            "--header-line", "--time-pattern", "yyyyMMdd HH:mm:ss.SSS", "--time-zone", "Europe/London",
            "--epoch-unit", "MS", "--delimiter", "tab", "--normalize-symbols", "--speed", "2.5",
            "--on-bad-line", "skip");

        assertThat(configuration.columns()).containsExactly("symbol", "time", "-", "bid", "ask");
        assertThat(configuration.headerLine()).isTrue();
        assertThat(configuration.timePattern()).isEqualTo("yyyyMMdd HH:mm:ss.SSS");
        assertThat(configuration.timeZone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(configuration.epochUnit()).isEqualTo(EpochUnit.MS);
        assertThat(configuration.delimiter()).isEqualTo((byte)'\t');
        assertThat(configuration.normalizeSymbols()).isTrue();
        assertThat(configuration.speed()).isEqualTo(2.5);
        assertThat(configuration.onBadLine()).isEqualTo(OnBadLine.SKIP);
        assertThat(configuration("--file", "x", "--speed", "max").speed()).isEqualTo(CsvConfiguration.MAX_SPEED);
        assertThat(configuration("--file", "x", "--speed", "10x").speed()).isEqualTo(10.0);
        assertThat(configuration("--file", "x", "--delimiter", ";").delimiter()).isEqualTo((byte)';');
    }

    @Test
    void shouldRejectBadValuesWithOneLineNamingTheFlag()
    {
        final List<String[]> cases = List.of(
            new String[]{"--speed", "0"},
            new String[]{"--speed", "fast"},
            new String[]{"--speed", "-2"},
            new String[]{"--epoch-unit", "min"},
            new String[]{"--on-bad-line", "ignore"},
            new String[]{"--time-zone", "Mars/Olympus"},
            new String[]{"--delimiter", "ab"},
            new String[]{"--delimiter", "\""},
            new String[]{"--header-line"});
        for (final String[] flag : cases)
        {
            final String[] args = {"--file", "x.csv", flag[0], flag.length > 1 ? flag[1] : "--normalize-symbols"};
            assertThatThrownBy(() -> configuration(args)).as(String.join(" ", flag))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(flag[0])
                .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> configuration()).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--file is required with --source csv");
    }
}
