package dev.feedhandler.cli.options;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rates on the command line: a positive number with an optional k or M multiplier, or {@code max}.
 */
class RatesTest
{
    @ParameterizedTest
    @CsvSource({
        "50000, 50000",
        "100k, 100000",
        "1.5k, 1500",
        "2.5M, 2500000",
        "2.5m, 2500000",
        "' 10 ', 10",
        "0.5, 1",
        "1, 1",
        "max, 9223372036854775807",
        "MAX, 9223372036854775807",
    })
    void shouldParseAPositiveRate(final String text, final long rate)
    {
        assertThat(Rates.parse(text)).isEqualTo(rate);
        assertThat(new Rates().convert(text)).isEqualTo(rate);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "abc", "0", "0k", "-5", "-1k", "1e15", "2000000000M", "NaN", "Infinity", "5x"})
    void shouldRejectTextThatIsNotAPositiveRate(final String text)
    {
        assertThatThrownBy(() -> Rates.parse(text))
            .isInstanceOf(CommandLine.TypeConversionException.class)
            .hasMessage("'" + text + "' is not a positive rate (examples: 50000, 100k, 2.5M, max)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.4", "0.0001k", "0.000000001M"})
    void shouldRejectARateThatRoundsToZero(final String text)
    {
        assertThatThrownBy(() -> Rates.parse(text)).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
