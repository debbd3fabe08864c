package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.Topic;

import java.util.ArrayDeque;

/**
 * The receiver's sequence state for one topic ({@link SequenceTracker} applies the rules), and, with recovery, what
 * the topic is waiting for and the live frames held back meanwhile. Receiver thread only.
 */
public final class TopicState
{
    /** Delivering as frames arrive. */
    static final int LIVE = 0;
    /** A gap (or the rest of an earlier session) is being recovered; live frames are held back. */
    static final int RECOVERING = 1;
    /** Waiting for a snapshot to start from; live frames are held back. */
    static final int AWAITING_SNAPSHOT = 2;

    final Topic topic;
    long sessionEpoch;
    long nextExpected = 1;
    boolean seen;
    boolean ended;

    int mode = LIVE;
    ArrayDeque<byte[]> held;
    long heldBytes;
    long task;
    long taskEpoch;
    long taskFrom;
    long taskTo;
    long awaitingSince;
    long auditedLast;
    boolean giveUp;
    byte[] bytes;

    /**
     * A topic not seen yet.
     *
     * @param topic the topic.
     */
    public TopicState(final Topic topic)
    {
        this.topic = topic;
    }

    /**
     * The next sequence number expected.
     *
     * @return the sequence number.
     */
    public long nextExpected()
    {
        return nextExpected;
    }

    /**
     * The publisher session the topic follows, 0 before the first message.
     *
     * @return the epoch.
     */
    public long sessionEpoch()
    {
        return sessionEpoch;
    }
}
