package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.socket.ConnectEndpoint;
import dev.feedhandler.common.socket.SocketEventFanOut;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.wire.Envelope;
import dev.feedhandler.common.wire.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes the subscriber's SUB socket: options, CURVE, the event hook shared by the event log and the
 * {@link ConnectionWatchdog}, the receive pool, then connections and subscriptions in the order that makes the
 * hello mean "fully subscribed". Makes it again when a connection stalls. Cold path.
 *
 * @param context            the context.
 * @param endpoints          where to connect.
 * @param topics             topic prefixes to subscribe to.
 * @param helloId            the id announced in the hello subscription.
 * @param receiveHwm         receive high-water mark in messages.
 * @param receiveBufferBytes SO_RCVBUF, 0 for the system's.
 * @param receiveTimeoutMs   receive timeout of a blocking receive, or -1 for none.
 * @param curve              CURVE client keys, or null.
 * @param events             the event log, or null.
 * @param pool               the receive pool.
 */
public record SubscriberSocket(
    ZContext context,
    List<String> endpoints,
    List<String> topics,
    String helloId,
    int receiveHwm,
    int receiveBufferBytes,
    int receiveTimeoutMs,
    CurveClient curve,
    SocketEventLog events,
    ReceiveBufferPool pool)
{
    private static final Logger LOG = LoggerFactory.getLogger(SubscriberSocket.class);

    /**
     * Opens, connects and subscribes a SUB socket.
     *
     * @param watchdog   watches its connections' handshakes.
     * @param eventsHook the event log's hook for this socket (a replacement's own), or null.
     * @return the socket.
     * @throws IllegalArgumentException with a one-line message if an endpoint is malformed.
     */
    public ZMQ.Socket open(final ConnectionWatchdog watchdog, final ZEvent.ZEventConsummer eventsHook)
    {
        final ZMQ.Socket socket = context.createSocket(SocketType.SUB);
        try
        {
            socket.setLinger(0);
            socket.setRcvHWM(receiveHwm);
            if (receiveBufferBytes > 0)
            {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            if (receiveTimeoutMs >= 0)
            {
                socket.setReceiveTimeOut(receiveTimeoutMs);
            }
            if (curve != null)
            {
                curve.configure(socket);
            }
            // One event hook per socket: the event log, when there is one, shares it with the watchdog.
            if (eventsHook == null)
            {
                socket.setEventHook(watchdog, ConnectionWatchdog.EVENTS);
            }
            else
            {
                events.curve(curve != null);
                socket.setEventHook(new SocketEventFanOut(eventsHook, watchdog),
                    SocketEventLog.EVENTS | ConnectionWatchdog.EVENTS);
            }
            socket.setMsgAllocator(pool);
            connectAndSubscribe(socket);
            return socket;
        }
        catch (final RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    private void connectAndSubscribe(final ZMQ.Socket socket)
    {
        // Connect first, then subscribe: subscriptions then travel in call order, so the hello reaches the
        // publisher after every topic subscription and means "fully subscribed".
        for (final String endpoint : endpoints)
        {
            try
            {
                socket.connect(endpoint);
            }
            catch (final IllegalArgumentException | ZMQException ex)
            {
                final String problem = ConnectEndpoint.problem(endpoint);
                throw new IllegalArgumentException("cannot connect " + endpoint + ": " + (problem != null ? problem :
                    "malformed endpoint (expected tcp://host:port, ipc://name or inproc://name)"), ex);
            }
        }
        for (final String topic : dataTopics(topics))
        {
            socket.subscribe(topic);
        }
        socket.subscribe(WireFormat.CONTROL_TOPIC);
        socket.subscribe(WireFormat.HELLO_TOPIC_PREFIX + helloId);
        LOG.info("subscribed to {} on {}", topics.contains("") ? "all topics" : topics, endpoints);
    }

    /**
     * What a socket subscribes to for data: the topic prefixes and the envelope of a publisher that packs several
     * topics' frames into one message ({@link Envelope}; the receiver filters its topics).
     *
     * @param topics the topic prefixes.
     * @return the subscriptions.
     */
    public static List<String> dataTopics(final List<String> topics)
    {
        final List<String> subscriptions = new ArrayList<>(topics);
        subscriptions.add(Envelope.TOPIC);
        return subscriptions;
    }
}
