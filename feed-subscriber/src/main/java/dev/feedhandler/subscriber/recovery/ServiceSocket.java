package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.socket.SocketWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.util.concurrent.TimeUnit;

/**
 * The recovery client's DEALER socket to the service and the {@link SocketWait} it waits in with the receiver's link:
 * opened at the start, replaced when a request goes unanswered (Lazy Pirate), and let go once the session has ended
 * with nothing to recover, so that a publisher lingering for its connected subscribers may stop; the next task opens
 * it again. The client's thread only, except {@link #through()}.
 */
final class ServiceSocket
{
    /** How many handshake timeouts a socket that has made no connection at all waits before it is replaced. */
    static final int UNCONNECTED_FACTOR = 5;

    // The client's log: what happens to its socket is the client's story.
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryClient.class);

    private final ZContext context;
    private final String endpoint;
    private final CurveClient curve;
    private final SocketEventLog events;
    private final ZMQ.Socket link;
    private final ServiceProxy service;
    private ZMQ.Socket dealer;
    private SocketWait wait;
    private volatile DealerConnection connection;
    private final long stalledConnectNs;
    private long openedAtNs;
    private boolean stallReopened;

    ServiceSocket(final ZContext context, final String endpoint, final CurveClient curve, final SocketEventLog events,
        final ZMQ.Socket link, final ServiceProxy service, final long stalledConnectNs)
    {
        this.stalledConnectNs = stalledConnectNs;
        this.context = context;
        this.endpoint = endpoint;
        this.curve = curve;
        this.events = events;
        this.link = link;
        this.service = service;
    }

    /**
     * Opens a new DEALER socket, closing the one before if any.
     */
    void open()
    {
        close();
        final DealerConnection opened = new DealerConnection();
        dealer = opened.open(context, endpoint, curve, events);
        connection = opened;
        openedAtNs = System.nanoTime();
        stallReopened = false;
        service.socket(dealer);
        wait = SocketWait.of(link, dealer);
    }

    /**
     * Closes the DEALER socket (its connection to the service goes) and waits on the link alone.
     */
    void letGo()
    {
        close();
        connection = null;
        wait = SocketWait.of(link);
    }

    /**
     * Closes the DEALER socket and the wait.
     */
    void close()
    {
        if (wait != null)
        {
            wait.close();
            wait = null;
        }
        if (dealer != null)
        {
            dealer.close();
            dealer = null;
        }
    }

    /**
     * The DEALER socket, or null while let go (or closed).
     *
     * @return the socket.
     */
    ZMQ.Socket dealer()
    {
        return dealer;
    }

    /**
     * Waits for a message on the link or the DEALER socket.
     *
     * @param timeoutMs the longest wait.
     */
    void poll(final long timeoutMs)
    {
        wait.await(timeoutMs);
    }

    /**
     * Whether the open socket's connection to the service is through its greeting (and none was lost since it
     * opened). Safe from any thread.
     *
     * @return true if so; false while let go.
     */
    boolean through()
    {
        final DealerConnection current = connection;
        return current != null && current.through();
    }

    /**
     * JeroMQ 0.6.0 stalls about 2% of fresh connections before their greeting (zeromq/jeromq#1022): what is sent on
     * one never arrives, and with a long request timeout nothing would notice for that long. A socket whose TCP
     * connection to the service has not completed its greeting the handshake timeout after it was made is replaced,
     * once between two {@link #open()}s from outside, without counting an attempt, as the live subscriber's
     * connection watchdog does. A socket with no connection at all is left to JeroMQ's own reconnecting for
     * {@link #UNCONNECTED_FACTOR} times as long (a service not listening yet, as when a subscriber starts before its
     * publisher, which a new socket would not change), then replaced too, in case the stall came before JeroMQ saw
     * the connection made; a service that never listens still fails by the request timeout.
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return true if the socket was replaced: what was owed on it must be asked again.
     */
    boolean reopenIfStalled(final long nowNs)
    {
        final DealerConnection current = connection;
        if (stallReopened || dealer == null || current == null || current.greeted())
        {
            return false;
        }
        final long connectedAtNs = current.connectedAtNs();
        if (connectedAtNs != 0)
        {
            if (nowNs - connectedAtNs < stalledConnectNs)
            {
                return false;
            }
            LOG.info("recovery service {}: its connection has had no greeting within {} ms of connecting (a JeroMQ " +
                "connect stall): a new socket, and anything owed asked again", endpoint,
                TimeUnit.NANOSECONDS.toMillis(stalledConnectNs));
        }
        else
        {
            if (nowNs - openedAtNs < UNCONNECTED_FACTOR * stalledConnectNs)
            {
                return false;
            }
            LOG.info("recovery service {}: no connection within {} ms of opening the socket (no service listening, " +
                "or a JeroMQ connect stall): a new socket, and anything owed asked again", endpoint,
                TimeUnit.NANOSECONDS.toMillis(UNCONNECTED_FACTOR * stalledConnectNs));
        }
        open();
        stallReopened = true;
        return true;
    }
}
