package dev.feedhandler.subscriber;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.socket.RecoveryEndpoints;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.receive.FrameTap;
import dev.feedhandler.subscriber.receive.ReceiveBufferPool;
import org.zeromq.ZContext;

import java.util.List;

/**
 * The settings of a {@link FeedSubscriber}, immutable and validated once, when {@link SubscriberBuilder#build()}
 * makes them. Every default of the subscriber is defined here; the command line and the README refer to these
 * constants.
 *
 * @param endpoints          endpoints to connect to; {@link #DEFAULT_ENDPOINT} if none.
 * @param topics             topic prefixes to subscribe to; all topics ({@code ""}) if none.
 * @param receiveHwm         receive high-water mark in messages (batches), 0 for no limit.
 * @param receiveBufferBytes kernel receive buffer (SO_RCVBUF), 0 for the system default.
 * @param ringSize           ring size in slots (one batch each), a power of two.
 * @param slotBytes          initial size of each slot's buffer, at most {@code maxFrameBytes}.
 * @param waitStrategy       listener thread's wait strategy, one of {@link WaitStrategies#NAMES}.
 * @param receiveIdle        {@link #RECEIVE_IDLE_BLOCK} or an idle strategy name polling without blocking.
 * @param maxFrameBytes      largest payload accepted.
 * @param maxTopics          most distinct topics tracked.
 * @param ioThreads          ZeroMQ I/O threads of a context the subscriber creates.
 * @param handshakeTimeoutNs how long a connection may take to complete its ZeroMQ handshake.
 * @param pooledFrameBytes   largest frame received into a pooled array.
 * @param pooledFrames       most pooled receive arrays.
 * @param context            a shared ZeroMQ context, or null for one of the subscriber's own.
 * @param listener           the listener.
 * @param curve              CURVE keys, or null for plaintext.
 * @param socketEvents       the feed socket's event log, or null.
 * @param frameTap           a tap that sees every frame received, or null.
 * @param recoveryEndpoint   the publisher's recovery service, or null for no recovery.
 * @param recoveryTimeoutMs  how long to wait for a recovery reply.
 * @param recoveryRetries    how many times to ask again after a timeout.
 * @param recoveryPatienceMs how long a request may wait for a recovery service that is slow, not gone (the
 *                           publisher's feed live, the socket connected) before its silence counts toward the retries;
 *                           0 for never.
 * @param maxHeldBytes       most bytes of live frames held back behind recoveries.
 * @param heartbeatIntervalNs the publisher's heartbeat interval, 0 for no liveness.
 * @param recoveryEvents     the recovery socket's event log, or null.
 * @param inlineListener     whether the listener runs on the receiver's thread (no ring, no listener thread).
 * @param agentInvoker       whether the embedder drives the receiver with an {@code AgentInvoker} instead of a
 *                           thread of the subscriber's own.
 * @param conflate           whether quotes are merged while the listener is behind (see
 *                           {@link SubscriberBuilder#conflate}).
 * @param conflateMaxTrades  most trades waiting for a conflating listener; past it trades are dropped and reported.
 * @param sharedMemory       the publisher's shared-memory log to read instead of connecting a socket, or null for
 *                           the socket ({@code endpoints} then go unused).
 * @param counters           where the counters and the error log live (a counters file that {@code feed stat}
 *                           reads), or null to keep them in memory.
 * @param arbitrationWindowNs 0 for one feed over all endpoints; otherwise the endpoints are identical lines of one
 *                           feed, arbitrated (one socket each), and a gap on one line waits this long for another.
 */
public record SubscriberConfiguration(
    List<String> endpoints,
    List<String> topics,
    int receiveHwm,
    int receiveBufferBytes,
    int ringSize,
    int slotBytes,
    String waitStrategy,
    String receiveIdle,
    int maxFrameBytes,
    int maxTopics,
    int ioThreads,
    long handshakeTimeoutNs,
    int pooledFrameBytes,
    int pooledFrames,
    ZContext context,
    FeedListener listener,
    CurveClient curve,
    SocketEventLog socketEvents,
    FrameTap frameTap,
    String recoveryEndpoint,
    long recoveryTimeoutMs,
    int recoveryRetries,
    long recoveryPatienceMs,
    long maxHeldBytes,
    long heartbeatIntervalNs,
    SocketEventLog recoveryEvents,
    boolean inlineListener,
    boolean agentInvoker,
    boolean conflate,
    int conflateMaxTrades,
    ShmLocation sharedMemory,
    ProcessCounters counters,
    long arbitrationWindowNs)
{
    /** Default endpoint to connect to: the publisher's default. */
    public static final String DEFAULT_ENDPOINT = RecoveryEndpoints.DEFAULT_FEED_ENDPOINT;

    /** Default receive high-water mark, in batches. */
    public static final int DEFAULT_RECEIVE_HWM = 100_000;

    /** Default ring size, in slots (one batch each). */
    public static final int DEFAULT_RING_SIZE = 1024;

    /** Default initial size of a ring slot's buffer. */
    public static final int DEFAULT_SLOT_BYTES = 16 * 1024;

    /** Default wait strategy of the listener thread. */
    public static final String DEFAULT_WAIT_STRATEGY = WaitStrategies.DEFAULT;

    /** The receive mode that blocks in the socket instead of polling with an idle strategy. */
    public static final String RECEIVE_IDLE_BLOCK = "block";

    /** Default receive mode of the receiver thread. */
    public static final String DEFAULT_RECEIVE_IDLE = RECEIVE_IDLE_BLOCK;

    /**
     * The idle strategy of a shared-memory reader whose receive mode is {@link #RECEIVE_IDLE_BLOCK} (there is no
     * socket to block in): it parks when there is nothing to read, so an idle reader costs next to no CPU.
     */
    public static final String DEFAULT_SHM_IDLE = "sleep";

    /** Default largest payload accepted. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

    /** Default most distinct topics tracked. */
    public static final int DEFAULT_MAX_TOPICS = 100_000;

    /** Default ZeroMQ I/O threads of a context the subscriber creates. */
    public static final int DEFAULT_IO_THREADS = 1;

    /** Default handshake timeout of a new connection (the JeroMQ 0.6.0 connect race). */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 1_000;

    /** Default largest frame received into a pooled array. */
    public static final int DEFAULT_POOLED_FRAME_BYTES = 64 * 1024;

    /** Default most pooled receive arrays. */
    public static final int DEFAULT_POOLED_FRAMES = 512;

    /** Default time to wait for a reply of the recovery service. */
    public static final long DEFAULT_RECOVERY_TIMEOUT_MS = 500;

    /** Default number of times to ask the recovery service again after a timeout. */
    public static final int DEFAULT_RECOVERY_RETRIES = 3;

    /**
     * Default time a request may wait for a recovery service that is slow, not gone, before its silence counts
     * toward the retries.
     */
    public static final long DEFAULT_RECOVERY_PATIENCE_MS = 30_000;

    /** Default bound of live frames held back behind recoveries. */
    public static final long DEFAULT_MAX_HELD_BYTES = 64L * 1024 * 1024;

    /** Default heartbeat interval of the publisher. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;

    /** Default time a gap seen on one of identical lines waits for another line before it is recovered. */
    public static final long DEFAULT_ARBITRATION_WINDOW_MS = 100;
    /**
     * Default bound on trades waiting for a conflating listener (about 1.3 MB): past it trades are dropped and
     * reported. When trades alone outrun the listener, a topic's quote waits for its earlier trades, so this also
     * bounds how old a price can get: the bound times the listener's time per trade.
     */
    public static final int DEFAULT_CONFLATE_MAX_TRADES = 16_384;

    private static final int MIN_SLOT_BYTES = 64;

    /**
     * Validates the settings, fills in the default endpoint and topic, and fixes the lists.
     *
     * @throws IllegalArgumentException with a one-line message for an invalid setting.
     */
    public SubscriberConfiguration
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("a listener is required");
        }
        endpoints = endpoints.isEmpty() ? List.of(DEFAULT_ENDPOINT) : List.copyOf(endpoints);
        topics = topics.isEmpty() ? List.of("") : List.copyOf(topics);
        for (final String topic : topics)
        {
            if (topic.length() > WireFormat.MAX_TOPIC_LENGTH)
            {
                throw new IllegalArgumentException("topic prefix longer than " + WireFormat.MAX_TOPIC_LENGTH +
                    " characters: " + topic);
            }
        }
        if (pooledFrameBytes < ReceiveBufferPool.MIN_POOLED_BYTES || pooledFrames < 1)
        {
            throw new IllegalArgumentException("receive pool needs arrays of at least " +
                ReceiveBufferPool.MIN_POOLED_BYTES + " bytes and at least one array");
        }
        if (handshakeTimeoutNs < 1_000_000L)
        {
            throw new IllegalArgumentException("handshake timeout must be at least 1 ms");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ring size must be a power of two, was " + ringSize);
        }
        if (slotBytes < MIN_SLOT_BYTES)
        {
            throw new IllegalArgumentException("slot size must be at least " + MIN_SLOT_BYTES + " bytes, was " +
                slotBytes);
        }
        slotBytes = Math.min(slotBytes, maxFrameBytes);
        if (receiveHwm < 0)
        {
            throw new IllegalArgumentException("receive HWM must not be negative");
        }
        if (maxFrameBytes < WireFormat.BATCH_HEADER_LENGTH)
        {
            throw new IllegalArgumentException("max frame bytes too small: " + maxFrameBytes);
        }
        if (recoveryTimeoutMs < 1 || recoveryRetries < 0 || recoveryPatienceMs < 0)
        {
            throw new IllegalArgumentException("the recovery timeout must be at least 1 ms and the retries and the " +
                "patience not negative");
        }
        if (maxHeldBytes < 0 || heartbeatIntervalNs < 0)
        {
            throw new IllegalArgumentException("the held-back bound and the heartbeat interval must not be " +
                "negative");
        }
        if (conflate && inlineListener)
        {
            throw new IllegalArgumentException("conflation needs the listener on a thread of its own: it merges what " +
                "waits in the ring, and with the listener on the receiver's thread nothing does");
        }
        if (conflateMaxTrades < 1)
        {
            throw new IllegalArgumentException("the bound on trades waiting for a conflating listener must be at " +
                "least 1, was " + conflateMaxTrades);
        }
        if (arbitrationWindowNs < 0)
        {
            throw new IllegalArgumentException("the arbitration window must not be negative");
        }
        if (arbitrationWindowNs > 0 && (endpoints.size() < 2 || recoveryEndpoint == null))
        {
            throw new IllegalArgumentException("arbitration needs two endpoints or more (one per line) and " +
                "recovery (it holds frames behind a gap while it waits for another line)");
        }
        if (arbitrationWindowNs > 0 && (sharedMemory != null || conflate))
        {
            throw new IllegalArgumentException("arbitration reads two or more lines over sockets and recovers what " +
                "both lost: it cannot be combined with the shared-memory log or with conflation");
        }
        WaitStrategies.of(waitStrategy);
        if (!RECEIVE_IDLE_BLOCK.equals(receiveIdle))
        {
            IdleStrategies.of(receiveIdle);
        }
    }

    /**
     * Whether the receiver thread blocks in the socket rather than polling with an idle strategy.
     *
     * @return true for {@link #RECEIVE_IDLE_BLOCK}.
     */
    public boolean blockingReceive()
    {
        return RECEIVE_IDLE_BLOCK.equals(receiveIdle);
    }

    /**
     * The idle strategy of a shared-memory reader: {@code receiveIdle}, or {@link #DEFAULT_SHM_IDLE} for
     * {@link #RECEIVE_IDLE_BLOCK}.
     *
     * @return an idle strategy name.
     */
    public String sharedMemoryIdle()
    {
        return blockingReceive() ? DEFAULT_SHM_IDLE : receiveIdle;
    }

    /**
     * Whether the endpoints are identical lines of one feed, arbitrated.
     *
     * @return true when arbitrating.
     */
    public boolean arbitrate()
    {
        return arbitrationWindowNs > 0;
    }
}
