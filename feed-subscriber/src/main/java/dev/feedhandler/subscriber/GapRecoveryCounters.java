package dev.feedhandler.subscriber;

import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The subscriber's recovery figures (part of {@link SubscriberCounters}): updates recovered and reported lost,
 * recoveries started and failed, snapshots, sessions that ended without a word, recoveries given up, and what a stop
 * left undelivered. Written by the receiver thread only, read from any thread.
 */
public final class GapRecoveryCounters
{
    private final AtomicCounter recovered;
    private final AtomicCounter unrecoverable;
    private final AtomicCounter recoveries;
    private final AtomicCounter recoveriesFailed;
    private final AtomicCounter snapshots;
    private final AtomicCounter sessionsLost;
    private final AtomicCounter giveUps;
    private final AtomicCounter heldAtStop;
    private final AtomicCounter pendingAtStop;

    GapRecoveryCounters(final ProcessCounters process)
    {
        recovered = process.newCounter(CounterTypes.SUBSCRIBER, "updates recovered");
        unrecoverable = process.newCounter(CounterTypes.SUBSCRIBER, "updates unrecoverable");
        recoveries = process.newCounter(CounterTypes.SUBSCRIBER, "recoveries");
        recoveriesFailed = process.newCounter(CounterTypes.SUBSCRIBER, "recoveries failed");
        snapshots = process.newCounter(CounterTypes.SUBSCRIBER, "snapshots");
        sessionsLost = process.newCounter(CounterTypes.SUBSCRIBER, "sessions lost");
        giveUps = process.newCounter(CounterTypes.SUBSCRIBER, "recoveries given up");
        heldAtStop = process.newCounter(CounterTypes.SUBSCRIBER, "updates held back at stop (never delivered)");
        pendingAtStop = process.newCounter(CounterTypes.SUBSCRIBER,
            "updates still being recovered at stop (never delivered)");
    }

    /**
     * Receiver thread: updates of a gap are lost for good (reported with {@code onGap(..., true)}).
     *
     * @param updates how many.
     */
    public void onUnrecoverable(final long updates)
    {
        unrecoverable.getAndAddRelease(updates);
    }

    /**
     * Receiver thread: updates recovered from the recovery service were delivered.
     *
     * @param updates how many.
     */
    public void onRecovered(final long updates)
    {
        recovered.getAndAddRelease(updates);
    }

    /**
     * Receiver thread: a recovery (gap fill, or the rest of an earlier session) started.
     */
    public void onRecoveryStarted()
    {
        recoveries.incrementRelease();
    }

    /**
     * Receiver thread: the recovery service did not answer a recovery or refused it.
     */
    public void onRecoveryFailed()
    {
        recoveriesFailed.incrementRelease();
    }

    /**
     * Receiver thread: a topic started from a snapshot.
     */
    public void onSnapshot()
    {
        snapshots.incrementRelease();
    }

    /**
     * Receiver thread: a topic left a session that ended without a word (its end is unknown).
     */
    public void onSessionLost()
    {
        sessionsLost.incrementRelease();
    }

    /**
     * Receiver thread: a topic's recovery was given up because too much was held back (no longer happens: such a
     * topic switches to catch-up, {@link #onCatchUp()}).
     */
    public void onGiveUp()
    {
        giveUps.incrementRelease();
    }

    /**
     * Receiver thread, as it stops: updates received and held back behind recoveries that had not completed.
     *
     * @param updates how many; they are never delivered.
     */
    public void onHeldAtStop(final long updates)
    {
        heldAtStop.getAndAddRelease(updates);
    }

    /**
     * Updates received and held back behind recoveries that had not completed when the subscriber stopped.
     *
     * @return the count.
     */
    public long heldAtStop()
    {
        return heldAtStop.get();
    }

    /**
     * Receiver thread, as it stops: updates detected missing and still being recovered (gap fills in flight or
     * queued, catch-up streams not merged), never received (or let go while catching up), neither delivered nor
     * reported unrecoverable.
     *
     * @param updates how many; they are never delivered.
     */
    public void onPendingAtStop(final long updates)
    {
        pendingAtStop.getAndAddRelease(updates);
    }

    /**
     * Updates detected missing and still being recovered when the subscriber stopped: never delivered, nor reported
     * unrecoverable ({@link #heldAtStop()} are those received behind them).
     *
     * @return the count.
     */
    public long pendingAtStop()
    {
        return pendingAtStop.get();
    }

    /**
     * Updates delivered from the recovery service.
     *
     * @return the count.
     */
    public long updatesRecovered()
    {
        return recovered.get();
    }

    /**
     * Updates reported lost for good ({@code onGap(..., true)}).
     *
     * @return the count.
     */
    public long updatesUnrecoverable()
    {
        return unrecoverable.get();
    }

    /**
     * Recoveries started (gap fills, rests of earlier sessions).
     *
     * @return the count.
     */
    public long recoveries()
    {
        return recoveries.get();
    }

    /**
     * Recoveries and snapshots the service did not answer (after every retry) or refused.
     *
     * @return the count.
     */
    public long recoveriesFailed()
    {
        return recoveriesFailed.get();
    }

    /**
     * Topics started from a snapshot.
     *
     * @return the count.
     */
    public long snapshots()
    {
        return snapshots.get();
    }

    /**
     * Topics that left a session which ended without a word.
     *
     * @return the count.
     */
    public long sessionsLost()
    {
        return sessionsLost.get();
    }

    /**
     * Recoveries given up because too much was held back.
     *
     * @return the count.
     */
    public long giveUps()
    {
        return giveUps.get();
    }
}
