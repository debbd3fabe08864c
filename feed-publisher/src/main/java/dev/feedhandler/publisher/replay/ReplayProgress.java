package dev.feedhandler.publisher.replay;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a replay has got, written by the replaying thread and readable from any thread (metrics, status lines):
 * journal entries read, and the batches and updates among them that were replayed (printed or published).
 */
public final class ReplayProgress
{
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();

    /**
     * Replaying thread: one journal entry read, with the updates it replayed (0 for a heartbeat or a status).
     *
     * @param replayedUpdates updates of the entry replayed, 0 if it is not a batch.
     */
    public void onEntry(final int replayedUpdates)
    {
        entries.lazySet(entries.get() + 1);
        if (replayedUpdates > 0)
        {
            batches.lazySet(batches.get() + 1);
            updates.lazySet(updates.get() + replayedUpdates);
        }
    }

    /**
     * Journal entries read so far.
     *
     * @return the count.
     */
    public long entries()
    {
        return entries.get();
    }

    /**
     * Batches replayed so far.
     *
     * @return the count.
     */
    public long batches()
    {
        return batches.get();
    }

    /**
     * Updates replayed so far.
     *
     * @return the count.
     */
    public long updates()
    {
        return updates.get();
    }
}
