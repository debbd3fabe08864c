package dev.feedhandler.common.socket;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.zeromq.ZMQ;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The event logs of a process's sockets, exposed as two metric families read at scrape time:
 * {@code feed_socket_events_total{socket,event}} and {@code feed_socket_peers{socket}}.
 */
public final class SocketEvents
{
    private final List<SocketEventLog> logs = new CopyOnWriteArrayList<>();

    /**
     * The log of a socket, created on first use.
     *
     * @param socket the socket's name, such as {@code feed} or {@code recovery}.
     * @return its log.
     */
    public synchronized SocketEventLog socket(final String socket)
    {
        for (final SocketEventLog log : logs)
        {
            if (log.socket().equals(socket))
            {
                return log;
            }
        }
        final SocketEventLog log = new SocketEventLog(socket);
        logs.add(log);
        return log;
    }

    /**
     * A setup that hooks the named socket's log to a socket (which then accepts no other event hook); apply it
     * after any CURVE setup, so that the log knows the socket's mechanism.
     *
     * @param socket the socket's name.
     * @return the setup.
     */
    public SocketSetup hook(final String socket)
    {
        final SocketEventLog log = socket(socket);
        return (context, zmqSocket) ->
        {
            log.curve(zmqSocket.getMechanism() == ZMQ.Socket.Mechanism.CURVE);
            zmqSocket.setEventHook(log, SocketEventLog.EVENTS);
        };
    }

    /**
     * Registers the two metric families.
     *
     * @param registry where.
     */
    public void register(final PrometheusRegistry registry)
    {
        CounterWithCallback.builder()
            .name("feed_socket_events_total")
            .help("ZeroMQ socket monitor events by socket and kind (handshake_failed_greeting is inferred: a " +
                "connection that ended before its ZMTP greeting completed)")
            .labelNames("socket", "event")
            .callback(callback ->
            {
                for (final SocketEventLog log : logs)
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
                for (final SocketEventLog log : logs)
                {
                    callback.call(log.peers(), log.socket());
                }
            })
            .register(registry);
    }
}
