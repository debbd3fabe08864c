package dev.feedhandler.subscriber.conflate;

import java.util.Arrays;

/**
 * The {@link Conflator}'s reports of trades not delivered: per topic, the trades dropped past the bound and those a
 * conflated stream counted, reported together, and the order in which the reports free to go are taken out. A
 * topic's report is not free while trades of the topic that came before it are still queued: it waits for them,
 * then goes first. Allocation-free, except to grow for a topic id beyond the capacity.
 */
final class OmittedTrades
{
    private boolean[] pending;
    private long[] dropped;
    private long[] counted;
    private long[] upToSequence;
    private long[] stamp;
    private int[] blockers;
    private final TopicOrder free;

    OmittedTrades(final int capacity)
    {
        pending = new boolean[capacity];
        dropped = new long[capacity];
        counted = new long[capacity];
        upToSequence = new long[capacity];
        stamp = new long[capacity];
        blockers = new int[capacity];
        free = new TopicOrder(capacity);
    }

    /**
     * Trades of a topic not delivered: added to its pending report, or to a new one that goes after the topic's
     * trades still queued.
     *
     * @param id            the topic's id.
     * @param upTo          the sequence number up to which the topic's updates are accounted for.
     * @param trades        how many.
     * @param drop          true if dropped past the bound, false if a conflated stream counted them.
     * @param arrival       for a new report, its place in the order of arrival of everything the conflator holds.
     * @param earlierTrades trades of the topic still queued, all of which came before these.
     */
    void add(
        final int id, final long upTo, final long trades, final boolean drop, final long arrival,
        final int earlierTrades)
    {
        if (!pending[id])
        {
            pending[id] = true;
            stamp[id] = arrival;
            blockers[id] = earlierTrades;
            if (earlierTrades == 0)
            {
                free.addLast(id);
            }
        }
        if (drop)
        {
            dropped[id] += trades;
        }
        else
        {
            counted[id] += trades;
        }
        upToSequence[id] = Math.max(upToSequence[id], upTo);
    }

    /**
     * A trade of the topic was taken out: a report that waited for it (and no other) may go now, before the others.
     *
     * @param id the topic's id.
     */
    void onTradeTaken(final int id)
    {
        if (pending[id] && blockers[id] > 0 && --blockers[id] == 0)
        {
            free.addFirst(id);
        }
    }

    /**
     * Whether no report is free to go.
     *
     * @return true when none is.
     */
    boolean isEmpty()
    {
        return free.isEmpty();
    }

    /**
     * The topic whose report goes next.
     *
     * @return its id, or {@link TopicOrder#NIL} when no report is free to go.
     */
    int next()
    {
        return free.head();
    }

    /**
     * Whether the topic has a report free to go that arrived before a given time.
     *
     * @param id      the topic's id.
     * @param arrival the arrival stamp to compare with (a quote's).
     * @return true if the report must go first.
     */
    boolean isFreeBefore(final int id, final long arrival)
    {
        return pending[id] && blockers[id] == 0 && stamp[id] < arrival;
    }

    long upToSequence(final int id)
    {
        return upToSequence[id];
    }

    long dropped(final int id)
    {
        return dropped[id];
    }

    long counted(final int id)
    {
        return counted[id];
    }

    /**
     * Takes the topic's report out (read its counts first).
     *
     * @param id the topic's id, free to go.
     */
    void take(final int id)
    {
        free.remove(id);
        pending[id] = false;
        dropped[id] = 0;
        counted[id] = 0;
        upToSequence[id] = 0;
    }

    /**
     * Makes room for topic ids below a new capacity (the cold path).
     *
     * @param capacity the new capacity, larger than the current one.
     */
    void grow(final int capacity)
    {
        pending = Arrays.copyOf(pending, capacity);
        dropped = Arrays.copyOf(dropped, capacity);
        counted = Arrays.copyOf(counted, capacity);
        upToSequence = Arrays.copyOf(upToSequence, capacity);
        stamp = Arrays.copyOf(stamp, capacity);
        blockers = Arrays.copyOf(blockers, capacity);
        free.grow(capacity);
    }
}
