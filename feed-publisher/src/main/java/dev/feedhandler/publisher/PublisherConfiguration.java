package dev.feedhandler.publisher;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.concurrent.ParkingIdleStrategy;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.shm.SharedMemoryConfiguration;
import dev.feedhandler.publisher.transport.SocketConfiguration;

import java.time.Duration;

/**
 * Everything the publisher needs besides its source, validated once at start-up.
 *
 * @param batch             batching limits.
 * @param socket            XPUB socket settings.
 * @param heartbeatInterval heartbeat interval per idle topic (and session status interval).
 * @param awaitSubscribers  subscribers to wait for before the source starts, 0 for none.
 * @param awaitTimeout      longest wait for them.
 * @param duration          run for this long then stop, null or zero to run until stopped or exhausted.
 * @param idleStrategy      name of the idle strategy of the publisher's thread.
 * @param sharedMemory      the shared-memory broadcast log to write every frame into as well, or null for none.
 * @param line              the line of a feed published on identical lines, or null for a feed of its own (its
 *                          epoch from the start time, its source paced from the first poll).
 */
public record PublisherConfiguration(
    BatchConfiguration batch,
    SocketConfiguration socket,
    Duration heartbeatInterval,
    int awaitSubscribers,
    Duration awaitTimeout,
    Duration duration,
    String idleStrategy,
    SharedMemoryConfiguration sharedMemory,
    FeedLine line)
{
    /** Default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    /**
     * Default idle strategy of the publisher's thread: {@code park}, which never spins: it parks 200 us after a duty
     * cycle that did work (also when it writes a shared-memory log: its readers are woken when it writes, and a
     * shorter park, 50 us until 8 Dec 2026, cost a third more CPU for a p99 no lower, docs/shared-memory.md) and
     * backs off to 4 ms while idle, so the wake-ups stay bounded whatever the traffic and an idle publisher costs
     * next to nothing; the message budget, not the wake-ups, sets the message rate. With a spinning strategy
     * ({@code backoff}, {@code yield}, {@code spin}) a cycle that did work runs again at once.
     */
    public static final String DEFAULT_IDLE_STRATEGY = ParkingIdleStrategy.ALIAS;

    /** Default longest wait for subscribers. */
    public static final Duration DEFAULT_AWAIT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Validates the settings.
     */
    public PublisherConfiguration
    {
        if (heartbeatInterval == null || heartbeatInterval.toMillis() < 1)
        {
            throw new IllegalArgumentException("--heartbeat-interval must be at least 1ms");
        }
        if (awaitSubscribers < 0)
        {
            throw new IllegalArgumentException("--await-subscribers must not be negative");
        }
        if (awaitTimeout == null || awaitTimeout.isNegative())
        {
            throw new IllegalArgumentException("--await-timeout must not be negative");
        }
        if (duration != null && duration.isNegative())
        {
            throw new IllegalArgumentException("--duration must not be negative");
        }
        IdleStrategies.of(idleStrategy);
    }

    /**
     * Settings without a shared-memory log, of a feed of its own (not a line of identical ones).
     *
     * @param batch             batching limits.
     * @param socket            XPUB socket settings.
     * @param heartbeatInterval heartbeat interval per idle topic (and session status interval).
     * @param awaitSubscribers  subscribers to wait for before the source starts, 0 for none.
     * @param awaitTimeout      longest wait for them.
     * @param duration          run for this long then stop, null or zero to run until stopped or exhausted.
     * @param idleStrategy      name of the idle strategy of the publisher's thread.
     */
    public PublisherConfiguration(
        final BatchConfiguration batch,
        final SocketConfiguration socket,
        final Duration heartbeatInterval,
        final int awaitSubscribers,
        final Duration awaitTimeout,
        final Duration duration,
        final String idleStrategy)
    {
        this(batch, socket, heartbeatInterval, awaitSubscribers, awaitTimeout, duration, idleStrategy, null, null);
    }

    /**
     * These settings, also writing every frame into a shared-memory broadcast log for same-host subscribers.
     *
     * @param shm the log's settings, or null for none.
     * @return new settings.
     */
    public PublisherConfiguration withSharedMemory(final SharedMemoryConfiguration shm)
    {
        return new PublisherConfiguration(batch, socket, heartbeatInterval, awaitSubscribers, awaitTimeout, duration,
            idleStrategy, shm, line);
    }

    /**
     * These settings as one line of a feed published on identical lines.
     *
     * @param feedLine the line, or null for a feed of its own.
     * @return new settings.
     */
    public PublisherConfiguration withLine(final FeedLine feedLine)
    {
        return new PublisherConfiguration(batch, socket, heartbeatInterval, awaitSubscribers, awaitTimeout, duration,
            idleStrategy, sharedMemory, feedLine);
    }

    /**
     * Defaults, binding the given endpoints.
     *
     * @param socket socket settings.
     * @return default settings.
     */
    public static PublisherConfiguration defaults(final SocketConfiguration socket)
    {
        return new PublisherConfiguration(BatchConfiguration.defaults(), socket, DEFAULT_HEARTBEAT_INTERVAL, 0,
            DEFAULT_AWAIT_TIMEOUT, null, DEFAULT_IDLE_STRATEGY);
    }
}
