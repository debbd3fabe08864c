package dev.feedhandler.subscriber;

import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.counters.TopicCounters;
import dev.feedhandler.common.metrics.TopicLabels;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The subscriber's conflation figures (part of {@link SubscriberCounters}): updates that reached a conflating
 * listener merged, in all and per topic, and trades dropped past its bound. Written by the listener thread only,
 * read from any thread.
 */
public final class ConflationCounters
{
    private final AtomicCounter conflated;
    private final AtomicCounter tradesDropped;
    private final TopicCounters topicConflated;

    ConflationCounters(final ProcessCounters process)
    {
        conflated = process.newCounter(CounterTypes.SUBSCRIBER, "updates conflated");
        tradesDropped = process.newCounter(CounterTypes.SUBSCRIBER, "trades dropped");
        topicConflated = new TopicCounters(process, CounterTypes.SUBSCRIBER_TOPIC, "topic updates conflated: ");
    }

    /**
     * Listener thread: updates of a topic reached the listener merged rather than one by one: quotes replaced by a
     * newer one, or trades a conflated stream counted.
     *
     * @param topic   the topic.
     * @param updates how many.
     */
    public void onConflated(final Topic topic, final long updates)
    {
        conflated.getAndAddRelease(updates);
        topicConflated.counter(topic.id(), topic.symbol()).getAndAddRelease(updates);
    }

    /**
     * Listener thread: trades were dropped because more were waiting for a slow, conflating listener than its bound.
     *
     * @param trades how many.
     */
    public void onTradesDropped(final long trades)
    {
        tradesDropped.getAndAddRelease(trades);
    }

    /**
     * Updates that reached the listener merged: quotes replaced by a newer quote of their topic, and trades a
     * conflated stream counted instead of sending.
     *
     * @return the count.
     */
    public long updatesConflated()
    {
        return conflated.get();
    }

    /**
     * Updates of one of the first {@link TopicLabels#MAX_TOPIC_LABELS} topics that reached the listener merged.
     * Safe from any thread.
     *
     * @param topicId the topic's dense id ({@link Topic#id()}).
     * @return the count, 0 for a topic not seen or beyond the bound (see {@link #otherTopicConflated()}).
     */
    public long topicConflated(final int topicId)
    {
        return topicConflated.get(topicId);
    }

    /**
     * Updates of all the topics beyond the first {@link TopicLabels#MAX_TOPIC_LABELS} that reached the listener
     * merged, together.
     *
     * @return the count.
     */
    public long otherTopicConflated()
    {
        return topicConflated.other().get();
    }

    /**
     * Trades a conflating subscriber dropped (reported to the listener) because more were waiting than its bound.
     *
     * @return the count.
     */
    public long tradesDropped()
    {
        return tradesDropped.get();
    }
}
