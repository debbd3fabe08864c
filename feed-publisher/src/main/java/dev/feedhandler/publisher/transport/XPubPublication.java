package dev.feedhandler.publisher.transport;

import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.Msg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The publisher's one XPUB socket, bound to every endpoint: sends {@code [topic][payload]} messages and reads the
 * subscriptions that come back (XPUB verbose), so the publisher knows who has subscribed. A subscriber announces
 * itself with a hello subscription ({@link WireFormat#HELLO_TOPIC_PREFIX}) after its topic subscriptions, and
 * ZeroMQ unsubscribes it when its connection ends, so the count of hellos is the count of ready subscribers.
 * <p>
 * Used by the publisher's thread only (ZeroMQ sockets are not thread-safe).
 */
public final class XPubPublication implements Publication, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(XPubPublication.class);
    private static final byte SUBSCRIBE = 1;
    private static final byte UNSUBSCRIBE = 0;
    private static final byte[] HELLO_PREFIX = WireFormat.HELLO_TOPIC_PREFIX.getBytes(StandardCharsets.US_ASCII);

    private final SocketConfiguration configuration;
    private final ZContext context;
    private final boolean ownsContext;
    private final ZMQ.Socket socket;
    private final List<String> boundEndpoints = new ArrayList<>();
    private final Set<String> subscribers = new HashSet<>();
    private final EnvelopeSender envelope;

    private Msg pendingPayload;
    private long bytesSent;
    private long messagesSent;
    private long framesSent;
    private long sendRetries;
    private long subscriptionsSeen;

    /**
     * Creates the socket and binds every endpoint.
     *
     * @param configuration   socket settings.
     * @param sharedContext   a context to share (needed for inproc with subscribers in this process), or null to
     *                        own one.
     * @param maxPayloadBytes largest payload the publisher sends.
     * @throws EndpointException if an endpoint cannot be bound; nothing stays open.
     */
    public XPubPublication(
        final SocketConfiguration configuration, final ZContext sharedContext, final int maxPayloadBytes)
    {
        this(configuration, sharedContext, maxPayloadBytes, SocketSetup.NONE);
    }

    /**
     * Creates the socket, prepares it (CURVE, event log) and binds every endpoint.
     *
     * @param configuration   socket settings.
     * @param sharedContext   a context to share (needed for inproc with subscribers in this process), or null to
     *                        own one.
     * @param maxPayloadBytes largest payload the publisher sends.
     * @param setup           applied to the socket before it binds.
     * @throws EndpointException if an endpoint cannot be bound; nothing stays open.
     */
    public XPubPublication(
        final SocketConfiguration configuration, final ZContext sharedContext, final int maxPayloadBytes,
        final SocketSetup setup)
    {
        this.configuration = configuration;
        this.ownsContext = sharedContext == null;
        this.context = ownsContext ? configuration.ioThreadPolicy().install(
            ZmqThreadErrors.install(new ZContext(configuration.ioThreads()))) : sharedContext;
        if (ownsContext)
        {
            context.setLinger(configuration.closeLingerMs());
        }
        this.socket = context.createSocket(SocketType.XPUB);
        this.envelope = configuration.envelope() ? new EnvelopeSender(this::sendMessage, maxPayloadBytes) : null;
        try
        {
            socket.setLinger(configuration.closeLingerMs());
            socket.setSndHWM(configuration.sendHwm());
            socket.setXpubVerbose(true);
            socket.setXpubNoDrop(configuration.backpressure() == Backpressure.BLOCK);
            if (configuration.sendBufferBytes() > 0)
            {
                socket.setSendBufferSize(configuration.sendBufferBytes());
            }
            socket.setTCPKeepAlive(configuration.tcpKeepAlive() ? 1 : 0);
            setup.apply(context, socket);
            for (final String endpoint : configuration.endpoints())
            {
                bind(endpoint);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private void bind(final String endpoint)
    {
        try
        {
            BindErrors.checkLocalHost(endpoint);
            socket.bind(endpoint);
        }
        catch (final ZMQException ex)
        {
            throw new EndpointException(endpoint, BindErrors.reason(endpoint, ex));
        }
        catch (final NumberFormatException ex)
        {
            throw new EndpointException(endpoint, "malformed port");
        }
        catch (final IllegalArgumentException ex)
        {
            final String message = ex.getMessage() == null ? "" : ex.getMessage();
            throw new EndpointException(endpoint, message.startsWith("port out of range") ?
                "port out of range" : "malformed endpoint (expected tcp://host:port, ipc://name or inproc://name)");
        }
        final String bound = socket.getLastEndpoint();
        boundEndpoints.add(bound != null ? bound : endpoint);
        LOG.info("publishing on {}", bound != null ? bound : endpoint);
    }

    /**
     * {@inheritDoc}
     * <p>
     * Never waits: with {@link Backpressure#BLOCK} a full subscriber queue answers {@link #BACK_PRESSURED} and the
     * caller offers the frame again (ZeroMQ checks the high-water mark on a message's first frame, so a refused
     * message left nothing behind; should its second frame ever be refused after the first went, the next call sends
     * only the second). With {@link Backpressure#DROP}, PUB semantics: the socket never refuses.
     * <p>
     * JeroMQ keeps a reference to a frame's bytes until its I/O thread has written them, and its API has no way to
     * say when that is (libzmq's {@code zmq_msg_init_data} takes a free function; JeroMQ 0.6.0 has nothing like
     * it). A queue that a slow or prefix-filtered subscriber leaves full can hold a frame indefinitely, so no bound
     * on reuse holds: each frame gets an array of its own, the one allocation per batch on this path (measured in
     * the benchmarks).
     */
    @Override
    public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final int result = envelope == null ? sendMessage(topic, payload, offset, length) :
            envelope.send(topic, payload, offset, length);
        if (result == SENT)
        {
            framesSent++;
        }
        return result;
    }

    /**
     * Sends what {@code --envelope} has packed so far: call at the end of every duty cycle (without envelopes there
     * is never anything to send).
     *
     * @return {@link #SENT} (also when nothing waited), {@link #BACK_PRESSURED} (it waits and goes on a later call)
     *         or {@link #CLOSED}.
     */
    public int flush()
    {
        return envelope == null ? SENT : envelope.flush();
    }

    /**
     * Whether an envelope the socket refused waits to go ({@code --backpressure block}): offer it again
     * ({@link #flush()}) before taking more from the source.
     *
     * @return true while one waits.
     */
    public boolean isBackPressured()
    {
        return envelope != null && envelope.isBackPressured();
    }

    /**
     * Gives up an envelope that waits (the session ends and it could not go within the close linger).
     *
     * @return frames given up.
     */
    public int discardWaiting()
    {
        return envelope == null ? 0 : envelope.discard();
    }

    /**
     * Envelopes of two frames or more sent ({@code --envelope}).
     *
     * @return the count.
     */
    public long envelopesSent()
    {
        return envelope == null ? 0 : envelope.envelopes();
    }

    /**
     * Frames that went inside envelopes ({@code --envelope}).
     *
     * @return the count.
     */
    public long framesEnveloped()
    {
        return envelope == null ? 0 : envelope.framesEnveloped();
    }

    private int sendMessage(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        try
        {
            if (configuration.backpressure() == Backpressure.BLOCK)
            {
                return sendOrRefuse(topic, payload, offset, length);
            }
            socket.sendMsg(new Msg(topic), ZMQ.SNDMORE);
            socket.sendMsg(new Msg(copy(payload, offset, length)), 0);
        }
        catch (final ZMQException ex)
        {
            if (ex.getErrorCode() == ZMQ.Error.ETERM.getCode())
            {
                return CLOSED;
            }
            throw ex;
        }
        bytesSent += topic.length + length;
        messagesSent++;
        return SENT;
    }

    private int sendOrRefuse(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        Msg frame = pendingPayload;
        if (frame == null)
        {
            if (!socket.sendMsg(new Msg(topic), ZMQ.SNDMORE | ZMQ.DONTWAIT))
            {
                sendRetries++;
                return BACK_PRESSURED;
            }
            frame = new Msg(copy(payload, offset, length));
        }
        if (!socket.sendMsg(frame, ZMQ.DONTWAIT))
        {
            pendingPayload = frame;
            sendRetries++;
            return BACK_PRESSURED;
        }
        pendingPayload = null;
        bytesSent += topic.length + length;
        messagesSent++;
        return SENT;
    }

    /**
     * The copy of a frame that JeroMQ keeps until its I/O thread has written it. From an array-backed buffer (the
     * batcher's) it is {@link Arrays#copyOfRange}, which the JIT compiles without zeroing the new array first: 20%
     * faster than allocating and then copying (2.9 against 3.8 µs for a 57 KB frame, a {@code /tmp} loop after
     * warm-up), and the zeroing was 3% of the publishing thread flat out ({@code perf record}).
     */
    static byte[] copy(final DirectBuffer payload, final int offset, final int length)
    {
        payload.boundsCheck(offset, length);
        final byte[] array = payload.byteArray();
        if (array != null)
        {
            final int from = payload.wrapAdjustment() + offset;
            return Arrays.copyOfRange(array, from, from + length);
        }
        final byte[] copy = new byte[length];
        payload.getBytes(offset, copy, 0, length);
        return copy;
    }

    /**
     * Reads the subscription messages that have arrived, without waiting.
     *
     * @return how many were read.
     */
    public int pollSubscriptions()
    {
        int count = 0;
        byte[] message;
        while ((message = socket.recv(ZMQ.DONTWAIT)) != null)
        {
            count++;
            onSubscription(message);
        }
        return count;
    }

    private void onSubscription(final byte[] message)
    {
        if (message.length == 0 || (message[0] != SUBSCRIBE && message[0] != UNSUBSCRIBE))
        {
            return;
        }
        subscriptionsSeen++;
        final boolean subscribe = message[0] == SUBSCRIBE;
        if (isHello(message))
        {
            final String id = new String(message, 1 + HELLO_PREFIX.length,
                message.length - 1 - HELLO_PREFIX.length, StandardCharsets.US_ASCII);
            if (subscribe ? subscribers.add(id) : subscribers.remove(id))
            {
                LOG.info("subscriber {} {} ({} subscribed)", id, subscribe ? "ready" : "gone", subscribers.size());
            }
        }
        else if (LOG.isDebugEnabled())
        {
            LOG.debug("{} '{}'", subscribe ? "subscribe" : "unsubscribe",
                printable(new String(message, 1, message.length - 1, StandardCharsets.US_ASCII)));
        }
    }

    private static boolean isHello(final byte[] message)
    {
        if (message.length < 1 + HELLO_PREFIX.length)
        {
            return false;
        }
        for (int i = 0; i < HELLO_PREFIX.length; i++)
        {
            if (message[1 + i] != HELLO_PREFIX[i])
            {
                return false;
            }
        }
        return true;
    }

    private static String printable(final String topic)
    {
        return topic.replace("\0", "\\0");
    }

    /**
     * Waits until at least {@code count} subscribers have announced themselves, reading subscriptions meanwhile.
     *
     * @param count     subscribers to wait for.
     * @param timeoutMs how long to wait.
     * @param running   stops the wait early when it turns false.
     * @return true if they are there, false on timeout or stop.
     */
    public boolean awaitSubscribers(final int count, final long timeoutMs, final BooleanSupplier running)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (subscribers.size() < count)
        {
            if (!running.getAsBoolean() || System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            if (pollSubscriptions() == 0)
            {
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Subscribers that have announced themselves and are still connected.
     *
     * @return the count.
     */
    public int subscriberCount()
    {
        return subscribers.size();
    }

    /**
     * The endpoints bound, with wildcard ports resolved.
     *
     * @return endpoints in the order given.
     */
    public List<String> boundEndpoints()
    {
        return Collections.unmodifiableList(boundEndpoints);
    }

    /**
     * Bytes handed to the socket (both frames).
     *
     * @return the count.
     */
    public long bytesSent()
    {
        return bytesSent;
    }

    /**
     * Messages handed to the socket (with {@code --envelope}, an envelope is one message).
     *
     * @return the count.
     */
    public long messagesSent()
    {
        return messagesSent;
    }

    /**
     * Frames taken: each topic's batch, heartbeat or status, whether it went alone or in an envelope.
     *
     * @return the count.
     */
    public long framesSent()
    {
        return framesSent;
    }

    /**
     * Times a send found a subscriber's queue full ({@link Backpressure#BLOCK}) and answered
     * {@link #BACK_PRESSURED}, to be offered again.
     *
     * @return the count.
     */
    public long sendRetries()
    {
        return sendRetries;
    }

    /**
     * Subscribe and unsubscribe messages read.
     *
     * @return the count.
     */
    public long subscriptionsSeen()
    {
        return subscriptionsSeen;
    }

    /**
     * Closes the socket, waiting up to the close linger for queued messages to go out, and the context if owned.
     */
    @Override
    public void close()
    {
        if (ownsContext)
        {
            context.close();
        }
        else
        {
            // Closing the socket itself keeps its own linger (destroySocket would impose the context's).
            socket.close();
        }
    }

    /**
     * The socket's context (tests).
     */
    ZContext context()
    {
        return context;
    }
}
