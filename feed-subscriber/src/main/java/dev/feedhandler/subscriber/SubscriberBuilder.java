package dev.feedhandler.subscriber;

import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.subscriber.receive.FrameTap;
import org.zeromq.ZContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects a subscriber's settings; {@link #build()} validates them once into an immutable
 * {@link SubscriberConfiguration}. What to do about loss (recovery, liveness, arbitration of identical lines) is
 * collected by its {@link SubscriberLossSettings} part.
 */
public final class SubscriberBuilder extends SubscriberLossSettings
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
    private Boolean inlineListener;
    private boolean agentInvoker;
    private ShmLocation sharedMemory;
    private ProcessCounters counters;
    private boolean conflate;
    private int conflateMaxTrades = SubscriberConfiguration.DEFAULT_CONFLATE_MAX_TRADES;

    SubscriberBuilder()
    {
    }

    /**
     * Adds an endpoint to connect to (repeatable); {@link SubscriberConfiguration#DEFAULT_ENDPOINT} if none is
     * added.
     *
     * @param endpoint such as {@code tcp://host:5556}, {@code ipc://feed}, {@code inproc://feed}.
     * @return this.
     */
    public SubscriberBuilder endpoint(final String endpoint)
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
    public SubscriberBuilder endpoints(final List<String> endpoints)
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
    public SubscriberBuilder topic(final String prefix)
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
    public SubscriberBuilder topics(final List<String> prefixes)
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
    public SubscriberBuilder receiveHwm(final int hwm)
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
    public SubscriberBuilder receiveBufferBytes(final int bytes)
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
    public SubscriberBuilder ringSize(final int slots)
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
    public SubscriberBuilder slotBytes(final int bytes)
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
    public SubscriberBuilder waitStrategy(final String name)
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
    public SubscriberBuilder receiveIdle(final String name)
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
    public SubscriberBuilder maxFrameBytes(final int bytes)
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
    public SubscriberBuilder maxTopics(final int topics)
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
    public SubscriberBuilder ioThreads(final int threads)
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
    public SubscriberBuilder receivePool(final int frameBytes, final int frames)
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
    public SubscriberBuilder handshakeTimeoutMs(final long timeoutMs)
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
    public SubscriberBuilder context(final ZContext sharedContext)
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
    public SubscriberBuilder curve(final CurveClient curveClient)
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
    public SubscriberBuilder socketEvents(final SocketEventLog log)
    {
        socketEvents = log;
        return this;
    }

    /**
     * The listener that receives the updates.
     *
     * @param feedListener the listener.
     * @return this.
     */
    public SubscriberBuilder listener(final FeedListener feedListener)
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
    public SubscriberBuilder frameTap(final FrameTap tap)
    {
        frameTap = tap;
        return this;
    }

    /**
     * Runs the listener on the receiver's thread: no ring and no listener thread, one hand-off fewer per update.
     * For a listener that returns quickly; while it runs nothing is received (ZeroMQ queues what arrives, up to the
     * receive high-water mark). Unless this is called, the listener runs on a thread of its own behind the ring for
     * sockets, and on the reader's thread for {@link #sharedMemory shared memory} without {@link #conflate
     * conflation}: there the log itself holds what the listener has not read yet (64 MiB by default, against a ring
     * of 1,024 batches), so the ring adds a thread to wake per batch and no slack.
     *
     * @param inline true to run the listener on the receiver's thread.
     * @return this.
     */
    public SubscriberBuilder listenerOnReceiverThread(final boolean inline)
    {
        inlineListener = inline;
        return this;
    }

    /**
     * Lets the embedder drive the receiver from a thread of its own: {@link FeedSubscriber#agentInvoker()} is then
     * called in the embedder's loop (it never blocks), and the subscriber starts no receiver thread.
     *
     * @param invoker true for an invoker instead of a receiver thread.
     * @return this.
     */
    public SubscriberBuilder useAgentInvoker(final boolean invoker)
    {
        agentInvoker = invoker;
        return this;
    }

    /**
     * Reads the publisher's shared-memory log {@code name} in {@code /dev/shm} ({@code feed publish --shm NAME})
     * instead of connecting a socket: for subscribers on the publisher's host. The same listener, sequence checks and
     * recovery apply; the endpoints go unused.
     *
     * @param name the log's name.
     * @return this.
     * @throws IllegalArgumentException for a bad name.
     */
    public SubscriberBuilder sharedMemory(final String name)
    {
        return sharedMemory(ShmLocation.of(name));
    }

    /**
     * Reads the publisher's shared-memory log at {@code location} instead of connecting a socket.
     *
     * @param location the log's name and directory, or null for the socket.
     * @return this.
     */
    public SubscriberBuilder sharedMemory(final ShmLocation location)
    {
        sharedMemory = location;
        return this;
    }

    /**
     * Keeps the subscriber's counters and error log here: a counters file ({@link ProcessCounters#createFile})
     * that {@code feed stat} reads while the process runs. Whoever creates it closes it, after the subscriber.
     *
     * @param processCounters the counters, or null to keep them in memory (the default).
     * @return this.
     */
    public SubscriberBuilder counters(final ProcessCounters processCounters)
    {
        counters = processCounters;
        return this;
    }

    /**
     * Conflates for a listener that cannot keep up and wants the newest price rather than a backlog: while it is
     * behind, each topic's quotes are merged into the newest ({@link FeedListener#onConflatedQuote} says how many
     * it replaced), trades still arrive one by one and in order (past {@link #conflateMaxTrades} waiting, they are
     * dropped and reported with {@link FeedListener#onTradesOmitted}), and gaps are reported rather than recovered (a
     * newer quote supersedes what was lost; a snapshot is asked for only when a topic's newest quote is unknown).
     * Memory is bounded by the number of topics, not by the lag. A listener that keeps up sees no change. It needs
     * the listener on a thread of its own (not {@link #listenerOnReceiverThread}).
     *
     * @param enabled true to conflate.
     * @return this.
     */
    public SubscriberBuilder conflate(final boolean enabled)
    {
        conflate = enabled;
        return this;
    }

    /**
     * The most trades that may wait for a conflating listener, all topics together; past it trades are dropped and
     * reported. By default {@link SubscriberConfiguration#DEFAULT_CONFLATE_MAX_TRADES}.
     *
     * @param trades the bound, at least 1.
     * @return this.
     */
    public SubscriberBuilder conflateMaxTrades(final int trades)
    {
        conflateMaxTrades = trades;
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
            recoveryEndpoint, recoveryTimeoutMs, recoveryRetries, recoveryPatienceMs, maxHeldBytes, heartbeatIntervalNs,
            recoveryEvents, inlineListener(), agentInvoker, conflate, conflateMaxTrades, sharedMemory, counters,
            arbitrationWindowNs));
    }

    private boolean inlineListener()
    {
        return inlineListener != null ? inlineListener : sharedMemory != null && !conflate;
    }
}
