package dev.feedhandler.metrics;

import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.socket.SocketEvents;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The socket event logs of a process ({@link SocketEvents}) as two metric families read at scrape time:
 * {@code feed_socket_events_total{socket,event}} and {@code feed_socket_peers{socket}}.
 */
public final class SocketEventMetrics
{
    private SocketEventMetrics()
    {
    }

    /**
     * Registers the two metric families.
     *
     * @param registry where.
     * @param events   the process's socket event logs.
     */
    public static void register(final PrometheusRegistry registry, final SocketEvents events)
    {
        CounterWithCallback.builder()
            .name("feed_socket_events_total")
            .help("ZeroMQ socket monitor events by socket and kind (handshake_failed_greeting is inferred: a " +
                "connection that ended before its ZMTP greeting completed)")
            .labelNames("socket", "event")
            .callback(callback ->
            {
                for (final SocketEventLog log : events.logs())
                {
                    for (int i = 0; i < SocketEventLog.kinds(); i++)
                    {
                        callback.call(log.count(i), log.socket(), SocketEventLog.kind(i));
                    }
                }
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_socket_peers")
            .help("Connections open now on the socket (accepted or connected, not yet disconnected)")
            .labelNames("socket")
            .callback(callback ->
            {
                for (final SocketEventLog log : events.logs())
                {
                    callback.call(log.peers(), log.socket());
                }
            })
            .register(registry);
    }
}
