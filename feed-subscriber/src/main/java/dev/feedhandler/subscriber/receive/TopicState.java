package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.Topic;

/**
 * The receiver's sequence state for one topic ({@link SequenceTracker} applies the rules). Receiver thread only.
 */
public final class TopicState
{
    final Topic topic;
    long sessionEpoch;
    long nextExpected = 1;
    boolean seen;
    boolean ended;

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
