package dev.feedhandler.publisher.batch;

import dev.feedhandler.publisher.source.InstrumentRegistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The batcher's topics by instrument id: each instrument's {@link TopicBatch}, made on its first update or heartbeat
 * (or all at once, so that every topic exists from the start) and kept for the session. Publisher thread only;
 * looking a topic up allocates nothing once it exists.
 */
final class BatcherTopics
{
    private final InstrumentRegistry registry;
    private TopicBatch[] topics = new TopicBatch[16];
    private int count;

    BatcherTopics(final InstrumentRegistry registry)
    {
        this.registry = registry;
    }

    /**
     * The topic of an instrument, made (with those of every lower id) if it has none yet.
     *
     * @param instrumentId a registered instrument's id.
     * @param nowNs        {@link System#nanoTime()} now, the new topics' time of last send.
     * @return the topic.
     * @throws IllegalArgumentException for an id the registry does not know.
     */
    TopicBatch get(final int instrumentId, final long nowNs)
    {
        if (instrumentId < count)
        {
            return topics[instrumentId];
        }
        return add(instrumentId, nowNs);
    }

    /**
     * Makes the topic of every instrument registered so far.
     *
     * @param nowNs {@link System#nanoTime()} now.
     */
    void ensureAll(final long nowNs)
    {
        final int registered = registry.size();
        for (int id = count; id < registered; id++)
        {
            get(id, nowNs);
        }
    }

    /**
     * Topics made so far (ids 0 to this - 1).
     *
     * @return the count.
     */
    int count()
    {
        return count;
    }

    /**
     * A topic that exists.
     *
     * @param instrumentId from 0 to {@link #count()} - 1.
     * @return the topic.
     */
    TopicBatch at(final int instrumentId)
    {
        return topics[instrumentId];
    }

    /**
     * Every topic that has a state, in id order (cold path: summaries).
     *
     * @return a new list.
     */
    List<TopicBatch> list()
    {
        final List<TopicBatch> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            list.add(topics[i]);
        }
        return list;
    }

    /**
     * A topic's name as sent (frame 0).
     *
     * @param instrumentId a topic that exists.
     * @return the bytes.
     */
    byte[] topicBytes(final int instrumentId)
    {
        return topics[instrumentId].topic;
    }

    private TopicBatch add(final int instrumentId, final long nowNs)
    {
        if (instrumentId >= registry.size() || instrumentId < 0)
        {
            throw new IllegalArgumentException("unknown instrument id " + instrumentId);
        }
        if (instrumentId >= topics.length)
        {
            topics = Arrays.copyOf(topics, Math.max(instrumentId + 1, topics.length * 2));
        }
        for (int id = count; id <= instrumentId; id++)
        {
            topics[id] = new TopicBatch(registry.get(id), nowNs);
        }
        count = instrumentId + 1;
        return topics[instrumentId];
    }
}
