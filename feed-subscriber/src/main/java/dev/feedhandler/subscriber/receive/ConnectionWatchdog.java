package dev.feedhandler.subscriber.receive;

import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

import java.util.ArrayDeque;
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
 * thread; {@link #stalled(long)} is read on the receiver thread. The watchdog also keeps the last events of each
 * endpoint ({@link #history}), so that the warning a replacement logs says what the connection went through.
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

    /** Events kept per endpoint for {@link #history}. */
    static final int HISTORY_EVENTS = 8;

    private final ConcurrentMap<String, Long> pendingSinceNs = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ArrayDeque<String>> events = new ConcurrentHashMap<>();
    private final long createdNs = System.nanoTime();
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
        remember(address, type);
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
     * The last events of an endpoint's connections and when each came, counted from the watchdog's creation (the
     * socket's opening), for the warning that replaces a stalled socket: for example
     * {@code "CONNECTED at 3 ms, HANDSHAKE_PROTOCOL at 5 ms"}. Connection lifecycle events only: rare, never on the
     * hot path.
     *
     * @param address the endpoint, as {@link #stalled(long)} returned it.
     * @return the events, oldest first, or {@code "none"}.
     */
    public String history(final String address)
    {
        final ArrayDeque<String> kept = events.get(address);
        if (kept == null)
        {
            return "none";
        }
        synchronized (kept)
        {
            return kept.isEmpty() ? "none" : String.join(", ", kept);
        }
    }

    private void remember(final String address, final ZMonitor.Event type)
    {
        final ArrayDeque<String> kept = events.computeIfAbsent(address, key -> new ArrayDeque<>(HISTORY_EVENTS));
        synchronized (kept)
        {
            if (kept.size() == HISTORY_EVENTS)
            {
                kept.removeFirst();
            }
            kept.addLast(type + " at " + (System.nanoTime() - createdNs) / 1_000_000 + " ms");
        }
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
