package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The subscriber's receiver as an Agrona {@link Agent}: each duty cycle receives what the SUB socket has (waiting for
 * the first message up to the socket's receive timeout when it runs on a thread of its own, not at all when an
 * embedder's loop invokes it), follows the feed's liveness, and replaces the socket when one of its connections
 * stalls in JeroMQ 0.6.0's connect race. Run by an {@code AgentRunner} on the "feed-receiver" thread, or by the
 * embedder's {@code AgentInvoker}.
 */
public final class ReceiverAgent implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverAgent.class);

    private final FeedReceiver receiver;
    private final SubscriberSocket[] sockets;
    private final SubscriberCounters counters;
    private final long handshakeTimeoutNs;
    private final boolean blocking;
    private final ZMQ.Socket link;
    private final ZMQ.Socket[] socket;
    private final ConnectionWatchdog[] watchdog;

    /**
     * An agent over an open socket.
     *
     * @param receiver           the receiver, reading {@code socket}.
     * @param sockets            make a replacement socket, one per socket.
     * @param socket             the open sockets: one, or one per line of identical lines.
     * @param watchdog           the watchdogs of those sockets.
     * @param link               the link to the recovery client (closed with the agent), or null.
     * @param counters           where reconnects are counted.
     * @param handshakeTimeoutNs how long a handshake may take before the socket is replaced.
     * @param blocking           whether a duty cycle may wait for the first message.
     */
    public ReceiverAgent(
        final FeedReceiver receiver,
        final SubscriberSocket[] sockets,
        final ZMQ.Socket[] socket,
        final ConnectionWatchdog[] watchdog,
        final ZMQ.Socket link,
        final SubscriberCounters counters,
        final long handshakeTimeoutNs,
        final boolean blocking)
    {
        this.receiver = receiver;
        this.sockets = sockets;
        this.socket = socket;
        this.watchdog = watchdog;
        this.link = link;
        this.counters = counters;
        this.handshakeTimeoutNs = handshakeTimeoutNs;
        this.blocking = blocking;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int doWork()
    {
        final int work;
        try
        {
            work = receiver.doWork(blocking);
        }
        catch (final ZMQException ex)
        {
            if (ex.getErrorCode() == ZMQ.Error.ETERM.getCode())
            {
                // The context is closing: the receiver is done.
                throw new AgentTerminationException(ex);
            }
            throw ex;
        }
        final long nowNs = System.nanoTime();
        receiver.checkLiveness(nowNs);
        int replaced = 0;
        for (int i = 0; i < socket.length; i++)
        {
            final String stalled = watchdog[i].stalled(nowNs);
            if (stalled != null)
            {
                replaceSocket(i, stalled);
                replaced++;
            }
        }
        return work + replaced;
    }

    private void replaceSocket(final int i, final String stalled)
    {
        LOG.warn("connection to {} did not complete its handshake within {} ms (a JeroMQ 0.6.0 connect race): " +
            "reconnecting (its socket's events: {})", stalled, handshakeTimeoutNs / 1_000_000,
            watchdog[i].history(stalled));
        counters.onReconnect();
        socket[i].close();
        final ZEvent.ZEventConsummer events = sockets[i].events() == null ? null : sockets[i].events().socketReplaced();
        watchdog[i] = new ConnectionWatchdog(handshakeTimeoutNs);
        socket[i] = sockets[i].open(watchdog[i], events);
        if (socket.length == 1)
        {
            receiver.socket(socket[i]);
        }
        else
        {
            receiver.socket(i, socket[i]);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onClose()
    {
        receiver.close();
        for (final ZMQ.Socket open : socket)
        {
            open.close();
        }
        if (link != null)
        {
            link.close();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String roleName()
    {
        return "feed-receiver";
    }
}
