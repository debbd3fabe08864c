package dev.feedhandler.cli.options;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Byte sizes on the command line: bytes or binary multiples, from 1 byte to 4 GiB, written back the same way.
 */
class ByteSizesTest
{
    @ParameterizedTest
    @CsvSource({
        "65536, 65536, 64k",
        "64k, 65536, 64k",
        "16m, 16777216, 16m",
        "16M, 16777216, 16m",
        "1g, 1073741824, 1g",
        "4g, 4294967296, 4g",
        "' 2k ', 2048, 2k",
        "1000, 1000, 1000",
        "1, 1, 1",
    })
    void shouldParseBytesAndBinaryMultiplesAndWriteThemBack(final String text, final long bytes, final String written)
    {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
        assertThat(new ByteSizes().convert(text)).isEqualTo(bytes);
        assertThat(ByteSizes.format(bytes)).isEqualTo(written);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "k", "0", "-1", "0m", "5g", "1.5m", "12x", "abc", "1 m"})
    void shouldRejectTextThatIsNotASizeInOneLine(final String text)
    {
        assertThatThrownBy(() -> ByteSizes.parse(text))
            .isInstanceOf(CommandLine.TypeConversionException.class)
            .hasMessage("'" + text + "' is not a size in bytes (examples: 65536, 64k, 16m, 1g)");
    }
}
