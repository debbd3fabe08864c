package dev.feedhandler.publisher.transport;

import dev.feedhandler.common.socket.RecoveryEndpoints;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the publisher's XPUB socket, validated once.
 *
 * @param endpoints     every endpoint to bind (tcp, ipc, inproc).
 * @param sendHwm       send high-water mark in messages, per subscriber.
 * @param ioThreads     ZeroMQ I/O threads.
 * @param sendBufferBytes kernel send buffer (SO_SNDBUF), 0 for the system default.
 * @param tcpKeepAlive  whether to enable TCP keep-alive.
 * @param closeLingerMs how long close may wait to deliver queued messages.
 * @param backpressure  what to do when a subscriber's queue is full.
 * @param envelope      whether the frames one duty cycle sends go as one message ({@code --envelope}, see
 *                      {@link dev.feedhandler.common.wire.Envelope}).
 * @param ioThreadPolicy scheduling policy of the I/O threads of a context the publication makes.
 */
public record SocketConfiguration(
    List<String> endpoints,
    int sendHwm,
    int ioThreads,
    int sendBufferBytes,
    boolean tcpKeepAlive,
    int closeLingerMs,
    Backpressure backpressure,
    boolean envelope,
    IoThreadPolicy ioThreadPolicy)
{
    /** The endpoint bound when none is given. */
    public static final String DEFAULT_ENDPOINT = RecoveryEndpoints.DEFAULT_FEED_ENDPOINT;

    /**
     * Default send high-water mark, in messages (batches): up to about a million updates queued per subscriber
     * with full batches, so bursts queue instead of dropping, while what a stuck subscriber can pin in memory stays
     * bounded (64 MiB with full 16 KiB batches).
     */
    public static final int DEFAULT_SEND_HWM = 4096;

    /** Default time close waits to deliver queued messages. */
    public static final int DEFAULT_CLOSE_LINGER_MS = 2_000;

    /**
     * Default time close waits with {@link Backpressure#BLOCK}: its queue may hold seconds of updates for a slow
     * subscriber (SNDHWM batches), all of which it promises to deliver; 2 s discarded the rest of a CURVE subscriber's
     * queue (620,330 of 5,977,088 updates, seen; the subscriber never heard the session's end).
     */
    public static final int DEFAULT_BLOCK_CLOSE_LINGER_MS = 30_000;

    /**
     * The close linger a command line uses: the one given, else {@link #DEFAULT_BLOCK_CLOSE_LINGER_MS} with
     * {@link Backpressure#BLOCK}, else {@code otherwiseMs}.
     *
     * @param given        the duration given ({@code --close-linger}), or null.
     * @param backpressure the socket's back-pressure.
     * @param otherwiseMs  the default without back-pressure.
     * @return milliseconds.
     */
    public static int closeLingerMs(final Duration given, final Backpressure backpressure,
        final int otherwiseMs)
    {
        if (given != null)
        {
            return (int)Math.min(Integer.MAX_VALUE, given.toMillis());
        }
        return backpressure == Backpressure.BLOCK ? DEFAULT_BLOCK_CLOSE_LINGER_MS : otherwiseMs;
    }

    /** Default ZeroMQ I/O threads. */
    public static final int DEFAULT_IO_THREADS = 1;

    /** Default send buffer (SO_SNDBUF): 0, the system's. */
    public static final int DEFAULT_SEND_BUFFER_BYTES = 0;

    /** Default behaviour when a subscriber's queue is full: PUB semantics. */
    public static final Backpressure DEFAULT_BACKPRESSURE = Backpressure.DROP;

    /**
     * Validates the settings.
     */
    public SocketConfiguration
    {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty())
        {
            throw new IllegalArgumentException("at least one --bind endpoint is needed");
        }
        if (sendHwm < 0)
        {
            throw new IllegalArgumentException("--sndhwm must not be negative (0 means no limit)");
        }
        if (ioThreads < 1 || ioThreads > 64)
        {
            throw new IllegalArgumentException("--io-threads must be between 1 and 64, was " + ioThreads);
        }
        if (sendBufferBytes < 0)
        {
            throw new IllegalArgumentException("--sndbuf must not be negative");
        }
        if (sendBufferBytes > 0)
        {
            for (final String endpoint : endpoints)
            {
                if (!endpoint.startsWith("inproc://"))
                {
                    // JeroMQ 0.6.0 sets SO_SNDBUF on the listening socket, which Java's ServerSocketChannel refuses.
                    throw new IllegalArgumentException("--sndbuf cannot be used with " + endpoint +
                        ": JeroMQ 0.6.0 applies it to the listening socket, which does not support SO_SNDBUF " +
                        "(tcp, and ipc, which is tcp underneath)");
                }
            }
        }
        if (closeLingerMs < 0)
        {
            throw new IllegalArgumentException("--close-linger must not be negative");
        }
        if (ioThreadPolicy == null)
        {
            throw new IllegalArgumentException("an I/O thread policy is needed");
        }
    }

    /**
     * Settings without envelopes (one message per frame) and with the default I/O thread policy; the others with
     * {@link #withEnvelope(boolean)} and {@link #withIoThreadPolicy(IoThreadPolicy)}.
     *
     * @param endpoints       every endpoint to bind (tcp, ipc, inproc).
     * @param sendHwm         send high-water mark in messages, per subscriber.
     * @param ioThreads       ZeroMQ I/O threads.
     * @param sendBufferBytes kernel send buffer (SO_SNDBUF), 0 for the system default.
     * @param tcpKeepAlive    whether to enable TCP keep-alive.
     * @param closeLingerMs   how long close may wait to deliver queued messages.
     * @param backpressure    what to do when a subscriber's queue is full.
     */
    public SocketConfiguration(
        final List<String> endpoints,
        final int sendHwm,
        final int ioThreads,
        final int sendBufferBytes,
        final boolean tcpKeepAlive,
        final int closeLingerMs,
        final Backpressure backpressure)
    {
        this(endpoints, sendHwm, ioThreads, sendBufferBytes, tcpKeepAlive, closeLingerMs, backpressure, false,
            IoThreadPolicy.DEFAULT);
    }

    /**
     * The same settings with envelopes on or off.
     *
     * @param on whether to pack each duty cycle's frames into one message.
     * @return the settings.
     */
    public SocketConfiguration withEnvelope(final boolean on)
    {
        return new SocketConfiguration(
            endpoints, sendHwm, ioThreads, sendBufferBytes, tcpKeepAlive, closeLingerMs, backpressure, on,
            ioThreadPolicy);
    }

    /**
     * The same settings with another I/O thread policy.
     *
     * @param policy the scheduling policy of the I/O threads of a context the publication makes.
     * @return the settings.
     */
    public SocketConfiguration withIoThreadPolicy(final IoThreadPolicy policy)
    {
        return new SocketConfiguration(
            endpoints, sendHwm, ioThreads, sendBufferBytes, tcpKeepAlive, closeLingerMs, backpressure, envelope,
            policy);
    }

    /**
     * Defaults on the given endpoints.
     *
     * @param endpoints to bind.
     * @return default settings.
     */
    public static SocketConfiguration defaults(final List<String> endpoints)
    {
        return new SocketConfiguration(
            endpoints, DEFAULT_SEND_HWM, DEFAULT_IO_THREADS, DEFAULT_SEND_BUFFER_BYTES, false, DEFAULT_CLOSE_LINGER_MS,
            DEFAULT_BACKPRESSURE, false, IoThreadPolicy.DEFAULT);
    }
}
