package dev.feedhandler.publisher.recovery;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The recovery service's counters: requests by kind, replies sent and dropped, errors by kind, what was served from
 * the window and the frames drained from the hand-off. Written by the recovery thread only (ordered stores, no
 * read-modify-write), readable from any thread.
 */
final class RecoveryCounters
{
    /** Gap fill requests decoded. */
    static final int GAP_FILLS = 0;
    /** Snapshot requests decoded. */
    static final int SNAPSHOTS = 1;
    /** Replies the socket took. */
    static final int REPLIES = 2;
    /** Replies lost: the client was gone or its queue full. */
    static final int REPLIES_DROPPED = 3;
    /** Requests answered {@code MALFORMED}, and requests whose handling failed. */
    static final int MALFORMED = 4;
    /** Requests answered {@code UNKNOWN_REQUEST}. */
    static final int UNKNOWN_REQUEST = 5;
    /** Requests answered {@code TOO_LARGE}. */
    static final int TOO_LARGE = 6;
    /** Requests answered {@code WRONG_EPOCH}. */
    static final int WRONG_EPOCH = 7;
    /** Gap fills answered {@code UNAVAILABLE}. */
    static final int UNAVAILABLE = 8;
    /** Replies answered {@code PARTIAL}, gap fills and snapshots. */
    static final int PARTIAL = 9;
    /** Batches served from the in-memory window. */
    static final int BATCHES_FROM_WINDOW = 10;
    /** Updates served by gap fills. */
    static final int UPDATES_SERVED = 12;
    /** Entries served by snapshots. */
    static final int SNAPSHOT_ENTRIES = 13;
    /** Frames drained from the hand-off into the window and the cache. */
    static final int FRAMES_DRAINED = 14;

    private static final int COUNTERS = 15;

    private final AtomicLongArray counters = new AtomicLongArray(COUNTERS);

    /**
     * Adds one. Recovery thread only.
     *
     * @param counter which.
     */
    void increment(final int counter)
    {
        add(counter, 1);
    }

    /**
     * Adds to a counter. Recovery thread only.
     *
     * @param counter which.
     * @param delta   how much.
     */
    void add(final int counter, final long delta)
    {
        counters.lazySet(counter, counters.get(counter) + delta);
    }

    /**
     * A counter's value. Safe from any thread.
     *
     * @param counter which.
     * @return its value.
     */
    long get(final int counter)
    {
        return counters.get(counter);
    }

    /**
     * Errors answered, all kinds (malformed, unknown request, too large, wrong epoch). Safe from any thread.
     *
     * @return the count.
     */
    long errors()
    {
        return counters.get(MALFORMED) + counters.get(UNKNOWN_REQUEST) + counters.get(TOO_LARGE) +
            counters.get(WRONG_EPOCH);
    }
}
