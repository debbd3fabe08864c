package dev.feedhandler.metrics;

import dev.feedhandler.common.metrics.LatencyWindow;
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
 * The summary and the max gauge that a latency window exposes.
 */
@Timeout(30)
class LatencyWindowMetricsTest
{
    @Test
    void shouldExposeASummaryWithQuantilesInSecondsAndAMaxGauge()
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        try (LatencyWindow window = new LatencyWindow(5, false))
        {
            LatencyWindowMetrics.register(registry, window, "test_latency", "Latency of the test");
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
