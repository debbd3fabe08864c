package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.publisher.source.Instrument;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.common.wire.AppendBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The publisher's state for one topic: the batch being filled, the next sequence number and counters. Owned by
 * the publisher's thread.
 */
public final class TopicBatch
{
    private static final int INITIAL_CAPACITY = 1024;

    final Instrument instrument;
    final byte[] topic;
    final UnsafeBuffer buffer = new AppendBuffer(new byte[INITIAL_CAPACITY]);
    final BatchWriter writer = new BatchWriter();

    long nextSequence = 1;
    long firstPendingNs;
    long lastSentNs;
    boolean pending;
    TopicBatch previousPending;
    TopicBatch nextPending;
    long publishedUpdates;
    long publishedBatches;

    TopicBatch(final Instrument instrument, final long nowNs)
    {
        this.instrument = instrument;
        this.topic = instrument.topicBytes();
        this.lastSentNs = nowNs;
        writer.wrap(buffer, 0);
    }

    /**
     * When the topic last sent a batch or heartbeat ({@link System#nanoTime()}): its next heartbeat is due an
     * interval later unless it sends before.
     *
     * @return nanoseconds.
     */
    public long lastSentNs()
    {
        return lastSentNs;
    }

    /**
     * Makes room for one more update of the largest kind. The buffer grows only while a topic's batches get larger
     * than ever before (up to the batch byte limit), so in steady state this is one comparison.
     */
    void ensureRoomForUpdate()
    {
        final int needed = writer.length() + WireFormat.MAX_UPDATE_LENGTH;
        final byte[] old = buffer.byteArray();
        if (needed > old.length)
        {
            int capacity = old.length;
            while (capacity < needed)
            {
                capacity <<= 1;
            }
            final byte[] grown = new byte[capacity];
            System.arraycopy(old, 0, grown, 0, writer.length());
            buffer.wrap(grown);
        }
    }

    /**
     * The instrument whose topic this is.
     *
     * @return the instrument.
     */
    public Instrument instrument()
    {
        return instrument;
    }

    /**
     * Sequence number of the last update sent on this topic, 0 if none.
     *
     * @return the sequence number.
     */
    public long lastSequence()
    {
        return nextSequence - 1;
    }

    /**
     * Updates published on this topic.
     *
     * @return the count.
     */
    public long publishedUpdates()
    {
        return publishedUpdates;
    }

    /**
     * Batches published on this topic.
     *
     * @return the count.
     */
    public long publishedBatches()
    {
        return publishedBatches;
    }
}
