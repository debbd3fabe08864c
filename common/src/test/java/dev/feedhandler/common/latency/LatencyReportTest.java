package dev.feedhandler.common.latency;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

/**
 * The latency summaries: histograms recorded in nanoseconds, reported in microseconds.
 */
class LatencyReportTest
{
    @Test
    void shouldReportAnEmptyHistogramAsZeros()
    {
        final Map<String, Object> micros = LatencyReport.toMicros(LatencyReport.newHistogram());

        assertThat(micros).containsExactly(
            entry("p50", 0.0), entry("p90", 0.0), entry("p99", 0.0), entry("p999", 0.0), entry("p9999", 0.0),
            entry("max", 0.0), entry("count", 0L));
    }

    @Test
    void shouldReportPercentilesInMicrosecondsInOrder()
    {
        final Histogram histogram = LatencyReport.newHistogram();
        for (int i = 1; i <= 10_000; i++)
        {
            histogram.recordValue(i * 100L);
        }

        final Map<String, Object> micros = LatencyReport.toMicros(histogram);

        assertThat(micros).containsOnlyKeys("p50", "p90", "p99", "p999", "p9999", "max", "count");
        assertThat(micros.keySet()).containsExactly("p50", "p90", "p99", "p999", "p9999", "max", "count");
        assertThat((Double)micros.get("p50")).isCloseTo(500.0, within(0.5));
        assertThat((Double)micros.get("p90")).isCloseTo(900.0, within(1.0));
        assertThat((Double)micros.get("p99")).isCloseTo(990.0, within(1.0));
        assertThat((Double)micros.get("p999")).isCloseTo(999.0, within(1.0));
        assertThat((Double)micros.get("p9999")).isCloseTo(1000.0, within(1.0));
        assertThat((Double)micros.get("max")).isCloseTo(1000.0, within(1.0));
        assertThat(micros.get("count")).isEqualTo(10_000L);
    }

    @Test
    void shouldRoundToATenthOfAMicrosecond()
    {
        final Histogram below = LatencyReport.newHistogram();
        below.recordValue(1_234);
        final Histogram half = LatencyReport.newHistogram();
        half.recordValue(1_250);

        assertThat(LatencyReport.toMicros(below)).contains(entry("p50", 1.2), entry("max", 1.2));
        assertThat(LatencyReport.toMicros(half)).contains(entry("p50", 1.3), entry("max", 1.3));
    }

    @Test
    void shouldTrackLatenciesUpToAnHour()
    {
        final Histogram histogram = LatencyReport.newHistogram();
        histogram.recordValue(LatencyReport.HIGHEST_TRACKABLE_NS);

        assertThat((Double)LatencyReport.toMicros(histogram).get("max")).isCloseTo(3.6e9, within(3.6e6));
    }

    @Test
    void shouldPrintOneLineOfPercentiles()
    {
        final Histogram histogram = LatencyReport.newHistogram();
        histogram.recordValue(1_500);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        LatencyReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "end to end", histogram);
        LatencyReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), "idle", LatencyReport.newHistogram());

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(String.join(System.lineSeparator(),
            "end to end (microseconds, 1 samples):",
            "  min 1.5  p50 1.5  p90 1.5  p99 1.5  p999 1.5  p9999 1.5  max 1.5",
            "idle (microseconds, 0 samples):",
            "  no samples",
            ""));
    }
}
