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
    private final SubscriberSocket sockets;
    private final SubscriberCounters counters;
    private final long handshakeTimeoutNs;
    private final boolean blocking;
    private final ZMQ.Socket link;
    private ZMQ.Socket socket;
    private ConnectionWatchdog watchdog;

    /**
     * An agent over an open socket.
     *
     * @param receiver           the receiver, reading {@code socket}.
     * @param sockets            makes a replacement socket.
     * @param socket             the open socket.
     * @param watchdog           the watchdog of that socket.
     * @param link               the link to the recovery client (closed with the agent), or null.
     * @param counters           where reconnects are counted.
     * @param handshakeTimeoutNs how long a handshake may take before the socket is replaced.
     * @param blocking           whether a duty cycle may wait for the first message.
     */
    public ReceiverAgent(
        final FeedReceiver receiver,
        final SubscriberSocket sockets,
        final ZMQ.Socket socket,
        final ConnectionWatchdog watchdog,
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
        final String stalled = watchdog.stalled(nowNs);
        if (stalled != null)
        {
            replaceSocket(stalled);
            return work + 1;
        }
        return work;
    }

    private void replaceSocket(final String stalled)
    {
        LOG.warn("connection to {} did not complete its handshake within {} ms (a JeroMQ 0.6.0 connect race): " +
            "reconnecting", stalled, handshakeTimeoutNs / 1_000_000);
        counters.onReconnect();
        socket.close();
        final ZEvent.ZEventConsummer events = sockets.events() == null ? null : sockets.events().socketReplaced();
        watchdog = new ConnectionWatchdog(handshakeTimeoutNs);
        socket = sockets.open(watchdog, events);
        receiver.socket(socket);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onClose()
    {
        receiver.close();
        socket.close();
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
