package dev.feedhandler.cli.subscribe;

import dev.feedhandler.subscriber.Topic;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-topic counts of {@code feed subscribe}: updates delivered, and conflation's counts (quotes merged and trades a
 * conflated stream counted; trades dropped past the bound). Arrays indexed by topic id, grown when a new id appears;
 * written on the listener thread, read as maps by symbol once it has stopped.
 */
final class TopicCounts
{
    private long[] delivered = new long[64];
    private String[] symbols = new String[64];
    private int topicCount;
    private long[] conflated = new long[64];
    private long[] dropped = new long[64];

    /**
     * Makes room for a topic in the per-topic counts and remembers its symbol.
     *
     * @return its id.
     */
    int symbol(final Topic topic)
    {
        final int id = topic.id();
        if (id >= delivered.length)
        {
            delivered = Arrays.copyOf(delivered, Math.max(id + 1, delivered.length * 2));
            symbols = Arrays.copyOf(symbols, delivered.length);
        }
        if (symbols[id] == null)
        {
            symbols[id] = topic.symbol();
            topicCount = Math.max(topicCount, id + 1);
        }
        return id;
    }

    void onDelivered(final Topic topic)
    {
        final int id = symbol(topic); // before reading the field: symbol() may replace the array with a larger one
        delivered[id]++;
    }

    void addConflated(final Topic topic, final long count)
    {
        final int id = topic.id();
        conflated = grown(conflated, id);
        conflated[id] += count;
    }

    void addDropped(final Topic topic, final long count)
    {
        final int id = topic.id();
        dropped = grown(dropped, id);
        dropped[id] += count;
    }

    private static long[] grown(final long[] array, final int id)
    {
        return id < array.length ? array : Arrays.copyOf(array, Math.max(id + 1, array.length * 2));
    }

    Map<String, Object> delivered()
    {
        final Map<String, Object> map = new TreeMap<>();
        for (int i = 0; i < topicCount; i++)
        {
            if (symbols[i] != null && delivered[i] > 0)
            {
                map.put(symbols[i], delivered[i]);
            }
        }
        return map;
    }

    Map<String, Object> conflated()
    {
        return byTopic(conflated);
    }

    Map<String, Object> dropped()
    {
        return byTopic(dropped);
    }

    private Map<String, Object> byTopic(final long[] counts)
    {
        final Map<String, Object> map = new TreeMap<>();
        for (int i = 0; i < Math.min(topicCount, counts.length); i++)
        {
            if (symbols[i] != null && counts[i] > 0)
            {
                map.put(symbols[i], counts[i]);
            }
        }
        return map;
    }
}
