package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.Topic;

/**
 * The receiver's sequence state for one topic. Receiver thread only.
 */
final class TopicState
{
    final Topic topic;
    long sessionEpoch;
    long nextExpected = 1;
    boolean seen;
    boolean ended;

    TopicState(final Topic topic)
    {
        this.topic = topic;
    }
}
