package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.options.MetricsOptions;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.socket.SocketEvents;
import dev.feedhandler.metrics.HealthProbes;
import dev.feedhandler.metrics.LatencyWindowMetrics;
import dev.feedhandler.metrics.MetricsServer;
import dev.feedhandler.metrics.SocketEventMetrics;
import dev.feedhandler.metrics.SubscriberMetrics;
import dev.feedhandler.subscriber.FeedState;
import dev.feedhandler.subscriber.FeedSubscriber;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What {@code feed subscribe} shows an operator while it runs: its Prometheus series (all registered before the
 * endpoint serves its first scrape) and its {@code /health} and {@code /ready} probes.
 */
final class SubscriberObservability
{
    private SubscriberObservability()
    {
    }

    /**
     * Registers the subscriber's series and starts the metrics endpoint, when the options ask for one.
     *
     * @param metrics    the {@code --metrics-*} options.
     * @param subscriber the running subscriber.
     * @param events     the process's socket event logs.
     * @param window     the recent send-to-listener latencies.
     * @param ageWindow  the recent ages of delivered quotes.
     * @return the running server, or null when metrics are off.
     */
    static MetricsServer start(
        final MetricsOptions metrics,
        final FeedSubscriber subscriber,
        final SocketEvents events,
        final LatencyWindow window,
        final LatencyWindow ageWindow)
    {
        if (!metrics.metricsEnabled())
        {
            return null;
        }
        final PrometheusRegistry registry = MetricsServer.newRegistry();
        SubscriberMetrics.register(registry, subscriber);
        SocketEventMetrics.register(registry, events);
        LatencyWindowMetrics.register(registry, window, "feed_subscriber_latency",
            "Latency from the publisher's send timestamp to the listener call");
        LatencyWindowMetrics.register(registry, ageWindow, "feed_subscriber_price_age",
            "Age of each quote delivered: the listener call's time minus the source timestamp of the quote (the " +
                "newest update it carries)");
        return metrics.startServer(registry, probes(subscriber, events.socket(SubscribeCommand.FEED_SOCKET)));
    }

    /**
     * Liveness: the receiver runs. Readiness: connected to a publisher, subscribed (something arrived from it: an
     * update, a heartbeat or a session status), and not stale.
     */
    private static HealthProbes probes(final FeedSubscriber subscriber, final SocketEventLog feedSocket)
    {
        final Map<String, BooleanSupplier> health = new LinkedHashMap<>();
        health.put("receiverThread", subscriber::receiverRunning);
        final Map<String, BooleanSupplier> ready = new LinkedHashMap<>();
        ready.put("connected", () -> feedSocket.peers() > 0);
        ready.put("subscribed", () -> subscriber.feedState() != FeedState.WAITING);
        ready.put("notStale", () -> subscriber.feedState() != FeedState.STALE);
        return new HealthProbes("subscriber").health(health).ready(ready);
    }
}
