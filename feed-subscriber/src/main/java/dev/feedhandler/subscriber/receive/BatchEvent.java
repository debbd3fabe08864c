package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.Topic;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slot of the ring: one received frame, copied once from the socket into the slot's own buffer, plus what the
 * receiver decided about it (gap, duplicates to skip). Pre-allocated; its buffer grows only when a larger frame
 * arrives than any before, so in steady state nothing is allocated.
 */
public final class BatchEvent
{
    /** Nothing to deliver (malformed, duplicate, stale). */
    public static final int NONE = 0;
    /** A data batch. */
    public static final int BATCH = 1;
    /** A heartbeat. */
    public static final int HEARTBEAT = 2;
    /** The publisher ended its session. */
    public static final int SESSION_END = 3;

    int kind;
    Topic topic;
    long sessionEpoch;
    long firstSequence;
    long sendTimestampNs;
    int updatesOffset;
    int updateCount;
    int skip;
    long gapFrom;
    long gapTo;
    boolean endOfTopic;
    long lastSequence;
    byte[] data;
    final UnsafeBuffer buffer;

    /**
     * A slot whose buffer starts with a capacity (it grows if a larger frame arrives).
     *
     * @param initialCapacity bytes.
     */
    public BatchEvent(final int initialCapacity)
    {
        data = new byte[initialCapacity];
        buffer = new UnsafeBuffer(data);
    }

    void reset(final int kind, final Topic topic)
    {
        this.kind = kind;
        this.topic = topic;
        this.skip = 0;
        this.gapFrom = 0;
        this.gapTo = 0;
        this.endOfTopic = false;
    }

    void ensureCapacity(final int length)
    {
        if (data.length < length)
        {
            int capacity = data.length;
            while (capacity < length)
            {
                capacity <<= 1;
            }
            data = new byte[capacity];
            buffer.wrap(data);
        }
    }

    void gap(final long from, final long to)
    {
        gapFrom = from;
        gapTo = to;
    }

    boolean hasGap()
    {
        return gapTo >= gapFrom && gapFrom > 0;
    }
}
