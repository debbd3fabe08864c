package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fractional sizes read exactly with {@code --size-scale}: a size on the wire is the file's decimal times the scale,
 * digits beyond the scale must be zeros, and anything else is a bad line that says why.
 */
@Timeout(60)
class CsvSizeScaleTest
{
    @TempDir
    Path dir;

    private List<Update> replay(final long scale, final String... sizes)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("timestamp,symbol,bid,bid_size");
        for (final String size : sizes)
        {
            lines.add("2026-01-02T00:00:00Z,EURUSD,1.1," + size);
        }
        final Path file = CsvFiles.lines(dir, "ticks.csv", lines.toArray(new String[0]));
        return CsvFiles.replay(CsvConfiguration.defaults(file).toBuilder().sizeScale(scale).build(),
            new InstrumentRegistry());
    }

    @Test
    void shouldMultiplyRandomDecimalsByTheScaleExactly()
    {
        final long seed = Long.getLong("csv.seed", System.nanoTime());
        System.out.println("CsvSizeScaleTest seed: " + seed + " (rerun with -Dcsv.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20; round++)
        {
            final int digits = random.nextInt(0, 10);
            final long scale = BigDecimal.TEN.pow(digits).longValueExact();
            final List<String> sizes = new ArrayList<>();
            final List<Long> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++)
            {
                final long whole = random.nextLong(0, 1_000_000_000L);
                final int decimals = random.nextInt(0, digits + 1);
                final String fraction = decimals == 0 ? "" : String.format("%0" + decimals + "d",
                    random.nextLong(0, BigDecimal.TEN.pow(decimals).longValueExact()));
                // Trailing zeros beyond the scale are allowed; a lone "." too ("5." is 5).
                final String point = decimals == 0 ? (random.nextBoolean() ? "" : ".") : "." + fraction;
                final String text = whole + point + (point.isEmpty() ? "" : "0".repeat(random.nextInt(0, 3)));
                sizes.add(text);
                expected.add(new BigDecimal(text.endsWith(".") ? text + "0" : text).multiply(BigDecimal.valueOf(scale))
                    .longValueExact());
            }
            assertThat(replay(scale, sizes.toArray(new String[0]))).extracting(Update::bidSize)
                .as("seed %d, scale %d, sizes %s", seed, scale, sizes).isEqualTo(expected);
        }
    }

    @Test
    void shouldReadDukascopyVolumesInMillions()
    {
        assertThat(replay(1_000_000, "2.25", "0.000001", ".5", "1500", "")).extracting(Update::bidSize)
            .containsExactly(2_250_000L, 1L, 500_000L, 1_500_000_000L, 0L);
    }

    @Test
    void shouldRejectSizesTheScaleCannotHoldWithTheReason()
    {
        assertBadSize(1_000_000, "2.2500001", "bid_size '2.2500001' has more than 6 decimal places (--size-scale " +
            "1000000)");
        assertBadSize(1, "1.5", "bid_size '1.5' is not a whole number");
        assertBadSize(1000, "1.2.3", "bid_size '1.2.3' is not a decimal number");
        assertBadSize(1000, ".", "bid_size '.' is not a decimal number");
        assertBadSize(1000, "-1", "bid_size '-1' is not a decimal number");
        assertBadSize(1000, "9223372036854775.808", "bid_size '9223372036854775.808' is out of range");
        assertThat(replay(1000, "9223372036854775.807")).extracting(Update::bidSize).containsExactly(Long.MAX_VALUE);
        assertBadSize(1, "9223372036854775808", "bid_size '9223372036854775808' is out of range");
    }

    private void assertBadSize(final long scale, final String size, final String reason)
    {
        assertThatThrownBy(() -> replay(scale, size)).as(size)
            .isInstanceOf(PriceSource.SourceException.class)
            .hasMessageEndingWith("ticks.csv:2: " + reason);
    }

    @Test
    void shouldAcceptOnlyPowersOfTenAsScale()
    {
        for (final long scale : new long[] {1, 10, 1_000_000, CsvConfiguration.MAX_SIZE_SCALE})
        {
            assertThat(CsvConfiguration.defaults(Path.of("x")).toBuilder().sizeScale(scale).build().sizeScale())
                .isEqualTo(scale);
        }
        for (final long scale : new long[] {0, -10, 3, 1001, Long.MAX_VALUE})
        {
            assertThatThrownBy(() -> CsvConfiguration.defaults(Path.of("x")).toBuilder().sizeScale(scale).build())
                .hasMessage("--size-scale must be a power of ten from 1 to 10^18 (1, 10, 100, ..., 1000000), was " +
                    scale);
        }
    }
}
