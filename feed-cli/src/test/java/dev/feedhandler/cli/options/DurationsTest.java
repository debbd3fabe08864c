package dev.feedhandler.cli.options;

import dev.feedhandler.common.testing.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Durations on the command line: a number and a unit, seconds when the unit is missing.
 */
class DurationsTest
{
    @ParameterizedTest
    @CsvSource({
        "100ns, 100",
        "250us, 250000",
        "10ms, 10000000",
        "0.5ms, 500000",
        "5s, 5000000000",
        "1.5s, 1500000000",
        "7, 7000000000",
        "0, 0",
        "2m, 120000000000",
        "1h, 3600000000000",
        "10MS, 10000000",
        "' 3s ', 3000000000",
    })
    void shouldParseANumberAndAUnit(final String text, final long nanos)
    {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
        assertThat(new Durations().convert(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "ms", "abc", "10x", "-1s", "1..5s", "10 ms", "1e3s", ".", "5sec"})
    void shouldRejectTextThatIsNotADuration(final String text)
    {
        assertThatThrownBy(() -> Durations.parse(text))
            .isInstanceOf(CommandLine.TypeConversionException.class)
            .hasMessage("'" + text + "' is not a duration (examples: 250us, 10ms, 5s, 2m, 1h)");
    }

    @Test
    void shouldParseRandomWholeAmountsOfEveryUnit()
    {
        final long seed = TestSeeds.seed("shouldParseRandomWholeAmountsOfEveryUnit");
        final Random random = new Random(seed);
        final String[] units = {"ns", "us", "ms", "s", "", "m", "h"};
        final long[] nanosPerUnit = {1, 1_000, 1_000_000, 1_000_000_000L, 1_000_000_000L, 60_000_000_000L,
            3_600_000_000_000L};
        for (int i = 0; i < 10_000; i++)
        {
            final int unit = random.nextInt(units.length);
            final long amount = random.nextInt(1_000_000);
            assertThat(Durations.parse(amount + units[unit])).as("seed %d: %d%s", seed, amount, units[unit])
                .isEqualTo(Duration.ofNanos(amount * nanosPerUnit[unit]));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "100, 100ns",
        "100000, 100us",
        "500000000, 500ms",
        "1000000000, 1s",
        "1500000000, 1500ms",
        "120000000000, 2m",
        "3600000000000, 1h",
    })
    void shouldWriteADurationInTheLargestUnitThatReadsBackTheSame(final long nanos, final String text)
    {
        assertThat(Durations.format(Duration.ofNanos(nanos))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }
}
