package dev.feedhandler.publisher.journal;

import dev.feedhandler.common.metrics.JournalStatistics;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.publisher.PublisherCounters;

/**
 * The journal's figures for the metrics, read at scrape time from the figures that are safe to read from another
 * thread: frames written (the journal thread's ordered counter) and frames sent (the publisher's
 * {@link PublisherCounters}, at most 10 ms old). Every frame sent is handed to the journal, so the lag is sent minus
 * written (frames the journal dropped under its {@code drop} policy stay in it). Bytes written and the hand-off ring's
 * occupancy come from the {@link JournalRecorder}'s counters and its ring's head and tail.
 */
public final class RecorderJournalStatistics implements JournalStatistics
{
    private final JournalRecorder recorder;
    private final PublisherCounters counters;

    /**
     * Statistics of a publisher's journal.
     *
     * @param recorder the publisher's journal recorder.
     * @param counters the publisher's counters.
     */
    public RecorderJournalStatistics(final JournalRecorder recorder, final PublisherCounters counters)
    {
        this.recorder = recorder;
        this.counters = counters;
    }

    @Override
    public long batchesWritten()
    {
        return recorder.written();
    }

    @Override
    public long bytesWritten()
    {
        return recorder.bytesWritten();
    }

    @Override
    public long lagBatches()
    {
        return Math.max(0, counters.framesSent() - recorder.written() - framesNotJournaled());
    }

    @Override
    public long framesNotJournaled()
    {
        return recorder.dropped() + recorder.failed();
    }

    @Override
    public boolean stopped()
    {
        return recorder.stoppedReason() != null;
    }

    @Override
    public long pageCacheReleasedBytes()
    {
        return recorder.releasedBytes();
    }

    @Override
    public long ringOccupancy()
    {
        return recorder.ringOccupancy();
    }

    @Override
    public long ringCapacity()
    {
        return recorder.ringCapacity();
    }
}
