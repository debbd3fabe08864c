package dev.feedhandler.subscriber;

import dev.feedhandler.common.socket.SocketEventLog;

/**
 * The settings a {@link SubscriberBuilder} collects about loss: where and how to recover what the feed loses, how
 * long silence may last, and whether the endpoints are identical lines to arbitrate between. Kept apart, as
 * {@code AbstractStringBuilder} is from {@code StringBuilder}, so that the builder stays one concern per part.
 */
abstract sealed class SubscriberLossSettings permits SubscriberBuilder
{
    String recoveryEndpoint;
    long recoveryTimeoutMs = SubscriberConfiguration.DEFAULT_RECOVERY_TIMEOUT_MS;
    int recoveryRetries = SubscriberConfiguration.DEFAULT_RECOVERY_RETRIES;
    long recoveryPatienceMs = SubscriberConfiguration.DEFAULT_RECOVERY_PATIENCE_MS;
    long maxHeldBytes = SubscriberConfiguration.DEFAULT_MAX_HELD_BYTES;
    long heartbeatIntervalNs = SubscriberConfiguration.DEFAULT_HEARTBEAT_INTERVAL_MS * 1_000_000L;
    SocketEventLog recoveryEvents;
    long arbitrationWindowNs;

    SubscriberLossSettings()
    {
    }

    private SubscriberBuilder self()
    {
        return (SubscriberBuilder)this;
    }

    /**
     * Recovers what the feed loses from the publisher's recovery service at this endpoint (by default the
     * publisher puts it on its feed port + 1), and starts topics whose beginning was missed from a snapshot.
     *
     * @param endpoint such as {@code tcp://127.0.0.1:5557}, or null for no recovery (the default: every gap is
     *                 reported unrecoverable at once); identical lines' services comma-separated (whichever is
     *                 connected answers).
     * @return this.
     */
    public SubscriberBuilder recoveryEndpoint(final String endpoint)
    {
        recoveryEndpoint = endpoint;
        return self();
    }

    /**
     * How long to wait for the recovery service's reply before asking again on a new socket (Lazy Pirate).
     *
     * @param timeoutMs milliseconds, default {@value SubscriberConfiguration#DEFAULT_RECOVERY_TIMEOUT_MS}.
     * @return this.
     */
    public SubscriberBuilder recoveryTimeoutMs(final long timeoutMs)
    {
        recoveryTimeoutMs = timeoutMs;
        return self();
    }

    /**
     * How many times to ask again after a timeout before the recovery is given up (reported unrecoverable).
     *
     * @param retries the count, default {@value SubscriberConfiguration#DEFAULT_RECOVERY_RETRIES}.
     * @return this.
     */
    public SubscriberBuilder recoveryRetries(final int retries)
    {
        recoveryRetries = retries;
        return self();
    }

    /**
     * How long a request may wait for a recovery service that is slow rather than gone before its silence counts
     * toward the retries: while the publisher's feed is live (heartbeats arriving; liveness must be on) and the
     * recovery socket's connection to the service is through its greeting, a late request waits on the same socket
     * instead of being asked again on a new one, so that a service starved of CPU is neither made to start over nor
     * given up on while it still holds the updates.
     *
     * @param patienceMs milliseconds, default {@value SubscriberConfiguration#DEFAULT_RECOVERY_PATIENCE_MS}; 0 counts
     *                   every timeout toward the retries.
     * @return this.
     */
    public SubscriberBuilder recoveryPatienceMs(final long patienceMs)
    {
        recoveryPatienceMs = patienceMs;
        return self();
    }

    /**
     * Most bytes of live frames held back behind recoveries, all topics together; past it, the topic whose frame
     * does not fit gives up its recovery (reported unrecoverable) and delivers what it holds.
     *
     * @param bytes the bound, default 64 MiB.
     * @return this.
     */
    public SubscriberBuilder maxHeldBytes(final long bytes)
    {
        maxHeldBytes = bytes;
        return self();
    }

    /**
     * The publisher's heartbeat interval: nothing at all for three of them makes the feed stale
     * ({@link FeedListener#onStale()}).
     *
     * @param intervalMs milliseconds, default {@value SubscriberConfiguration#DEFAULT_HEARTBEAT_INTERVAL_MS}; 0 turns
     *                   liveness off.
     * @return this.
     */
    public SubscriberBuilder heartbeatIntervalMs(final long intervalMs)
    {
        heartbeatIntervalNs = intervalMs * 1_000_000L;
        return self();
    }

    /**
     * Logs and counts the recovery socket's events in this log.
     *
     * @param log the log, or null for none (the default).
     * @return this.
     */
    public SubscriberBuilder recoverySocketEvents(final SocketEventLog log)
    {
        recoveryEvents = log;
        return self();
    }

    /**
     * Treats the endpoints as identical lines of one feed (two publishers started with the same feed id, start and
     * source) and arbitrates between them: each (topic, sequence) is delivered once, from whichever line brings it
     * first; a gap on one line waits for the others (up to
     * {@link SubscriberConfiguration#DEFAULT_ARBITRATION_WINDOW_MS}) before it is recovered. Needs two endpoints
     * or more and a recovery endpoint.
     *
     * @param arbitrate whether to arbitrate.
     * @return this.
     */
    public SubscriberBuilder arbitrate(final boolean arbitrate)
    {
        arbitrationWindowNs = arbitrate ? SubscriberConfiguration.DEFAULT_ARBITRATION_WINDOW_MS * 1_000_000L : 0;
        return self();
    }

    /**
     * How long a gap seen on one line waits at least for another line before it is recovered (arbitrating); longer
     * while a line has lately lagged more than half of it ({@code LineArbiter#waitNs}).
     *
     * @param windowMs milliseconds, at least 1.
     * @return this.
     */
    public SubscriberBuilder arbitrationWindowMs(final long windowMs)
    {
        if (windowMs < 1)
        {
            throw new IllegalArgumentException("the arbitration window must be at least 1 ms, was " + windowMs);
        }
        arbitrationWindowNs = windowMs * 1_000_000L;
        return self();
    }
}
