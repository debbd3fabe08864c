package dev.feedhandler.common.metrics;

import dev.feedhandler.common.testing.PrometheusText;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sliding latency window: percentiles of the slices in the window, old slices leaving it, and the summary it
 * exposes.
 */
@Timeout(30)
class LatencyWindowTest
{
    @Test
    void shouldReportPercentilesOfTheNewestSlicesOnly()
    {
        try (LatencyWindow window = new LatencyWindow(3, false))
        {
            for (int i = 1; i <= 1000; i++)
            {
                window.record(i * 1_000L);
            }
            window.roll();
            final LatencyWindow.Snapshot first = window.snapshot();
            assertThat(first.count()).isEqualTo(1000);
            assertThat(first.p50Ns()).isCloseTo(500_000L, within(5_000L));
            assertThat(first.p99Ns()).isCloseTo(990_000L, within(10_000L));
            assertThat(first.maxNs()).isCloseTo(1_000_000L, within(10_000L));

            window.record(5_000_000L);
            window.roll();
            assertThat(window.snapshot(1).count()).isEqualTo(1);
            assertThat(window.snapshot(1).maxNs()).isCloseTo(5_000_000L, within(50_000L));
            assertThat(window.snapshot().count()).isEqualTo(1001);

            window.roll();
            window.roll();
            // The first slice has left the window of three; the 5 ms one is still in it.
            assertThat(window.snapshot().count()).isEqualTo(1);
            assertThat(window.snapshot().totalCount()).isEqualTo(1001);
            window.roll();
            assertThat(window.snapshot().count()).isZero();
            assertThat(window.snapshot().p99Ns()).isZero();
        }
    }

    @Test
    void shouldExposeASummaryWithQuantilesInSecondsAndAMaxGauge()
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        try (LatencyWindow window = new LatencyWindow(5, false))
        {
            window.register(registry, "test_latency", "Latency of the test");
            for (int i = 1; i <= 100; i++)
            {
                window.record(i * 10_000L);
            }
            window.roll();

            final PrometheusText text = PrometheusText.parse(write(registry));

            assertThat(text.types()).containsEntry("test_latency_seconds", "summary")
                .containsEntry("test_latency_max_seconds", "gauge");
            assertThat(text.count("test_latency_seconds_count")).isEqualTo(100);
            assertThat(text.value("test_latency_seconds_sum")).isCloseTo(0.0505, within(0.001));
            assertThat(text.value("test_latency_seconds", "quantile", "0.5")).isCloseTo(0.0005, within(0.00002));
            assertThat(text.value("test_latency_seconds", "quantile", "0.99")).isCloseTo(0.00099, within(0.00002));
            assertThat(text.value("test_latency_seconds", "quantile", "0.999")).isCloseTo(0.001, within(0.00002));
            assertThat(text.value("test_latency_max_seconds")).isCloseTo(0.001, within(0.00002));
        }
    }

    static String write(final PrometheusRegistry registry)
    {
        try
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            return out.toString(StandardCharsets.UTF_8);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
