package dev.feedhandler.subscriber.conflate;

import java.util.Arrays;

/**
 * Topics in the order they are to be taken out: a doubly linked list threaded through arrays indexed by topic id, so
 * that a topic is added at either end or removed from anywhere in constant time, without allocation. A topic is in
 * the list at most once. Grows (the cold path) only when a topic id beyond the capacity appears.
 */
final class TopicOrder
{
    /** No topic: the end of the list, or an empty list's head. */
    static final int NIL = -1;

    private int[] prev;
    private int[] next;
    private int head = NIL;
    private int tail = NIL;

    TopicOrder(final int capacity)
    {
        prev = filled(capacity);
        next = filled(capacity);
    }

    /**
     * The first topic.
     *
     * @return its id, or {@link #NIL} when the list is empty.
     */
    int head()
    {
        return head;
    }

    /**
     * Whether no topic is in the list.
     *
     * @return true when empty.
     */
    boolean isEmpty()
    {
        return head == NIL;
    }

    /**
     * Adds a topic at the end: it goes after every topic already in the list.
     *
     * @param id the topic's id, not in the list.
     */
    void addLast(final int id)
    {
        prev[id] = tail;
        next[id] = NIL;
        if (tail == NIL)
        {
            head = id;
        }
        else
        {
            next[tail] = id;
        }
        tail = id;
    }

    /**
     * Adds a topic at the front: it goes before every topic already in the list.
     *
     * @param id the topic's id, not in the list.
     */
    void addFirst(final int id)
    {
        prev[id] = NIL;
        next[id] = head;
        if (head == NIL)
        {
            tail = id;
        }
        else
        {
            prev[head] = id;
        }
        head = id;
    }

    /**
     * Removes a topic from wherever it is in the list.
     *
     * @param id the topic's id, in the list.
     */
    void remove(final int id)
    {
        final int before = prev[id];
        final int after = next[id];
        if (before == NIL)
        {
            head = after;
        }
        else
        {
            next[before] = after;
        }
        if (after == NIL)
        {
            tail = before;
        }
        else
        {
            prev[after] = before;
        }
        prev[id] = NIL;
        next[id] = NIL;
    }

    /**
     * Makes room for topic ids below a new capacity (the cold path).
     *
     * @param capacity the new capacity, larger than the current one.
     */
    void grow(final int capacity)
    {
        prev = grown(prev, capacity);
        next = grown(next, capacity);
    }

    private static int[] filled(final int capacity)
    {
        final int[] array = new int[capacity];
        Arrays.fill(array, NIL);
        return array;
    }

    private static int[] grown(final int[] array, final int capacity)
    {
        final int[] copy = Arrays.copyOf(array, capacity);
        Arrays.fill(copy, array.length, capacity, NIL);
        return copy;
    }
}
