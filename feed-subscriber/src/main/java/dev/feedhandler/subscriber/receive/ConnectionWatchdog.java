package dev.feedhandler.subscriber.receive;

import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Watches the connections of the SUB socket for a handshake that never completes.
 * <p>
 * JeroMQ 0.6.0 has a race in its poller when a connecting socket hands its channel from the connecter to the
 * stream engine (zeromq/jeromq pull request 1022): in about 1 to 6 percent of fresh connections, measured here,
 * the TCP connection is established but the engine never sends its greeting, so no subscription ever reaches
 * the publisher and nothing is received; JeroMQ's own handshake timer (30 s) is the only way out, and even then
 * the subscriptions may stay stuck. The watchdog notices a connection that has not completed its handshake within
 * a timeout, and the receiver then replaces the whole socket (new connection, subscriptions sent again).
 * A connection counts as through when the peers have exchanged greetings (JeroMQ 0.6.0 reports that as
 * {@code HANDSHAKE_PROTOCOL}; it never emits {@code HANDSHAKE_SUCCEEDED}). Events arrive on JeroMQ's I/O
 * thread; {@link #stalled(long)} is read on the receiver thread.
 */
public final class ConnectionWatchdog implements ZEvent.ZEventConsummer
{
    /** The events the watchdog needs. */
    public static final int EVENTS = ZMQ.EVENT_CONNECTED | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_CLOSED |
        ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.HANDSHAKE_SUCCEEDED | ZMQ.HANDSHAKE_FAILED_NO_DETAIL |
        ZMQ.HANDSHAKE_FAILED_PROTOCOL | ZMQ.HANDSHAKE_FAILED_AUTH;

    private static final Set<ZMonitor.Event> RELEVANT = EnumSet.of(ZMonitor.Event.CONNECTED,
        ZMonitor.Event.DISCONNECTED, ZMonitor.Event.CLOSED, ZMonitor.Event.HANDSHAKE_PROTOCOL,
        ZMonitor.Event.HANDSHAKE_SUCCEEDED, ZMonitor.Event.HANDSHAKE_FAILED_NO_DETAIL,
        ZMonitor.Event.HANDSHAKE_FAILED_PROTOCOL, ZMonitor.Event.HANDSHAKE_FAILED_AUTH);

    private final ConcurrentMap<String, Long> pendingSinceNs = new ConcurrentHashMap<>();
    private final long timeoutNs;
    private volatile boolean anyPending;

    /**
     * A watchdog with a handshake timeout.
     *
     * @param timeoutNs how long a connection may take to complete its handshake.
     */
    public ConnectionWatchdog(final long timeoutNs)
    {
        this.timeoutNs = timeoutNs;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void consume(final ZEvent event)
    {
        final ZMonitor.Event type = event.getEvent();
        if (!RELEVANT.contains(type))
        {
            // The hook may be shared with the socket event log, which asks for every event.
            return;
        }
        final String address = event.getAddress() == null ? "" : event.getAddress();
        if (type == ZMonitor.Event.CONNECTED)
        {
            pendingSinceNs.put(address, System.nanoTime());
            anyPending = true;
        }
        else
        {
            pendingSinceNs.remove(address);
            anyPending = !pendingSinceNs.isEmpty();
        }
    }

    /**
     * The endpoint of a connection that has been waiting for its handshake longer than the timeout.
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return the endpoint, or null if none is stalled.
     */
    public String stalled(final long nowNs)
    {
        if (!anyPending)
        {
            return null;
        }
        for (final var entry : pendingSinceNs.entrySet())
        {
            if (nowNs - entry.getValue() > timeoutNs)
            {
                return entry.getKey();
            }
        }
        return null;
    }

    /**
     * Forgets every connection (the socket is being replaced).
     */
    public void reset()
    {
        pendingSinceNs.clear();
        anyPending = false;
    }
}
