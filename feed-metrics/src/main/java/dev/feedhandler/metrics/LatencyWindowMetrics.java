package dev.feedhandler.metrics;

import dev.feedhandler.common.metrics.LatencyWindow;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;

/**
 * A {@link LatencyWindow} as Prometheus metrics, read at scrape time: {@code NAME_seconds} (a summary: p50, p99,
 * p99.9 over the window; count and sum since the start) and {@code NAME_max_seconds} (a gauge: the largest value in
 * the window).
 */
public final class LatencyWindowMetrics
{
    private static final double NANOS_PER_SECOND = 1e9;

    private LatencyWindowMetrics()
    {
    }

    /**
     * Registers the two metrics of a window.
     *
     * @param registry where.
     * @param window   the window to read.
     * @param name     the metric name without unit, such as {@code feed_subscriber_latency}.
     * @param help     what is measured.
     */
    public static void register(
        final PrometheusRegistry registry, final LatencyWindow window, final String name, final String help)
    {
        final String span = " (quantiles over the last " + window.slices() * LatencyWindow.SLICE_MS / 1000 + " s)";
        SummaryWithCallback.builder()
            .name(name + "_seconds")
            .help(help + span)
            .callback(callback ->
            {
                final LatencyWindow.Snapshot snapshot = window.snapshot();
                callback.call(snapshot.totalCount(), snapshot.totalSeconds(), Quantiles.of(
                    new Quantile(0.5, seconds(snapshot.p50Ns())),
                    new Quantile(0.99, seconds(snapshot.p99Ns())),
                    new Quantile(0.999, seconds(snapshot.p999Ns()))));
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name(name + "_max_seconds")
            .help("Largest " + help.substring(0, 1).toLowerCase() + help.substring(1) + span)
            .callback(callback -> callback.call(seconds(window.snapshot().maxNs())))
            .register(registry);
    }

    private static double seconds(final long nanos)
    {
        return nanos / NANOS_PER_SECOND;
    }
}
