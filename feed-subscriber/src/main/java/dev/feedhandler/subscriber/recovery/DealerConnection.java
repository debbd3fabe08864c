package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.socket.SocketEventFanOut;
import dev.feedhandler.common.socket.SocketEventLog;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

/**
 * Opens the recovery client's DEALER socket, and keeps what it knows of its connection to the service: whether a
 * connection has completed its ZMTP greeting (the service's process answered on it, so it runs and reads what is
 * sent) and whether one was lost since the socket opened (a request sent before the loss may never have arrived).
 * One per socket: a replaced socket's late events change only its own. Events arrive on JeroMQ's I/O thread; the
 * client reads on its own.
 */
final class DealerConnection implements ZEvent.ZEventConsummer
{
    /** The events it needs (JeroMQ 0.6.0 reports a completed greeting as {@code HANDSHAKE_PROTOCOL}). */
    static final int EVENTS = ZMQ.EVENT_CONNECTED | ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED;

    private volatile boolean greeted;
    private volatile boolean lost;
    private volatile long connectedAtNs;

    /**
     * Opens the DEALER socket this watches, connected to the service.
     *
     * @param context  the subscriber's context.
     * @param endpoint the service; identical lines' services comma-separated.
     * @param curve    CURVE client keys, or null.
     * @param events   the recovery socket's event log, or null.
     * @return the socket.
     */
    ZMQ.Socket open(final ZContext context, final String endpoint, final CurveClient curve,
        final SocketEventLog events)
    {
        final ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        if (curve != null)
        {
            curve.configure(dealer);
        }
        if (events != null)
        {
            events.curve(curve != null);
            dealer.setEventHook(new SocketEventFanOut(events, this), SocketEventLog.EVENTS | EVENTS);
        }
        else
        {
            dealer.setEventHook(this, EVENTS);
        }
        // Identical lines: one service per line, comma-separated; the DEALER asks whichever is connected, and a
        // request that times out is asked again on a new socket, which reaches whichever line's service answers.
        final String[] endpoints = endpoint.split(",");
        if (endpoints.length > 1)
        {
            // Queue requests only to services connected now: not to a dead line's, which would never answer.
            dealer.setImmediate(true);
        }
        for (final String one : endpoints)
        {
            dealer.connect(one.trim());
        }
        return dealer;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void consume(final ZEvent event)
    {
        final ZMonitor.Event type = event.getEvent();
        if (type == ZMonitor.Event.CONNECTED)
        {
            if (connectedAtNs == 0)
            {
                connectedAtNs = System.nanoTime();
            }
        }
        else if (type == ZMonitor.Event.HANDSHAKE_PROTOCOL)
        {
            greeted = true;
        }
        else if (type == ZMonitor.Event.DISCONNECTED)
        {
            lost = true;
        }
    }

    /**
     * Whether a connection to the service completed its greeting and none was lost since the socket opened: what was
     * sent on it has reached a service that runs.
     *
     * @return true if so.
     */
    boolean through()
    {
        return greeted && !lost;
    }

    /**
     * Whether a connection to the service completed its greeting since the socket opened.
     *
     * @return true if so.
     */
    boolean greeted()
    {
        return greeted;
    }

    /**
     * When the socket's first TCP connection to the service was made ({@link System#nanoTime()}), or 0 while none
     * was: a service that is not listening yet has none, and JeroMQ keeps trying to connect on its own.
     *
     * @return the time, or 0.
     */
    long connectedAtNs()
    {
        return connectedAtNs;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
        // Nothing held.
    }
}
