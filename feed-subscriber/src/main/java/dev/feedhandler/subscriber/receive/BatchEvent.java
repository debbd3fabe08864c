package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.sequence.Verdict;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slot of the ring: one received frame, copied once from the socket into the slot's own buffer, plus what the
 * receiver decided about it (gap, duplicates to skip, how it was delivered), or one of the recovery's events (a gap
 * being recovered, a snapshot, the feed going stale or live again). Pre-allocated; its buffer grows only when a
 * larger frame arrives than any before, so in steady state nothing is allocated.
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
    /** Only the notices (a gap, a lost session) of a topic. */
    public static final int NOTICE = 4;
    /** A topic's snapshot: its last sequence number and, at {@link #quoteOffset}, its last quote. */
    public static final int SNAPSHOT = 5;
    /** The feed went stale. */
    public static final int STALE = 6;
    /** The feed is live again. */
    public static final int LIVE = 7;
    /**
     * A conflated stream's message: updates {@link #firstSequence} to {@link #lastSequence} of a topic, {@link #quotes}
     * quotes (the newest at {@link #quoteOffset}, unless {@link #skip} says it was delivered before) and
     * {@link #trades} trades counted.
     */
    public static final int CONFLATED = 8;

    /** {@link #delivery}: straight from the feed. */
    static final byte DELIVERY_LIVE = Verdict.LIVE;

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
    boolean gapUnrecoverable;
    long lostEpoch;
    long lostSequence;
    byte delivery;
    boolean endOfTopic;
    long lastSequence;
    long quoteSequence;
    int quoteOffset;
    long quotes;
    long trades;
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
        this.gapUnrecoverable = true;
        this.lostEpoch = 0;
        this.delivery = DELIVERY_LIVE;
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

    void gap(final long from, final long to, final boolean unrecoverable)
    {
        gapFrom = from;
        gapTo = to;
        gapUnrecoverable = unrecoverable;
    }

    void sessionLost(final long epoch, final long lastDelivered)
    {
        lostEpoch = epoch;
        lostSequence = lastDelivered;
    }

    boolean hasGap()
    {
        return gapTo >= gapFrom && gapFrom > 0;
    }
}
