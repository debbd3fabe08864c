package dev.feedhandler.common.price;

import dev.feedhandler.common.testing.TestSeeds;
import dev.feedhandler.common.wire.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Fixed-point prices: exact parsing and formatting of mantissas with the exponent -9 of the wire.
 */
class PricesTest
{
    private static final int RANDOM_ITERATIONS = 200_000;

    @ParameterizedTest
    @CsvSource({
        "1.10415, 1104150000",
        "157, 157000000000",
        "157.0, 157000000000",
        "0, 0",
        "-0, 0",
        "0.000000001, 1",
        "-0.000000001, -1",
        "-0.5, -500000000",
        "+2.5, 2500000000",
        "1.100000000000, 1100000000",
        "0001.5, 1500000000",
        "9223372036.854775807, 9223372036854775807",
        "-9223372036.854775807, -9223372036854775807",
    })
    void shouldParseDecimalsExactly(final String text, final long mantissa)
    {
        assertThat(Prices.parse(text)).isEqualTo(mantissa);
    }

    @Test
    void shouldParsePartOfASequence()
    {
        assertThat(Prices.parse("bid=1.08412;", 4, 11)).isEqualTo(1_084_120_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0000000001", "0.1234567891", "-3.14159265358979", "1.0000000000001"})
    void shouldRejectMoreThanNineSignificantDecimals(final String text)
    {
        assertThatThrownBy(() -> Prices.parse(text))
            .isInstanceOf(NumberFormatException.class)
            .hasMessageContaining("decimal places");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "9223372036.854775808", "9223372037", "-9223372036.854775808", "99999999999", "12345678901234567890"})
    void shouldRejectPricesOutOfRange(final String text)
    {
        assertThatThrownBy(() -> Prices.parse(text))
            .isInstanceOf(NumberFormatException.class)
            .hasMessageContaining("out of range");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+", ".", "-.", "abc", "1.2.3", "1e5", " 1", "1 ", "--1", "+-1", "1,5", "0x10"})
    void shouldRejectTextThatIsNotADecimalNumber(final String text)
    {
        assertThatThrownBy(() -> Prices.parse(text)).isInstanceOf(NumberFormatException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "1104150000, 1.10415",
        "1100000000, 1.1",
        "157000000000, 157.0",
        "0, 0.0",
        "1, 0.000000001",
        "10, 0.00000001",
        "-500000000, -0.5",
        "-1, -0.000000001",
        "9223372036854775807, 9223372036.854775807",
        "-9223372036854775807, -9223372036.854775807",
    })
    void shouldFormatWithoutTrailingZeros(final long mantissa, final String text)
    {
        assertThat(Prices.toString(mantissa)).isEqualTo(text);
        assertThat(Prices.append(new StringBuilder("p="), mantissa).toString()).isEqualTo("p=" + text);
    }

    @Test
    void shouldFormatNoPriceAsEmptyText()
    {
        assertThat(Prices.toString(WireFormat.NULL_PRICE)).isEmpty();
        assertThat(Prices.append(new StringBuilder("bid="), WireFormat.NULL_PRICE).toString()).isEqualTo("bid=");
    }

    @Test
    void shouldReadBackEveryFormattedMantissa()
    {
        final long seed = TestSeeds.seed("shouldReadBackEveryFormattedMantissa");
        final Random random = new Random(seed);
        for (int i = 0; i < RANDOM_ITERATIONS; i++)
        {
            final long mantissa = randomMantissa(random);
            final String text = Prices.toString(mantissa);
            assertThat(Prices.parse(text)).as("seed %d: %d formatted as %s", seed, mantissa, text).isEqualTo(mantissa);
        }
    }

    @Test
    void shouldParseRandomDecimalsAsBigDecimalDoes()
    {
        final long seed = TestSeeds.seed("shouldParseRandomDecimalsAsBigDecimalDoes");
        final Random random = new Random(seed);
        for (int i = 0; i < RANDOM_ITERATIONS; i++)
        {
            final StringBuilder text = new StringBuilder();
            if (random.nextInt(3) == 0)
            {
                text.append(random.nextBoolean() ? '-' : '+');
            }
            text.append(Math.abs(random.nextLong() % pow10(1 + random.nextInt(10))));
            final int decimals = random.nextInt(12);
            if (decimals > 0 || random.nextInt(4) == 0)
            {
                text.append('.');
                for (int d = 0; d < decimals; d++)
                {
                    text.append(d < 9 ? (char)('0' + random.nextInt(10)) : '0');
                }
            }
            final BigDecimal mantissa = new BigDecimal(text.toString().endsWith(".") ? text + "0" : text.toString())
                .movePointRight(9);
            if (mantissa.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0)
            {
                assertThat(Prices.parse(text)).as("seed %d: %s", seed, text).isEqualTo(mantissa.longValueExact());
            }
            else
            {
                assertThatThrownBy(() -> Prices.parse(text)).as("seed %d: %s", seed, text)
                    .hasMessageContaining("out of range");
            }
        }
    }

    @Test
    void shouldConvertToAndFromDoubleForDisplayOnly()
    {
        assertThat(Prices.fromDouble(1.10415)).isEqualTo(1_104_150_000L);
        assertThat(Prices.fromDouble(-0.5)).isEqualTo(-500_000_000L);
        assertThat(Prices.toDouble(1_104_150_000L)).isCloseTo(1.10415, within(1e-12));
    }

    private static long randomMantissa(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                final long[] edges = {0, 1, -1, 9, 10, 999_999_999, 1_000_000_000, Long.MAX_VALUE, -Long.MAX_VALUE};
                return edges[random.nextInt(edges.length)];
            case 1:
                return (random.nextLong() % 100_000) * pow10(random.nextInt(10));
            default:
                final long value = random.nextLong();
                return value == WireFormat.NULL_PRICE ? 0 : value;
        }
    }

    private static long pow10(final int exponent)
    {
        long value = 1;
        for (int i = 0; i < exponent; i++)
        {
            value *= 10;
        }
        return value;
    }
}
