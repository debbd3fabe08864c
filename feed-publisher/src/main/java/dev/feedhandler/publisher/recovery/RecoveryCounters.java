package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The recovery service's counters: requests by kind, replies sent and dropped, errors by kind, what was served from
 * where (window, journal, streams) and the frames drained from the hand-off. Written by the recovery thread only
 * (ordered stores, no read-modify-write), readable from any thread.
 */
final class RecoveryCounters
{
    /** Gap fill requests decoded. */
    static final int GAP_FILLS = 0;
    /** Snapshot requests decoded. */
    static final int SNAPSHOTS = 1;
    /** Replies the socket took (a stream's pages and notices included). */
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
    /** Gap fills and stream notices answered {@code UNAVAILABLE}. */
    static final int UNAVAILABLE = 8;
    /** Replies answered {@code PARTIAL}, gap fills and snapshots. */
    static final int PARTIAL = 9;
    /** Batches served from the in-memory window. */
    static final int BATCHES_FROM_WINDOW = 10;
    /** Updates served by gap fills and catch-up streams. */
    static final int UPDATES_SERVED = 12;
    /** Entries served by snapshots. */
    static final int SNAPSHOT_ENTRIES = 13;
    /** Frames drained from the hand-off into the window and the cache. */
    static final int FRAMES_DRAINED = 14;
    /** Catch-up requests decoded. */
    static final int CATCH_UPS = 15;
    /** Pages catch-up streams sent. */
    static final int CATCH_UP_PAGES = 16;
    /** Updates catch-up streams sent. */
    static final int CATCH_UP_UPDATES = 17;
    /** Catch-up requests answered {@code BUSY} (the most streams were open). */
    static final int BUSY = 18;
    /**
     * Requests left unanswered because the journal's remote copy (Kafka) did not answer in time: the client asks
     * again; the range is never said to be unavailable for that.
     */
    static final int ARCHIVE_UNAVAILABLE = 19;
    private static final int COUNT = 20;

    private final AtomicLongArray counters = new AtomicLongArray(COUNT);

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
     * Counts an error reply by its kind.
     *
     * @param status the error.
     */
    void error(final RecoveryStatus status)
    {
        switch (status)
        {
            case TOO_LARGE:
                increment(TOO_LARGE);
                break;
            case UNKNOWN_REQUEST:
                increment(UNKNOWN_REQUEST);
                break;
            case WRONG_EPOCH:
                increment(WRONG_EPOCH);
                break;
            case BUSY:
                increment(BUSY);
                break;
            default:
                increment(MALFORMED);
                break;
        }
    }

    /**
     * Errors answered so far, all kinds (malformed, unknown request, too large, wrong epoch).
     *
     * @return the count.
     */
    long errors()
    {
        return get(MALFORMED) + get(UNKNOWN_REQUEST) + get(TOO_LARGE) + get(WRONG_EPOCH);
    }

    /**
     * The counts of the publisher's summary, in the order of its {@code recovery} object.
     *
     * @param map      takes them after the endpoint.
     * @param archives counts what the journal and its copy served.
     */
    void summary(final Map<String, Object> map, final RecoveryArchives archives)
    {
        map.put("gapFillRequests", get(GAP_FILLS));
        map.put("snapshotRequests", get(SNAPSHOTS));
        map.put("replies", get(REPLIES));
        map.put("repliesDropped", get(REPLIES_DROPPED));
        map.put("partial", get(PARTIAL));
        map.put("unavailable", get(UNAVAILABLE));
        final Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("malformed", get(MALFORMED));
        errors.put("unknownRequest", get(UNKNOWN_REQUEST));
        errors.put("tooLarge", get(TOO_LARGE));
        errors.put("wrongEpoch", get(WRONG_EPOCH));
        map.put("errors", errors);
        map.put("batchesFromWindow", get(BATCHES_FROM_WINDOW));
        map.put("batchesFromJournal", archives.fromJournal());
        map.put("batchesFromKafka", archives.fromRemote());
        map.put("updatesServed", get(UPDATES_SERVED));
        map.put("snapshotEntries", get(SNAPSHOT_ENTRIES));
        map.put("framesHandedOver", get(FRAMES_DRAINED));
        map.put("catchUpRequests", get(CATCH_UPS));
        map.put("catchUpPages", get(CATCH_UP_PAGES));
        map.put("catchUpUpdates", get(CATCH_UP_UPDATES));
        map.put("catchUpBusy", get(BUSY));
        map.put("archiveUnavailable", get(ARCHIVE_UNAVAILABLE));
        map.put("archiveCutShort", archives.remoteCutShort());
        map.put("archiveSeeks", archives.remoteSeeks());
    }
}
