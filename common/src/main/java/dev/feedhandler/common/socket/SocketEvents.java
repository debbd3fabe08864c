package dev.feedhandler.common.socket;

import dev.feedhandler.common.counters.ErrorLog;
import org.zeromq.ZMQ;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The event logs of a process's sockets, one per socket name; the metrics module exposes them as
 * {@code feed_socket_events_total{socket,event}} and {@code feed_socket_peers{socket}}.
 */
public final class SocketEvents
{
    private static final int IN_MEMORY_ERROR_LOG_BYTES = 64 * 1024;

    private final List<SocketEventLog> logs = new CopyOnWriteArrayList<>();
    private final ErrorLog errors;

    /**
     * Event logs that record their sockets' failures in an error log of their own, in memory.
     */
    public SocketEvents()
    {
        this(ErrorLog.inMemory(IN_MEMORY_ERROR_LOG_BYTES));
    }

    /**
     * Event logs that record their sockets' failures in the process's error log ({@code feed stat --errors}).
     *
     * @param errors the process's error log.
     */
    public SocketEvents(final ErrorLog errors)
    {
        this.errors = errors;
    }

    /**
     * The error log the sockets' failures go to.
     *
     * @return the log.
     */
    public ErrorLog errors()
    {
        return errors;
    }

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
        final SocketEventLog log = new SocketEventLog(socket, errors);
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
     * The logs of every socket named so far, for the metrics to read at scrape time.
     *
     * @return the logs, safe to iterate from any thread.
     */
    public List<SocketEventLog> logs()
    {
        return Collections.unmodifiableList(logs);
    }
}
