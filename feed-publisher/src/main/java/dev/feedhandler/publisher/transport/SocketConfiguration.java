package dev.feedhandler.publisher.transport;

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
 * @param sendPoolBytes most memory for frames handed to JeroMQ without a copy per frame (see
 *                      {@code SendBufferPool}); 0 copies every frame into a new array.
 */
public record SocketConfiguration(
    List<String> endpoints,
    int sendHwm,
    int ioThreads,
    int sendBufferBytes,
    boolean tcpKeepAlive,
    int closeLingerMs,
    Backpressure backpressure,
    int sendPoolBytes)
{
    /** The endpoint bound when none is given. */
    public static final String DEFAULT_ENDPOINT = "tcp://127.0.0.1:5556";

    /**
     * Default send high-water mark, in messages (batches): up to about a million updates queued per subscriber
     * with full batches, so bursts queue instead of dropping, while the frame pool stays bounded.
     */
    public static final int DEFAULT_SEND_HWM = 4096;

    /** Default most memory for the frame pool: 64 MiB. */
    public static final int DEFAULT_SEND_POOL_BYTES = 64 * 1024 * 1024;

    /** Default time close waits to deliver queued messages. */
    public static final int DEFAULT_CLOSE_LINGER_MS = 2_000;

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
        if (closeLingerMs < 0)
        {
            throw new IllegalArgumentException("--close-linger must not be negative");
        }
        if (sendPoolBytes < 0)
        {
            throw new IllegalArgumentException("--send-pool must not be negative");
        }
    }

    /**
     * Settings with the default frame pool.
     *
     * @param endpoints       every endpoint to bind.
     * @param sendHwm         send high-water mark in messages, per subscriber.
     * @param ioThreads       ZeroMQ I/O threads.
     * @param sendBufferBytes kernel send buffer, 0 for the system default.
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
        this(endpoints, sendHwm, ioThreads, sendBufferBytes, tcpKeepAlive, closeLingerMs, backpressure,
            DEFAULT_SEND_POOL_BYTES);
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
            endpoints, DEFAULT_SEND_HWM, 1, 0, false, DEFAULT_CLOSE_LINGER_MS, Backpressure.DROP,
            DEFAULT_SEND_POOL_BYTES);
    }
}
