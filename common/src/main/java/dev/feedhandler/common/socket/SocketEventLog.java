package dev.feedhandler.common.socket;

import dev.feedhandler.common.counters.ErrorLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The event log of one socket: every monitor event JeroMQ reports is counted by kind and logged with the endpoint
 * and, where there is a connection, the peer address: lifecycle events (listening, accepted, connected,
 * disconnected, stopped listening) at INFO, failures (handshake failed, authentication refused, accept failures)
 * at WARN, the chatty ones (greeting exchanged, connect retried, a connection attempt closed, bind failed, which
 * the caller reports) at DEBUG. It also keeps the number of open
 * connections ({@link #peers()}).
 * <p>
 * JeroMQ 0.6.0 reports a mechanism mismatch (a plaintext client at a CURVE socket, or the reverse) with no event of
 * its own: the connection just ends. The log infers it: a connection that ends while no ZMTP greeting has completed
 * on this socket since it opened never completed its own, and is counted as {@code handshake_failed_greeting}. With
 * several connections handshaking at once such a connection may go uncounted (never counted wrongly with one I/O
 * thread, the default).
 * <p>
 * Events arrive on JeroMQ's I/O threads, never on the hot path; counts may be read from any thread. Failures go
 * the process's one error path ({@link ErrorLog}): each distinct failure (socket, kind, endpoint, peer host and
 * reason; not the peer's port or the timing) is logged once at WARN and recorded with its count, repeats are
 * counted and logged at DEBUG only, and once a peer's failure repeats, that peer's next connections are logged at
 * DEBUG too until one of them completes its greeting. So a client retrying a refused connection every 100 ms
 * cannot flood the log, while every event is still counted ({@link #count}) and every distinct failure shows in
 * {@code feed stat --errors}.
 */
public final class SocketEventLog implements ZEvent.ZEventConsummer
{
    /** The events to register with {@code setEventHook}: all of them. */
    public static final int EVENTS = ZMQ.EVENT_ALL;

    private static final Logger LOG = LoggerFactory.getLogger(SocketEventLog.class);
    private static final ZMonitor.Event[] KINDS = ZMonitor.Event.values();
    private static final int GREETING_FAILED = KINDS.length;
    private static final int IN_MEMORY_ERROR_LOG_BYTES = 64 * 1024;

    private final String socket;
    private final SocketFailures failures;
    private final AtomicLongArray counts = new AtomicLongArray(KINDS.length + 1);
    private final Map<SelectableChannel, Connection> connections = new IdentityHashMap<>();
    private final Set<String> listening = new HashSet<>();
    private volatile int peers;
    private volatile boolean curve;
    private long greetings;
    private String lastFailure;
    private int generation;

    /**
     * The log of one socket.
     *
     * @param socket a short name for the socket in log lines and metrics, such as {@code feed}.
     */
    public SocketEventLog(final String socket)
    {
        this(socket, ErrorLog.inMemory(IN_MEMORY_ERROR_LOG_BYTES));
    }

    /**
     * The log of one socket, recording its failures in the process's error log.
     *
     * @param socket a short name for the socket in log lines and metrics, such as {@code feed}.
     * @param errors the process's error log ({@code feed stat --errors} shows it).
     */
    public SocketEventLog(final String socket, final ErrorLog errors)
    {
        this.socket = socket;
        this.failures = new SocketFailures(errors, LOG);
    }

    /**
     * Says whether the socket uses CURVE, for the wording of connections that end before their greeting: at a
     * CURVE socket they are refusals of clients without CURVE.
     *
     * @param curveSocket true for a CURVE server or client socket.
     * @return this.
     */
    public SocketEventLog curve(final boolean curveSocket)
    {
        curve = curveSocket;
        return this;
    }

    /**
     * The socket's name.
     *
     * @return the name.
     */
    public String socket()
    {
        return socket;
    }

    /**
     * The kinds of event counted, as metric label values: JeroMQ's event names in lower case, plus
     * {@code handshake_failed_greeting} (inferred, see the class comment).
     *
     * @return the number of kinds; {@link #kind(int)} names each.
     */
    public static int kinds()
    {
        return KINDS.length + 1;
    }

    /**
     * The label of a kind of event.
     *
     * @param index from 0 to {@link #kinds()} - 1.
     * @return such as {@code accepted} or {@code handshake_failed_auth}.
     */
    public static String kind(final int index)
    {
        return index == GREETING_FAILED ? "handshake_failed_greeting" : KINDS[index].name().toLowerCase(Locale.ROOT);
    }

    /**
     * Events of one kind so far. Safe from any thread.
     *
     * @param index the kind, see {@link #kind(int)}.
     * @return the count.
     */
    public long count(final int index)
    {
        return counts.get(index);
    }

    /**
     * Events of one kind so far. Safe from any thread.
     *
     * @param event the kind.
     * @return the count.
     */
    public long count(final ZMonitor.Event event)
    {
        return counts.get(event.ordinal());
    }

    /**
     * Connections that ended before completing the ZMTP greeting (inferred; see the class comment).
     *
     * @return the count.
     */
    public long greetingFailures()
    {
        return counts.get(GREETING_FAILED);
    }

    /**
     * Connections open now (accepted or connected, not yet disconnected). Safe from any thread.
     *
     * @return the count.
     */
    public int peers()
    {
        return peers;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void consume(final ZEvent event)
    {
        consume(event, 0);
    }

    private synchronized void consume(final ZEvent event, final int socketGeneration)
    {
        final ZMonitor.Event type = event.getEvent();
        if (type == null || type == ZMonitor.Event.ALL)
        {
            return;
        }
        if (socketGeneration != generation)
        {
            // A replaced socket's last events (its close, its connections' end): counted, but they must not touch
            // the connections of the socket that replaced it.
            debug("{}: {} {} on the replaced socket", socket, type, event.getAddress());
            counts.incrementAndGet(type.ordinal());
            return;
        }
        final String endpoint = event.getAddress() == null ? "" : event.getAddress();
        final String failure = lastFailure;
        lastFailure = null;
        switch (type)
        {
            case LISTENING:
                listening.add(endpoint);
                info("{}: listening on {}", socket, endpoint);
                break;
            case ACCEPTED:
                onAccepted(endpoint, event.getValue());
                break;
            case CONNECTED:
            {
                final Connection connection = open(event.getValue(), false);
                info("{}: connected to {} from {} ({} connected)", socket, endpoint, connection.local, peers);
                break;
            }
            case DISCONNECTED:
                onDisconnected(endpoint, event.getValue(), failure);
                break;
            case CLOSED:
                onClosed(endpoint);
                break;
            case HANDSHAKE_PROTOCOL:
                greetings++;
                debug("{}: ZMTP greeting exchanged on {} (ZMTP {})", socket, endpoint, zmtpVersion(event.getValue()));
                break;
            case HANDSHAKE_SUCCEEDED:
                debug("{}: handshake succeeded on {}", socket, endpoint);
                break;
            case HANDSHAKE_FAILED_AUTH:
                lastFailure = "authentication refused (ZAP status " + event.getValue() + ")";
                handshakeFailed(endpoint, lastFailure);
                break;
            case HANDSHAKE_FAILED_PROTOCOL:
                lastFailure = "protocol error " + protocolError(event.getValue());
                handshakeFailed(endpoint, lastFailure);
                break;
            case HANDSHAKE_FAILED_NO_DETAIL:
                lastFailure = "error " + event.getValue();
                handshakeFailed(endpoint, lastFailure);
                break;
            case BIND_FAILED:
                // The caller of bind reports it (one line, exit status 2): only counted here.
                debug("{}: bind failed on {}: {}", socket, endpoint, describe(event));
                break;
            case ACCEPT_FAILED:
            case CLOSE_FAILED:
            {
                final String what = type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
                final String line = socket + ": " + what + " on " + endpoint + ": " + describe(event);
                failures.record(line, line);
                break;
            }
            case CONNECT_DELAYED:
            case CONNECT_RETRIED:
                debug("{}: {} {}", socket, type.name().toLowerCase(Locale.ROOT).replace('_', ' '), endpoint);
                break;
            case MONITOR_STOPPED:
                // The socket is closed: its connections went with it, without disconnect events.
                connections.clear();
                peers = 0;
                debug("{}: socket closed", socket);
                break;
            default:
                debug("{}: {} {}", socket, type, endpoint);
                break;
        }
        // Counted after it is logged: whoever sees the count can find the line.
        counts.incrementAndGet(type.ordinal());
    }

    private void onAccepted(final String endpoint, final Object channel)
    {
        final Connection connection = open(channel, true);
        if (failures.isQuiet(connection.peer))
        {
            debug("{}: accepted {} on {} ({} connected)", socket, connection.peer, endpoint, peers);
        }
        else
        {
            info("{}: accepted {} on {} ({} connected)", socket, connection.peer, endpoint, peers);
        }
    }

    private void onClosed(final String endpoint)
    {
        if (listening.remove(endpoint))
        {
            info("{}: stopped listening on {}", socket, endpoint);
        }
        else
        {
            // A connecting socket reports each failed attempt (nobody listening yet) as closed.
            debug("{}: connection attempt to {} closed", socket, endpoint);
        }
    }

    private void onDisconnected(final String endpoint, final Object channel, final String failure)
    {
        final Connection connection = channel instanceof SelectableChannel ?
            connections.remove((SelectableChannel)channel) : null;
        peers = connections.size();
        if (connection == null)
        {
            info("{}: disconnected {} ({} connected)", socket, endpoint, peers);
            return;
        }
        final String after = millis(System.nanoTime() - connection.openedNs);
        final boolean noGreeting = failure == null && connection.greetingsAtOpen == greetings;
        final String reason = failure != null ? failure : curve ?
            "it ended before the ZMTP greeting completed: a peer without CURVE at this CURVE socket, or not ZeroMQ" :
            "it ended before the ZMTP greeting completed: a CURVE peer at this plaintext socket, not ZeroMQ, or a " +
                "stalled connect (JeroMQ 0.6.0 connect race)";
        if (failure == null && !noGreeting)
        {
            failures.greeted(connection.peer);
            if (connection.accepted)
            {
                info("{}: disconnected {} on {} after {} ({} connected)", socket, connection.peer, endpoint, after,
                    peers);
            }
            else
            {
                info("{}: disconnected from {} after {} ({} connected)", socket, endpoint, after, peers);
            }
        }
        else if (connection.accepted)
        {
            final String verb = failure != null || curve ? "refused" : "lost";
            failures.refused(connection.peer,
                socket + ": " + verb + " " + SocketFailures.host(connection.peer) + " on " + endpoint + ": " + reason,
                socket + ": " + verb + " " + connection.peer + " on " + endpoint + " after " + after + ": " + reason);
        }
        else
        {
            final String verb = failure != null || curve ? "refused by" : "lost connection to";
            failures.refused(connection.peer, socket + ": " + verb + " " + endpoint + ": " + reason,
                socket + ": " + verb + " " + endpoint + " after " + after + ": " + reason);
        }
        if (noGreeting)
        {
            counts.incrementAndGet(GREETING_FAILED);
        }
    }

    private void handshakeFailed(final String endpoint, final String reason)
    {
        final String line = socket + ": handshake failed on " + endpoint + ": " + reason;
        failures.record(line, line);
    }

    private Connection open(final Object channel, final boolean accepted)
    {
        final Connection connection = new Connection(
            accepted, address(channel, true), address(channel, false), greetings, System.nanoTime());
        if (channel instanceof SelectableChannel)
        {
            connections.put((SelectableChannel)channel, connection);
        }
        peers = connections.size();
        return connection;
    }

    private static String address(final Object channel, final boolean remote)
    {
        if (!(channel instanceof NetworkChannel))
        {
            return "-";
        }
        try
        {
            final SocketAddress address = remote ?
                ((java.nio.channels.SocketChannel)channel).getRemoteAddress() :
                ((NetworkChannel)channel).getLocalAddress();
            if (address instanceof InetSocketAddress)
            {
                final InetSocketAddress inet = (InetSocketAddress)address;
                return inet.getAddress().getHostAddress() + ":" + inet.getPort();
            }
            return String.valueOf(address);
        }
        catch (final IOException | ClassCastException | UnsupportedOperationException ex)
        {
            return "-";
        }
    }

    private static String describe(final ZEvent event)
    {
        final Object value = event.getValue();
        return String.valueOf(value);
    }

    private static String protocolError(final Object value)
    {
        if (value instanceof ZMonitor.ProtocolCode)
        {
            final String name = ((ZMonitor.ProtocolCode)value).name().replace("ZMQ_PROTOCOL_ERROR_", "");
            return "CRYPTOGRAPHIC".equals(name.replace("ZMTP_", "")) ?
                name + " (a client with the wrong server key, or a corrupted handshake)" : name;
        }
        return String.valueOf(value);
    }

    private static String zmtpVersion(final Object value)
    {
        // JeroMQ reports the ordinal of its protocol enum: 0 = V1 (1.0), 1 = V2 (2.0), 2 = V3 (3.x).
        if (value instanceof Integer)
        {
            final int ordinal = (Integer)value;
            return ordinal >= 0 && ordinal <= 2 ? (ordinal + 1) + ".x" : String.valueOf(ordinal);
        }
        return String.valueOf(value);
    }

    private static String millis(final long nanos)
    {
        final long ms = nanos / 1_000_000L;
        return ms < 10_000 ? ms + " ms" : (ms / 1000) + " s";
    }

    private void info(final String format, final Object... args)
    {
        LOG.info(format, args);
    }

    private void debug(final String format, final Object... args)
    {
        if (LOG.isDebugEnabled())
        {
            LOG.debug(format, args);
        }
    }

    /**
     * The socket this log watches was closed and replaced by a new one (a subscriber's reconnect after a stalled
     * connect): its connections went with it, and JeroMQ does not always report their end, so forget them now,
     * before the new socket connects. The old socket's events still arrive for a while on the I/O thread (its
     * close comes after the new socket may have connected): they are counted but leave the new socket's
     * connections alone. Safe from any thread.
     *
     * @return the event hook for the new socket.
     */
    public synchronized ZEvent.ZEventConsummer socketReplaced()
    {
        connections.clear();
        peers = 0;
        lastFailure = null;
        final int replacement = ++generation;
        debug("{}: socket replaced", socket);
        return new ZEvent.ZEventConsummer()
        {
            @Override
            public void consume(final ZEvent event)
            {
                SocketEventLog.this.consume(event, replacement);
            }

            @Override
            public void close()
            {
                // The log outlives its sockets.
            }
        };
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
        // A socket replaced by a new one keeps its log: nothing to release.
    }

    private static final class Connection
    {
        final boolean accepted;
        final String peer;
        final String local;
        final long greetingsAtOpen;
        final long openedNs;

        Connection(
            final boolean accepted, final String peer, final String local, final long greetingsAtOpen,
            final long openedNs)
        {
            this.accepted = accepted;
            this.peer = peer;
            this.local = local;
            this.greetingsAtOpen = greetingsAtOpen;
            this.openedNs = openedNs;
        }
    }
}
