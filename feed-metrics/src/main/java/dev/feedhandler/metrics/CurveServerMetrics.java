package dev.feedhandler.metrics;

import dev.feedhandler.common.security.CurveAllowList;
import dev.feedhandler.common.security.CurveServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A CURVE server's admissions as {@code feed_curve_clients_total{result="admitted|refused"}}: the ZAP decisions on
 * client keys, read at scrape time from its {@link CurveAllowList}; at zero with CURVE off, so that the series exist
 * either way and alert rules and dashboards find them.
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
     * @param curve    the CURVE server, or null when CURVE is off.
     */
    public static void register(final PrometheusRegistry registry, final CurveServer curve)
    {
        final CurveAllowList policy = curve == null ? null : curve.policy();
        CounterWithCallback.builder()
            .name("feed_curve_clients_total")
            .help("CURVE clients that completed the handshake, by the allow-list's decision on their key")
            .labelNames("result")
            .callback(callback ->
            {
                callback.call(policy == null ? 0 : policy.admitted(), "admitted");
                callback.call(policy == null ? 0 : policy.refused(), "refused");
            })
            .register(registry);
    }
}
