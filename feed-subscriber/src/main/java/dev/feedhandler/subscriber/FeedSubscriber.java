package dev.feedhandler.subscriber;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.socket.SocketEventFanOut;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.receive.BatchEvent;
import dev.feedhandler.subscriber.receive.ConnectionWatchdog;
import dev.feedhandler.subscriber.receive.FeedReceiver;
import dev.feedhandler.subscriber.receive.FrameTap;
import dev.feedhandler.subscriber.receive.ListenerDispatcher;
import dev.feedhandler.subscriber.receive.ReceiveBufferPool;
import dev.feedhandler.subscriber.recovery.RecoveryClient;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZEvent;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A feed subscriber to embed in a trading process. A receiver thread reads the SUB socket, decodes, checks each
 * topic's sequence numbers and publishes into a Disruptor ring of pre-allocated slots; the listener runs on the
 * ring's consumer thread with zero-copy views. Nothing on that path allocates per update.
 * <p>
 * With a recovery endpoint ({@link Builder#recoveryEndpoint}), what the feed loses is fetched again from the
 * publisher's recovery service by a recovery client thread and delivered in its place, in order, and a topic whose
 * beginning was missed starts from a snapshot; without one, every gap is reported unrecoverable at once. Either way
 * the listener hears when the feed goes stale (nothing for three heartbeat intervals) and live again.
 * <pre>{@code
 * try (FeedSubscriber subscriber = FeedSubscriber.builder()
 *     .endpoint("tcp://127.0.0.1:5556")
 *     .topic("EUR")
 *     .listener(myListener)
 *     .build()
 *     .start())
 * {
 *     ...
 * }
 * }</pre>
 */
public final class FeedSubscriber implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FeedSubscriber.class);
    private static final long CLOSE_DRAIN_TIMEOUT_MS = 5_000;

    /** Default time to wait for a reply of the recovery service. */
    public static final long DEFAULT_RECOVERY_TIMEOUT_MS = SubscriberConfiguration.DEFAULT_RECOVERY_TIMEOUT_MS;

    /** Default number of times to ask the recovery service again after a timeout. */
    public static final int DEFAULT_RECOVERY_RETRIES = SubscriberConfiguration.DEFAULT_RECOVERY_RETRIES;

    /** Default bound of live frames held back behind recoveries. */
    public static final long DEFAULT_MAX_HELD_BYTES = SubscriberConfiguration.DEFAULT_MAX_HELD_BYTES;

    /** Default heartbeat interval of the publisher. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = SubscriberConfiguration.DEFAULT_HEARTBEAT_INTERVAL_MS;

    private final SubscriberConfiguration settings;
    private final SubscriberCounters counters;
    private final String helloId;
    private final CountDownLatch receiverStarted = new CountDownLatch(1);
    private final CountDownLatch receiverStopped = new CountDownLatch(1);
    private final ReceiveBufferPool pool;

    private ZContext context;
    private boolean ownsContext;
    private Disruptor<BatchEvent> disruptor;
    private volatile RingBuffer<BatchEvent> ring;
    private FeedReceiver receiver;
    private RecoveryClient recoveryClient;
    private Thread receiverThread;
    private volatile boolean running;
    private volatile RuntimeException startFailure;
    private boolean started;
    private boolean closed;

    private FeedSubscriber(final SubscriberConfiguration settings)
    {
        this.settings = settings;
        this.counters = settings.counters() == null ? new SubscriberCounters() :
            new SubscriberCounters(settings.counters());
        this.pool = new ReceiveBufferPool(settings.pooledFrameBytes(), settings.pooledFrames());
        this.helloId = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + "-" +
            ProcessHandle.current().pid();
    }

    /**
     * A builder with the defaults of {@link SubscriberConfiguration}: {@code tcp://127.0.0.1:5556}, all topics,
     * RCVHWM 100000, a ring of 1024 slots, the {@code lite-blocking} wait strategy, a blocking receive.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Connects, subscribes and starts the receiver and listener threads.
     *
     * @return this.
     * @throws IllegalArgumentException if an endpoint is malformed.
     * @throws IllegalStateException if already started.
     */
    public FeedSubscriber start()
    {
        if (started)
        {
            throw new IllegalStateException("already started");
        }
        started = true;
        ownsContext = settings.context() == null;
        context = ownsContext ? new ZContext(settings.ioThreads()) : settings.context();

        final int slotBytes = settings.slotBytes();
        disruptor = new Disruptor<>(
            () -> new BatchEvent(slotBytes),
            settings.ringSize(),
            runnable -> daemon(runnable, "feed-listener"),
            ProducerType.SINGLE,
            WaitStrategies.of(settings.waitStrategy()));
        disruptor.handleEventsWith(new ListenerDispatcher(settings.listener(), counters));
        final RingBuffer<BatchEvent> ring = disruptor.start();
        this.ring = ring;

        if (settings.recoveryEndpoint() != null)
        {
            recoveryClient = new RecoveryClient(context, linkEndpoint(), settings.recoveryEndpoint(),
                settings.recoveryTimeoutMs(), settings.recoveryRetries(), settings.curve(), settings.recoveryEvents())
                .start();
            LOG.info("recovering gaps from {}", settings.recoveryEndpoint());
        }
        running = true;
        receiverThread = daemon(() -> runReceiver(ring), "feed-receiver");
        receiverThread.start();
        try
        {
            receiverStarted.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (startFailure != null)
        {
            close();
            throw startFailure;
        }
        return this;
    }

    private String linkEndpoint()
    {
        return "inproc://feed-recovery-" + helloId;
    }

    private void runReceiver(final RingBuffer<BatchEvent> ring)
    {
        final boolean block = settings.blockingReceive();
        ZMQ.Socket socket = null;
        ZMQ.Socket link = null;
        ConnectionWatchdog watchdog = new ConnectionWatchdog(settings.handshakeTimeoutNs());
        try
        {
            socket = openSocket(watchdog, block, settings.socketEvents());
            receiver = new FeedReceiver(socket, ring, counters, pool, settings.maxFrameBytes(), settings.maxTopics());
            receiver.tap(settings.frameTap());
            receiver.liveness(settings.heartbeatIntervalNs());
            if (recoveryClient != null)
            {
                link = context.createSocket(SocketType.PAIR);
                link.setLinger(0);
                link.setSndHWM(0);
                link.setRcvHWM(0);
                link.connect(linkEndpoint());
                receiver.enableRecovery(context, link, settings.topics(), settings.maxHeldBytes());
            }
        }
        catch (final RuntimeException ex)
        {
            startFailure = ex;
            if (socket != null)
            {
                socket.close();
            }
            if (link != null)
            {
                link.close();
            }
            receiverStarted.countDown();
            receiverStopped.countDown();
            return;
        }
        receiverStarted.countDown();

        final IdleStrategy idle = block ? null : IdleStrategies.of(settings.receiveIdle());
        final ErrorHandler errors = counters.process().errors().handler(
            LOG, Level.ERROR, "error in the receiver; it goes on", counters.receiverErrorCounter());
        try
        {
            while (running)
            {
                try
                {
                    final int work = receiver.doWork(block);
                    final long nowNs = System.nanoTime();
                    receiver.checkLiveness(nowNs);
                    final String stalled = watchdog.stalled(nowNs);
                    if (stalled != null)
                    {
                        LOG.warn("connection to {} did not complete its handshake within {} ms (a JeroMQ 0.6.0 " +
                            "connect race): reconnecting", stalled, settings.handshakeTimeoutNs() / 1_000_000);
                        counters.onReconnect();
                        socket.close();
                        final ZEvent.ZEventConsummer events = settings.socketEvents() == null ? null :
                            settings.socketEvents().socketReplaced();
                        watchdog = new ConnectionWatchdog(settings.handshakeTimeoutNs());
                        socket = openSocket(watchdog, block, events);
                        receiver.socket(socket);
                    }
                    else if (!block)
                    {
                        idle.idle(work);
                    }
                }
                catch (final ZMQException ex)
                {
                    if (ex.getErrorCode() == ZMQ.Error.ETERM.getCode())
                    {
                        break;
                    }
                    errors.onError(ex);
                }
                catch (final RuntimeException ex)
                {
                    errors.onError(ex);
                }
            }
        }
        finally
        {
            receiver.close();
            socket.close();
            if (link != null)
            {
                link.close();
            }
            receiverStopped.countDown();
        }
    }

    private ZMQ.Socket openSocket(final ConnectionWatchdog watchdog, final boolean block,
        final ZEvent.ZEventConsummer events)
    {
        final ZMQ.Socket socket = context.createSocket(SocketType.SUB);
        try
        {
            socket.setLinger(0);
            socket.setRcvHWM(settings.receiveHwm());
            if (settings.receiveBufferBytes() > 0)
            {
                socket.setReceiveBufferSize(settings.receiveBufferBytes());
            }
            if (block)
            {
                socket.setReceiveTimeOut(FeedReceiver.RECEIVE_TIMEOUT_MS);
            }
            if (settings.curve() != null)
            {
                settings.curve().configure(socket);
            }
            // One event hook per socket: the event log, when there is one, shares it with the watchdog.
            if (events == null)
            {
                socket.setEventHook(watchdog, ConnectionWatchdog.EVENTS);
            }
            else
            {
                settings.socketEvents().curve(settings.curve() != null);
                socket.setEventHook(new SocketEventFanOut(events, watchdog),
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
        for (final String endpoint : settings.endpoints())
        {
            try
            {
                socket.connect(endpoint);
            }
            catch (final IllegalArgumentException | ZMQException ex)
            {
                throw new IllegalArgumentException("cannot connect " + endpoint + ": malformed endpoint " +
                    "(expected tcp://host:port, ipc://name or inproc://name)", ex);
            }
        }
        for (final String topic : settings.topics())
        {
            socket.subscribe(topic);
        }
        socket.subscribe(WireFormat.CONTROL_TOPIC);
        socket.subscribe(WireFormat.HELLO_TOPIC_PREFIX + helloId);
        LOG.info("subscribed to {} on {}", settings.topics().contains("") ? "all topics" : settings.topics(),
            settings.endpoints());
    }

    private static Thread daemon(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * The subscriber's counters, readable from any thread.
     *
     * @return the counters.
     */
    public SubscriberCounters counters()
    {
        return counters;
    }

    /**
     * Batches waiting in the ring for the listener. Safe from any thread.
     *
     * @return the occupancy, 0 before start.
     */
    public long ringOccupancy()
    {
        final RingBuffer<BatchEvent> current = ring;
        return current == null ? 0 : current.getBufferSize() - current.remainingCapacity();
    }

    /**
     * Slots in the ring (one batch each).
     *
     * @return the ring size.
     */
    public int ringCapacity()
    {
        return settings.ringSize();
    }

    /**
     * The event log of the feed socket, if one was given to the builder.
     *
     * @return the log, or null.
     */
    public SocketEventLog socketEvents()
    {
        return settings.socketEvents();
    }

    /**
     * Topics seen so far, in id order. Safe from any thread.
     *
     * @return the topics.
     */
    public List<Topic> topics()
    {
        final FeedReceiver current = receiver;
        return current == null ? List.of() : current.topics();
    }

    /**
     * Frames allocated because every pooled receive array was in use (the receiver fell far behind).
     *
     * @return the count.
     */
    public long receivePoolMisses()
    {
        return pool.misses();
    }

    /**
     * The recovery client, for its counts.
     *
     * @return the client, or null without a recovery endpoint.
     */
    public RecoveryClient recoveryClient()
    {
        return recoveryClient;
    }

    /**
     * The id this subscriber announces to publishers in its hello subscription.
     *
     * @return the id.
     */
    public String helloId()
    {
        return helloId;
    }

    /**
     * The settings this subscriber runs with.
     *
     * @return the validated, immutable settings.
     */
    public SubscriberConfiguration configuration()
    {
        return settings;
    }

    /**
     * Stops receiving, delivers what is already in the ring to the listener (up to 5 seconds), and releases the
     * socket, threads and (if owned) the ZeroMQ context. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed || !started)
        {
            closed = true;
            return;
        }
        closed = true;
        running = false;
        try
        {
            receiverStopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (recoveryClient != null)
        {
            recoveryClient.close();
        }
        try
        {
            disruptor.shutdown(CLOSE_DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            LOG.warn("listener did not drain the ring within {} ms; halting it", CLOSE_DRAIN_TIMEOUT_MS);
            disruptor.halt();
        }
        if (ownsContext)
        {
            context.close();
        }
    }

    /**
     * Collects a subscriber's settings; {@link #build()} validates them once into an immutable
     * {@link SubscriberConfiguration}.
     */
    public static final class Builder
    {
        private final List<String> endpoints = new ArrayList<>();
        private final List<String> topics = new ArrayList<>();
        private int receiveHwm = SubscriberConfiguration.DEFAULT_RECEIVE_HWM;
        private int receiveBufferBytes;
        private int ringSize = SubscriberConfiguration.DEFAULT_RING_SIZE;
        private int slotBytes = SubscriberConfiguration.DEFAULT_SLOT_BYTES;
        private String waitStrategy = SubscriberConfiguration.DEFAULT_WAIT_STRATEGY;
        private String receiveIdle = SubscriberConfiguration.DEFAULT_RECEIVE_IDLE;
        private int maxFrameBytes = SubscriberConfiguration.DEFAULT_MAX_FRAME_BYTES;
        private int maxTopics = SubscriberConfiguration.DEFAULT_MAX_TOPICS;
        private int ioThreads = SubscriberConfiguration.DEFAULT_IO_THREADS;
        private long handshakeTimeoutNs = SubscriberConfiguration.DEFAULT_HANDSHAKE_TIMEOUT_MS * 1_000_000L;
        private int pooledFrameBytes = SubscriberConfiguration.DEFAULT_POOLED_FRAME_BYTES;
        private int pooledFrames = SubscriberConfiguration.DEFAULT_POOLED_FRAMES;
        private ZContext context;
        private FeedListener listener;
        private CurveClient curve;
        private SocketEventLog socketEvents;
        private FrameTap frameTap;
        private String recoveryEndpoint;
        private long recoveryTimeoutMs = DEFAULT_RECOVERY_TIMEOUT_MS;
        private int recoveryRetries = DEFAULT_RECOVERY_RETRIES;
        private long maxHeldBytes = DEFAULT_MAX_HELD_BYTES;
        private long heartbeatIntervalNs = DEFAULT_HEARTBEAT_INTERVAL_MS * 1_000_000L;
        private SocketEventLog recoveryEvents;
        private ProcessCounters counters;

        private Builder()
        {
        }

        /**
         * Adds an endpoint to connect to (repeatable); {@link SubscriberConfiguration#DEFAULT_ENDPOINT} if none is
         * added.
         *
         * @param endpoint such as {@code tcp://host:5556}, {@code ipc://feed}, {@code inproc://feed}.
         * @return this.
         */
        public Builder endpoint(final String endpoint)
        {
            endpoints.add(Objects.requireNonNull(endpoint));
            return this;
        }

        /**
         * Adds endpoints.
         *
         * @param endpoints to connect to.
         * @return this.
         */
        public Builder endpoints(final List<String> endpoints)
        {
            endpoints.forEach(this::endpoint);
            return this;
        }

        /**
         * Adds a topic prefix to subscribe to (repeatable): {@code EUR} receives EURUSD, EURGBP, ...; all topics if
         * none is added.
         *
         * @param prefix a symbol prefix.
         * @return this.
         */
        public Builder topic(final String prefix)
        {
            topics.add(Objects.requireNonNull(prefix));
            return this;
        }

        /**
         * Adds topic prefixes.
         *
         * @param prefixes symbol prefixes.
         * @return this.
         */
        public Builder topics(final List<String> prefixes)
        {
            prefixes.forEach(this::topic);
            return this;
        }

        /**
         * Receive high-water mark in messages (batches), the queue before the receiver.
         *
         * @param hwm messages, 0 for no limit.
         * @return this.
         */
        public Builder receiveHwm(final int hwm)
        {
            receiveHwm = hwm;
            return this;
        }

        /**
         * Kernel receive buffer (SO_RCVBUF).
         *
         * @param bytes size, 0 for the system default.
         * @return this.
         */
        public Builder receiveBufferBytes(final int bytes)
        {
            receiveBufferBytes = bytes;
            return this;
        }

        /**
         * Ring size in slots (one slot per batch), a power of two.
         *
         * @param slots the size.
         * @return this.
         */
        public Builder ringSize(final int slots)
        {
            ringSize = slots;
            return this;
        }

        /**
         * Initial size of each ring slot's buffer: a slot grows (once) when a larger batch arrives, so sizing it
         * for the publisher's batches avoids allocation while the feed warms up. Default 16 KiB.
         *
         * @param bytes initial slot size.
         * @return this.
         */
        public Builder slotBytes(final int bytes)
        {
            slotBytes = bytes;
            return this;
        }

        /**
         * Wait strategy of the listener thread, one of {@link WaitStrategies#NAMES}.
         *
         * @param name the strategy.
         * @return this.
         */
        public Builder waitStrategy(final String name)
        {
            waitStrategy = name;
            return this;
        }

        /**
         * How the receiver thread waits for messages: {@code block} (default, in the socket) or an idle strategy
         * name ({@code spin}, {@code yield}, {@code backoff}, {@code sleep}) polling without blocking.
         *
         * @param name the mode.
         * @return this.
         */
        public Builder receiveIdle(final String name)
        {
            receiveIdle = name;
            return this;
        }

        /**
         * Largest payload accepted; larger frames are counted as oversized and skipped.
         *
         * @param bytes the limit.
         * @return this.
         */
        public Builder maxFrameBytes(final int bytes)
        {
            maxFrameBytes = bytes;
            return this;
        }

        /**
         * Most distinct topics tracked (a guard against a flood of bogus topics).
         *
         * @param topics the limit.
         * @return this.
         */
        public Builder maxTopics(final int topics)
        {
            maxTopics = topics;
            return this;
        }

        /**
         * ZeroMQ I/O threads of the context the subscriber creates.
         *
         * @param threads the count.
         * @return this.
         */
        public Builder ioThreads(final int threads)
        {
            ioThreads = threads;
            return this;
        }

        /**
         * Receive memory reused across frames instead of allocated per frame: frames up to {@code frameBytes} are
         * received into one of at most {@code frames} pooled arrays (default 512 of 64 KiB, created as needed).
         *
         * @param frameBytes largest frame pooled.
         * @param frames     most pooled arrays.
         * @return this.
         */
        public Builder receivePool(final int frameBytes, final int frames)
        {
            pooledFrameBytes = frameBytes;
            pooledFrames = frames;
            return this;
        }

        /**
         * How long a new connection may take to complete its ZeroMQ handshake before the subscriber replaces its
         * socket (see {@link ConnectionWatchdog}); default 1 second.
         *
         * @param timeoutMs the timeout in milliseconds.
         * @return this.
         */
        public Builder handshakeTimeoutMs(final long timeoutMs)
        {
            handshakeTimeoutNs = timeoutMs * 1_000_000L;
            return this;
        }

        /**
         * A ZeroMQ context to share (required for inproc with a publisher in this process); the subscriber then
         * does not close it.
         *
         * @param sharedContext the context.
         * @return this.
         */
        public Builder context(final ZContext sharedContext)
        {
            context = sharedContext;
            return this;
        }

        /**
         * Encrypts the connections with CURVE: the publisher's public key and this subscriber's key pair.
         *
         * @param curveClient the keys, or null for plaintext (the default).
         * @return this.
         */
        public Builder curve(final CurveClient curveClient)
        {
            curve = curveClient;
            return this;
        }

        /**
         * Logs and counts the feed socket's events (connected, disconnected, handshake failed...) in this log; it
         * shares the socket's one event hook with the connection watchdog.
         *
         * @param log the log, or null for none (the default).
         * @return this.
         */
        public Builder socketEvents(final SocketEventLog log)
        {
            socketEvents = log;
            return this;
        }

        /**
         * Recovers what the feed loses from the publisher's recovery service at this endpoint (by default the
         * publisher puts it on its feed port + 1), and starts topics whose beginning was missed from a snapshot.
         *
         * @param endpoint such as {@code tcp://127.0.0.1:5557}, or null for no recovery (the default: every gap is
         *                 reported unrecoverable at once).
         * @return this.
         */
        public Builder recoveryEndpoint(final String endpoint)
        {
            recoveryEndpoint = endpoint;
            return this;
        }

        /**
         * How long to wait for the recovery service's reply before asking again on a new socket (Lazy Pirate).
         *
         * @param timeoutMs milliseconds, default {@value #DEFAULT_RECOVERY_TIMEOUT_MS}.
         * @return this.
         */
        public Builder recoveryTimeoutMs(final long timeoutMs)
        {
            recoveryTimeoutMs = timeoutMs;
            return this;
        }

        /**
         * How many times to ask again after a timeout before the recovery is given up (reported unrecoverable).
         *
         * @param retries the count, default {@value #DEFAULT_RECOVERY_RETRIES}.
         * @return this.
         */
        public Builder recoveryRetries(final int retries)
        {
            recoveryRetries = retries;
            return this;
        }

        /**
         * Most bytes of live frames held back behind recoveries, all topics together; past it, the topic whose frame
         * does not fit gives up its recovery (reported unrecoverable) and delivers what it holds.
         *
         * @param bytes the bound, default 64 MiB.
         * @return this.
         */
        public Builder maxHeldBytes(final long bytes)
        {
            maxHeldBytes = bytes;
            return this;
        }

        /**
         * The publisher's heartbeat interval: nothing at all for three of them makes the feed stale
         * ({@link FeedListener#onStale()}).
         *
         * @param intervalMs milliseconds, default {@value #DEFAULT_HEARTBEAT_INTERVAL_MS}; 0 turns liveness off.
         * @return this.
         */
        public Builder heartbeatIntervalMs(final long intervalMs)
        {
            heartbeatIntervalNs = intervalMs * 1_000_000L;
            return this;
        }

        /**
         * Logs and counts the recovery socket's events in this log.
         *
         * @param log the log, or null for none (the default).
         * @return this.
         */
        public Builder recoverySocketEvents(final SocketEventLog log)
        {
            recoveryEvents = log;
            return this;
        }

        /**
         * Keeps the subscriber's counters and error log here: a counters file ({@link ProcessCounters#createFile})
         * that {@code feed stat} reads while the process runs. Whoever creates it closes it, after the subscriber.
         *
         * @param processCounters the counters, or null to keep them in memory (the default).
         * @return this.
         */
        public Builder counters(final ProcessCounters processCounters)
        {
            counters = processCounters;
            return this;
        }

        /**
         * The listener that receives the updates.
         *
         * @param feedListener the listener.
         * @return this.
         */
        public Builder listener(final FeedListener feedListener)
        {
            listener = feedListener;
            return this;
        }

        /**
         * A tap that sees every frame received, byte for byte, on the receiver thread (for recording).
         *
         * @param tap the tap, or null for none.
         * @return this.
         */
        public Builder frameTap(final FrameTap tap)
        {
            frameTap = tap;
            return this;
        }

        /**
         * Validates the settings once, fixes them in a {@link SubscriberConfiguration}, and creates the subscriber
         * (not started). The builder may be changed and built again afterwards without affecting it.
         *
         * @return the subscriber.
         * @throws IllegalArgumentException with a one-line message for invalid settings.
         */
        public FeedSubscriber build()
        {
            return new FeedSubscriber(new SubscriberConfiguration(endpoints, topics, receiveHwm, receiveBufferBytes,
                ringSize, slotBytes, waitStrategy, receiveIdle, maxFrameBytes, maxTopics, ioThreads,
                handshakeTimeoutNs, pooledFrameBytes, pooledFrames, context, listener, curve, socketEvents, frameTap,
                recoveryEndpoint, recoveryTimeoutMs, recoveryRetries, maxHeldBytes, heartbeatIntervalNs,
                recoveryEvents, counters));
        }
    }
}
