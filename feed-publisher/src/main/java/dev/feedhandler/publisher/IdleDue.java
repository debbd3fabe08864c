package dev.feedhandler.publisher;

import dev.feedhandler.publisher.batch.SmartBatcher;

/**
 * When an idle publisher's next timed duty is due, so that its thread parks until then instead of waking every few
 * milliseconds to find nothing (issue 12). Housekeeping (subscriptions, heartbeats, session status, counters) runs
 * every {@link #HOUSEKEEPING_INTERVAL_NS} while updates flow, and every {@link #IDLE_HOUSEKEEPING_INTERVAL_NS} when
 * none went out since the last one, but never later than a topic's heartbeat or the session status is due. Times
 * are {@link System#nanoTime()} values, compared by difference. Allocation-free.
 */
final class IdleDue
{
    /** Housekeeping's period while updates flow. */
    static final long HOUSEKEEPING_INTERVAL_NS = 10_000_000L;
    /** Housekeeping's longest period when no update went out since the last one. */
    static final long IDLE_HOUSEKEEPING_INTERVAL_NS = 100_000_000L;

    private IdleDue()
    {
    }

    /**
     * The next housekeeping.
     *
     * @param batcher      the topics, with the time each last sent.
     * @param nowNs        now, as housekeeping runs.
     * @param intervalNs   the heartbeat interval.
     * @param nextStatusNs when the next session status is due.
     * @param idle         whether no update went out since the last housekeeping.
     * @return when housekeeping should run next.
     */
    static long nextHousekeepingNs(final SmartBatcher batcher, final long nowNs, final long intervalNs,
        final long nextStatusNs, final boolean idle)
    {
        if (!idle)
        {
            return nowNs + HOUSEKEEPING_INTERVAL_NS;
        }
        long dueNs = earliest(nowNs + IDLE_HOUSEKEEPING_INTERVAL_NS, nextStatusNs);
        for (int i = 0, n = batcher.topicCount(); i < n; i++)
        {
            dueNs = earliest(dueNs, batcher.topicAt(i).lastSentNs() + intervalNs);
        }
        // Never sooner than the busy period: a heartbeat due now was just sent, or goes with the next one.
        return later(dueNs, nowNs + HOUSEKEEPING_INTERVAL_NS);
    }

    /**
     * When the agent's next timed duty is due after a duty cycle without work: the source's next update or the
     * next housekeeping, whichever comes first; or none ({@code nowNs}) if the source cannot tell (it may have an
     * update at any moment), so the idle strategy backs off as usual.
     *
     * @param sourceDueNs        the source's {@code nextUpdateNs}.
     * @param nextHousekeepingNs the next housekeeping (or the session's end, if sooner).
     * @param nowNs              now.
     * @return the due time, or {@code nowNs} for none.
     */
    static long nextDueNs(final long sourceDueNs, final long nextHousekeepingNs, final long nowNs)
    {
        if (sourceDueNs - nowNs <= 0)
        {
            return nowNs;
        }
        return earliest(sourceDueNs, nextHousekeepingNs);
    }

    /**
     * The earlier of two {@link System#nanoTime()} values.
     *
     * @param aNs one time.
     * @param bNs another.
     * @return the earlier.
     */
    static long earliest(final long aNs, final long bNs)
    {
        return aNs - bNs <= 0 ? aNs : bNs;
    }

    private static long later(final long aNs, final long bNs)
    {
        return aNs - bNs >= 0 ? aNs : bNs;
    }
}
