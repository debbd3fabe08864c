package dev.feedhandler.metrics;

import dev.feedhandler.common.security.CurveAllowList;
import dev.feedhandler.common.security.CurveServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A CURVE server's admissions as {@code feed_curve_clients_total{result="admitted|refused"}}: the ZAP decisions on
 * client keys, read at scrape time from its {@link CurveAllowList}.
 */
public final class CurveServerMetrics
{
    private CurveServerMetrics()
    {
    }

    /**
     * Registers the counter.
     *
     * @param registry where.
     * @param curve    the CURVE server.
     */
    public static void register(final PrometheusRegistry registry, final CurveServer curve)
    {
        final CurveAllowList policy = curve.policy();
        CounterWithCallback.builder()
            .name("feed_curve_clients_total")
            .help("CURVE clients that completed the handshake, by the allow-list's decision on their key")
            .labelNames("result")
            .callback(callback ->
            {
                callback.call(policy.admitted(), "admitted");
                callback.call(policy.refused(), "refused");
            })
            .register(registry);
    }
}
