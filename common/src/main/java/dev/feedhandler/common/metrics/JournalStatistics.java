package dev.feedhandler.common.metrics;

/**
 * What the publisher's journal tells the metrics (issue 4): the journal calls nothing per batch for this; it hands
 * an implementation to the publisher's metrics once ({@code PublisherMetrics.journal(...)}) and the figures are read
 * at scrape time, from another thread, so each must be safe to read from any thread (volatile or ordered writes).
 */
public interface JournalStatistics
{
    /** No journal: every figure 0. */
    JournalStatistics NONE = new JournalStatistics()
    {
        @Override
        public long batchesWritten()
        {
            return 0;
        }

        @Override
        public long bytesWritten()
        {
            return 0;
        }

        @Override
        public long lagBatches()
        {
            return 0;
        }

        @Override
        public long ringOccupancy()
        {
            return 0;
        }

        @Override
        public long ringCapacity()
        {
            return 0;
        }
    };

    /**
     * Batches written to the journal so far.
     *
     * @return the count.
     */
    long batchesWritten();

    /**
     * Bytes written to the journal so far.
     *
     * @return the count.
     */
    long bytesWritten();

    /**
     * Batches sent but not yet written: how far the journal is behind the socket.
     *
     * @return the lag in batches.
     */
    long lagBatches();

    /**
     * Slots in use in the hand-off ring between the publisher thread and the journal thread.
     *
     * @return the occupancy.
     */
    long ringOccupancy();

    /**
     * Slots in the hand-off ring.
     *
     * @return the capacity, 0 without a journal.
     */
    long ringCapacity();

    /**
     * Frames sent that the journal will never hold: dropped under the drop policy, or not written (an I/O error, no
     * room on its file system).
     *
     * @return the count, 0 without a journal.
     */
    default long framesNotJournaled()
    {
        return 0;
    }

    /**
     * Whether the journal writes nothing now: no room on its file system, or a write faulted.
     *
     * @return true while stopped; false without a journal.
     */
    default boolean stopped()
    {
        return false;
    }

    /**
     * Bytes of the journal behind its writer released from the page cache ({@code --journal-cached}).
     *
     * @return the count; 0 without a journal, with {@code --journal-cached all} or where it cannot release.
     */
    default long pageCacheReleasedBytes()
    {
        return 0;
    }
}
