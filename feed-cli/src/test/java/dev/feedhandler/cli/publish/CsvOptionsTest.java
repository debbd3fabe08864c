package dev.feedhandler.cli.publish;

import dev.feedhandler.publisher.source.ReplaySpeed;
import dev.feedhandler.publisher.source.csv.CsvConfiguration;
import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;
import dev.feedhandler.publisher.source.csv.CsvConfiguration.OnBadLine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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

        assertThat(configuration.files()).containsExactly("ticks.csv");
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
        assertThat(configuration("--file", "x", "--speed", "0.00001").speed()).isEqualTo(ReplaySpeed.MIN_SPEED);
        assertThat(configuration("--file", "x", "--speed", "1e300").speed()).as("every update due at once")
            .isEqualTo(1e300);
        assertThat(configuration("--file", "x", "--speed", "1.7976931348623157E308").speed())
            .isEqualTo(Double.MAX_VALUE);
        assertThat(configuration("--file", "x", "--delimiter", ";").delimiter()).isEqualTo((byte)';');
    }

    @Test
    void shouldRejectBadValuesWithOneLineNamingTheFlag()
    {
        final List<String[]> cases = List.of(
            new String[]{"--speed", "0"},
            new String[]{"--speed", "fast"},
            new String[]{"--speed", "-2"},
            new String[]{"--speed", "1e-300"},
            new String[]{"--speed", "0.000009"},
            new String[]{"--speed", "NaN"},
            new String[]{"--speed", "Infinity"},
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
        assertThatThrownBy(() -> configuration("--file", "x.csv", "--speed", "1e-300"))
            .hasMessage("--speed must be at least 0.00001 (one second of the recording then takes 27.8 hours) or " +
                "max, was '1e-300'");
        assertThatThrownBy(() -> configuration()).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--file is required with --source csv");
    }

    @Test
    void shouldTakeSeveralFilesAndTheSymbolFlags()
    {
        final CsvConfiguration configuration = configuration("--file", "a.csv", "--file", "data/*.csv.gz",
            "--file", "-", "--symbol", "EURUSD", "--zip-entries", "*.txt");

        assertThat(configuration.files()).containsExactly("a.csv", "data/*.csv.gz", "-");
        assertThat(configuration.symbol()).isEqualTo("EURUSD");
        assertThat(configuration.symbolFromName()).isNull();
        assertThat(configuration.zipEntries()).isEqualTo("*.txt");
        assertThat(configuration("--file", "x", "--symbol-from-name").symbolFromName())
            .as("without a pattern: the documented rule").isEqualTo(CsvConfiguration.DEFAULT_SYMBOL_PATTERN);
        assertThat(configuration("--file", "x", "--symbol-from-name", "^(\\w+)_").symbolFromName())
            .isEqualTo("^(\\w+)_");
        assertThat(configuration("--symbol-from-name", "--file", "x").symbolFromName())
            .as("a flag after it is not its pattern").isEqualTo(CsvConfiguration.DEFAULT_SYMBOL_PATTERN);
        assertThat(configuration("--file", "x").zipEntries()).isEqualTo(CsvConfiguration.DEFAULT_ZIP_ENTRIES);
    }

    @Test
    void shouldApplyAFormatPresetWhereNoFlagSaysOtherwise()
    {
        final CsvConfiguration dukascopy = configuration("--file", "x", "--format", "dukascopy");

        assertThat(dukascopy.columns()).containsExactly("time", "ask", "bid", "ask_size", "bid_size");
        assertThat(dukascopy.headerLine()).isTrue();
        assertThat(dukascopy.timePattern()).isEqualTo("yyyy.MM.dd HH:mm:ss.SSS");
        assertThat(dukascopy.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(dukascopy.sizeScale()).isEqualTo(1_000_000L);
        assertThat(dukascopy.normalizeSymbols()).isFalse();

        final CsvConfiguration overridden = configuration("--file", "x", "--format", "DUKASCOPY", "--size-scale",
            "1000", "--time-zone", "Europe/Zurich", "--no-header-line", "--time-pattern", "dd.MM.yyyy HH:mm:ss.SSS");
        assertThat(overridden.sizeScale()).isEqualTo(1000L);
        assertThat(overridden.timeZone()).isEqualTo(ZoneId.of("Europe/Zurich"));
        assertThat(overridden.headerLine()).isFalse();
        assertThat(overridden.timePattern()).isEqualTo("dd.MM.yyyy HH:mm:ss.SSS");

        assertThat(configuration("--file", "x", "--format", "truefx").normalizeSymbols()).isTrue();
        assertThat(configuration("--file", "x", "--format", "truefx", "--no-normalize-symbols").normalizeSymbols())
            .isFalse();
        final CsvConfiguration histData = configuration("--file", "x", "--format", "histdata");
        assertThat(histData.timeZone()).isEqualTo(ZoneId.of("-05:00"));
        assertThat(histData.columns()).containsExactly("time", "bid", "ask", "-");
        assertThat(configuration("--file", "x", "--format", "histdata", "--columns", "time,bid,ask").columns())
            .containsExactly("time", "bid", "ask");
        assertThat(configuration("--file", "x", "--format", "feed").columns()).isNull();
    }

    @Test
    void shouldRejectBadValuesOfTheNewFlagsWithOneLineNamingTheFlag()
    {
        final List<String[]> cases = List.of(
            new String[]{"--format", "metatrader"},
            new String[]{"--size-scale", "3"},
            new String[]{"--size-scale", "0"},
            new String[]{"--symbol-from-name", "(["},
            new String[]{"--zip-entries", "[a"},
            new String[]{"--symbol", " "});
        for (final String[] flag : cases)
        {
            assertThatThrownBy(() -> configuration("--file", "x.csv", flag[0], flag[1])).as(String.join(" ", flag))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(flag[0])
                .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> configuration("--file", "x", "--symbol", "A", "--symbol-from-name"))
            .hasMessage("--symbol and --symbol-from-name cannot be used together");
        assertThatThrownBy(() -> configuration("--file", "-", "--file", "-"))
            .hasMessage("--file - (standard input) is given more than once");
    }
}
