package dev.feedhandler.common.counters;

import dev.feedhandler.common.metrics.TopicLabels;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Per-topic update counters with the same bound as the metrics' labels: the first
 * {@link TopicLabels#MAX_TOPIC_LABELS} topics (by dense topic id) get a counter each, allocated when the topic is
 * first counted and labelled {@code PREFIX SYMBOL}; all later topics share one, {@code PREFIX _other}. Written by one
 * thread; read from any.
 */
public final class TopicCounters
{
    private final ProcessCounters process;
    private final int typeId;
    private final String labelPrefix;
    private final AtomicCounter[] topics = new AtomicCounter[TopicLabels.MAX_TOPIC_LABELS];
    private final AtomicCounter other;

    /**
     * Counters of one kind.
     *
     * @param process     where they live.
     * @param typeId      their {@link CounterTypes} id.
     * @param labelPrefix such as {@code "topic updates published: "}.
     */
    public TopicCounters(final ProcessCounters process, final int typeId, final String labelPrefix)
    {
        this.process = process;
        this.typeId = typeId;
        this.labelPrefix = labelPrefix;
        this.other = process.newCounter(typeId, labelPrefix + TopicLabels.OTHER);
    }

    /**
     * The counter of a topic, allocated the first time (cold: once per topic).
     *
     * @param id     the topic's dense id.
     * @param symbol its symbol, for the label.
     * @return its counter, or the shared one beyond the bound.
     */
    public AtomicCounter counter(final int id, final String symbol)
    {
        if (id >= topics.length)
        {
            return other;
        }
        AtomicCounter counter = topics[id];
        if (counter == null)
        {
            counter = process.newCounter(typeId, labelPrefix + symbol, id);
            topics[id] = counter;
        }
        return counter;
    }

    /**
     * The count of one of the first {@link TopicLabels#MAX_TOPIC_LABELS} topics.
     *
     * @param id the topic's dense id.
     * @return the count; 0 for a topic not counted yet or beyond the bound.
     */
    public long get(final int id)
    {
        if (id < 0 || id >= topics.length)
        {
            return 0;
        }
        final AtomicCounter counter = topics[id];
        return counter == null ? 0 : counter.get();
    }

    /**
     * The shared counter of the topics beyond the bound.
     *
     * @return the counter.
     */
    public AtomicCounter other()
    {
        return other;
    }
}
