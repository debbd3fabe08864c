package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.FeedState;

/**
 * The feed's liveness (the Paranoid Pirate's rule): stale when nothing at all has arrived for three heartbeat
 * intervals, live again at the next message. Counted from the first message: before it the feed is not stale,
 * just not there yet. Time comes from the caller. Receiver thread only, but
 * {@link #state()}.
 */
final class FeedLiveness
{
    /** Heartbeat intervals of silence that make the feed stale. */
    static final long LIVENESS_INTERVALS = 3;

    private long timeoutNs;
    private long lastMessageNs;
    private boolean anyMessage;
    private boolean stale;
    private volatile FeedState state = FeedState.WAITING;

    /**
     * Sets the publisher's heartbeat interval.
     *
     * @param heartbeatIntervalNs the interval, 0 to turn liveness off.
     */
    void heartbeatInterval(final long heartbeatIntervalNs)
    {
        timeoutNs = heartbeatIntervalNs <= 0 ? 0 : LIVENESS_INTERVALS * heartbeatIntervalNs;
    }

    /**
     * Something arrived during a duty cycle that ended at {@code nowNs}.
     *
     * @param nowNs the time.
     */
    void heard(final long nowNs)
    {
        lastMessageNs = nowNs;
        if (!anyMessage)
        {
            anyMessage = true;
            state = FeedState.LIVE;
        }
    }

    /**
     * Nothing arrived during a duty cycle that ended at {@code nowNs}.
     *
     * @param nowNs the time.
     * @return true if the feed has just gone stale.
     */
    boolean silent(final long nowNs)
    {
        if (timeoutNs > 0 && anyMessage && !stale && nowNs - lastMessageNs > timeoutNs)
        {
            stale = true;
            state = FeedState.STALE;
            return true;
        }
        return false;
    }

    /**
     * A message arrives.
     *
     * @return true if the feed was stale (it is live again now).
     */
    boolean wakes()
    {
        if (stale)
        {
            stale = false;
            state = FeedState.LIVE;
            return true;
        }
        return false;
    }

    /**
     * Whether the feed reaches the receiver: nothing yet, live, or stale. Written on changes only; safe to read from
     * any thread (health probes, metrics).
     *
     * @return the state.
     */
    FeedState state()
    {
        return state;
    }

    /**
     * How long nothing has arrived.
     *
     * @param nowNs the time.
     * @return nanoseconds since the last message.
     */
    long silenceNs(final long nowNs)
    {
        return nowNs - lastMessageNs;
    }
}
