package dev.feedhandler.subscriber;

import dev.feedhandler.common.wire.DecodeError;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The subscriber's counters. Each is written by one thread (the receiver or the listener thread) with an ordered
 * store, without locks or allocation, and read from any thread.
 */
public final class SubscriberCounters
{
    private static final int BATCHES_RECEIVED = 0;
    private static final int UPDATES_RECEIVED = 1;
    private static final int UPDATES_DELIVERED = 2;
    private static final int GAPS_DETECTED = 3;
    private static final int UPDATES_LOST = 4;
    private static final int DUPLICATE_UPDATES = 5;
    private static final int HEARTBEATS = 6;
    private static final int RING_FULL = 7;
    private static final int LISTENER_ERRORS = 8;
    private static final int STALE_EPOCH_DROPS = 9;
    private static final int EPOCH_CHANGES = 10;
    private static final int SESSION_ENDS = 11;
    private static final int BYTES_RECEIVED = 12;
    private static final int RECONNECTS = 13;
    private static final int RECOVERED = 14;
    private static final int UNRECOVERABLE = 15;
    private static final int RECOVERIES = 16;
    private static final int RECOVERIES_FAILED = 17;
    private static final int SNAPSHOTS = 18;
    private static final int STALE_EVENTS = 19;
    private static final int SESSIONS_LOST = 20;
    private static final int GIVE_UPS = 21;
    private static final int CATCH_UPS = 22;
    private static final int CATCH_UP_DROPS = 23;
    private static final int CATCH_UP_UPDATES = 24;
    private static final int CATCH_UP_NANOS = 25;
    private static final int CATCH_UP_LONGEST_NANOS = 26;
    private static final int CATCH_UP_LAST_END_NS = 27;
    private static final int DECODE_ERRORS = 28;
    private static final int SIZE = DECODE_ERRORS + DecodeError.count();

    private final AtomicLongArray values = new AtomicLongArray(SIZE);
    private volatile AtomicLongArray topicUpdates = new AtomicLongArray(64);

    private void add(final int index, final long delta)
    {
        values.lazySet(index, values.get(index) + delta);
    }

    /**
     * Receiver thread: a batch arrived with this many updates and bytes.
     *
     * @param updates updates in the batch.
     * @param bytes   payload bytes.
     */
    public void onBatchReceived(final int updates, final int bytes)
    {
        add(BATCHES_RECEIVED, 1);
        add(UPDATES_RECEIVED, updates);
        add(BYTES_RECEIVED, bytes);
    }

    /**
     * Receiver thread: a batch of a topic arrived with this many updates (per-topic counts for metrics).
     *
     * @param topicId the topic's dense id.
     * @param updates updates in the batch.
     */
    public void onTopicUpdates(final int topicId, final int updates)
    {
        AtomicLongArray array = topicUpdates;
        if (topicId >= array.length())
        {
            array = growTopics(topicId);
        }
        array.lazySet(topicId, array.get(topicId) + updates);
    }

    private AtomicLongArray growTopics(final int topicId)
    {
        // Cold path, receiver thread only (the single writer): copy, then publish the larger array.
        final AtomicLongArray old = topicUpdates;
        final AtomicLongArray grown = new AtomicLongArray(Math.max(topicId + 1, old.length() * 2));
        for (int i = 0; i < old.length(); i++)
        {
            grown.lazySet(i, old.get(i));
        }
        topicUpdates = grown;
        return grown;
    }

    /**
     * Updates received on one topic in valid batches, duplicates included. Safe from any thread.
     *
     * @param topicId the topic's dense id ({@link Topic#id()}).
     * @return the count, 0 for a topic not seen.
     */
    public long topicUpdates(final int topicId)
    {
        final AtomicLongArray array = topicUpdates;
        return topicId < array.length() ? array.get(topicId) : 0;
    }

    /**
     * Receiver thread: a gap of this many updates was detected.
     *
     * @param updates missing updates.
     */
    public void onGap(final long updates)
    {
        add(GAPS_DETECTED, 1);
        add(UPDATES_LOST, updates);
    }

    /**
     * Receiver thread: updates already delivered arrived again and were dropped.
     *
     * @param updates the duplicates.
     */
    public void onDuplicates(final long updates)
    {
        add(DUPLICATE_UPDATES, updates);
    }

    /**
     * Receiver thread: a heartbeat arrived.
     */
    public void onHeartbeat()
    {
        add(HEARTBEATS, 1);
    }

    /**
     * Receiver thread: the ring was full and the receiver had to wait for the listener.
     */
    public void onRingFull()
    {
        add(RING_FULL, 1);
    }

    /**
     * Receiver thread: a message was malformed and skipped.
     *
     * @param error why.
     */
    public void onDecodeError(final DecodeError error)
    {
        add(DECODE_ERRORS + error.ordinal(), 1);
    }

    /**
     * Receiver thread: a batch of an older publisher session arrived after a newer one and was dropped.
     */
    public void onStaleEpoch()
    {
        add(STALE_EPOCH_DROPS, 1);
    }

    /**
     * Receiver thread: a topic moved to a new publisher session.
     */
    public void onEpochChange()
    {
        add(EPOCH_CHANGES, 1);
    }

    /**
     * Receiver thread: the socket was replaced because a connection did not complete its handshake.
     */
    public void onReconnect()
    {
        add(RECONNECTS, 1);
    }

    /**
     * Receiver thread: updates of a gap are lost for good (reported with {@code onGap(..., true)}).
     *
     * @param updates how many.
     */
    public void onUnrecoverable(final long updates)
    {
        add(UNRECOVERABLE, updates);
    }

    /**
     * Receiver thread: updates recovered from the recovery service were delivered.
     *
     * @param updates how many.
     */
    public void onRecovered(final long updates)
    {
        add(RECOVERED, updates);
    }

    /**
     * Receiver thread: a recovery (gap fill, or the rest of an earlier session) started.
     */
    public void onRecoveryStarted()
    {
        add(RECOVERIES, 1);
    }

    /**
     * Receiver thread: the recovery service did not answer a recovery or refused it.
     */
    public void onRecoveryFailed()
    {
        add(RECOVERIES_FAILED, 1);
    }

    /**
     * Receiver thread: a topic started from a snapshot.
     */
    public void onSnapshot()
    {
        add(SNAPSHOTS, 1);
    }

    /**
     * Receiver thread: the feed went stale.
     */
    public void onStale()
    {
        add(STALE_EVENTS, 1);
    }

    /**
     * Receiver thread: a topic left a session that ended without a word (its end is unknown).
     */
    public void onSessionLost()
    {
        add(SESSIONS_LOST, 1);
    }

    /**
     * Receiver thread: a topic's recovery was given up because too much was held back (no longer happens: such a
     * topic switches to catch-up, {@link #onCatchUp()}).
     */
    public void onGiveUp()
    {
        add(GIVE_UPS, 1);
    }

    /**
     * Receiver thread: a topic switched to catch-up (a stream from the recovery service, merged into the live feed)
     * instead of holding more live updates back or asking for a gap page by page.
     */
    public void onCatchUp()
    {
        add(CATCH_UPS, 1);
    }

    /**
     * Receiver thread: live updates of a topic catching up were let go (its stream brings them), to keep the memory
     * held back bounded.
     *
     * @param updates how many.
     */
    public void onCatchUpDrop(final long updates)
    {
        add(CATCH_UP_DROPS, updates);
    }

    /**
     * Receiver thread: updates of a catching-up topic came from its stream.
     *
     * @param updates how many.
     */
    public void onCatchUpRecovered(final long updates)
    {
        add(CATCH_UP_UPDATES, updates);
    }

    /**
     * Receiver thread: a spell of catching up is over (every topic that caught up merged into the live feed).
     *
     * @param durationNs how long it lasted.
     * @param endNs      when it ended ({@link System#nanoTime()}).
     */
    public void onCatchUpSpell(final long durationNs, final long endNs)
    {
        add(CATCH_UP_NANOS, durationNs);
        if (durationNs > values.get(CATCH_UP_LONGEST_NANOS))
        {
            values.lazySet(CATCH_UP_LONGEST_NANOS, durationNs);
        }
        values.lazySet(CATCH_UP_LAST_END_NS, endNs);
    }

    /**
     * Listener thread: updates were handed to the listener.
     *
     * @param updates how many.
     */
    public void onDelivered(final int updates)
    {
        add(UPDATES_DELIVERED, updates);
    }

    /**
     * Listener thread: the listener threw.
     */
    public void onListenerError()
    {
        add(LISTENER_ERRORS, 1);
    }

    /**
     * Listener thread: the publisher ended its session.
     */
    public void onSessionEnd()
    {
        add(SESSION_ENDS, 1);
    }

    /**
     * Valid batches received.
     *
     * @return the count.
     */
    public long batchesReceived()
    {
        return values.get(BATCHES_RECEIVED);
    }

    /**
     * Updates received in valid batches, duplicates included.
     *
     * @return the count.
     */
    public long updatesReceived()
    {
        return values.get(UPDATES_RECEIVED);
    }

    /**
     * Updates handed to the listener.
     *
     * @return the count.
     */
    public long updatesDelivered()
    {
        return values.get(UPDATES_DELIVERED);
    }

    /**
     * Gaps detected (sequence jumps, heartbeats ahead).
     *
     * @return the count.
     */
    public long gapsDetected()
    {
        return values.get(GAPS_DETECTED);
    }

    /**
     * Updates missing in all gaps.
     *
     * @return the count.
     */
    public long updatesLost()
    {
        return values.get(UPDATES_LOST);
    }

    /**
     * Duplicate updates dropped.
     *
     * @return the count.
     */
    public long duplicateUpdates()
    {
        return values.get(DUPLICATE_UPDATES);
    }

    /**
     * Heartbeats received.
     *
     * @return the count.
     */
    public long heartbeats()
    {
        return values.get(HEARTBEATS);
    }

    /**
     * Times the receiver found the ring full.
     *
     * @return the count.
     */
    public long ringFull()
    {
        return values.get(RING_FULL);
    }

    /**
     * Exceptions thrown by the listener.
     *
     * @return the count.
     */
    public long listenerErrors()
    {
        return values.get(LISTENER_ERRORS);
    }

    /**
     * Batches of an older session dropped.
     *
     * @return the count.
     */
    public long staleEpochDrops()
    {
        return values.get(STALE_EPOCH_DROPS);
    }

    /**
     * Topic moves to a new publisher session.
     *
     * @return the count.
     */
    public long epochChanges()
    {
        return values.get(EPOCH_CHANGES);
    }

    /**
     * Session ends announced by publishers.
     *
     * @return the count.
     */
    public long sessionEnds()
    {
        return values.get(SESSION_ENDS);
    }

    /**
     * Times the socket was replaced because a connection stalled in its handshake.
     *
     * @return the count.
     */
    public long reconnects()
    {
        return values.get(RECONNECTS);
    }

    /**
     * Updates delivered from the recovery service.
     *
     * @return the count.
     */
    public long updatesRecovered()
    {
        return values.get(RECOVERED);
    }

    /**
     * Updates reported lost for good ({@code onGap(..., true)}).
     *
     * @return the count.
     */
    public long updatesUnrecoverable()
    {
        return values.get(UNRECOVERABLE);
    }

    /**
     * Recoveries started (gap fills, rests of earlier sessions).
     *
     * @return the count.
     */
    public long recoveries()
    {
        return values.get(RECOVERIES);
    }

    /**
     * Recoveries and snapshots the service did not answer (after every retry) or refused.
     *
     * @return the count.
     */
    public long recoveriesFailed()
    {
        return values.get(RECOVERIES_FAILED);
    }

    /**
     * Topics started from a snapshot.
     *
     * @return the count.
     */
    public long snapshots()
    {
        return values.get(SNAPSHOTS);
    }

    /**
     * Times the feed went stale (nothing for three heartbeat intervals).
     *
     * @return the count.
     */
    public long staleEvents()
    {
        return values.get(STALE_EVENTS);
    }

    /**
     * Topics that left a session which ended without a word.
     *
     * @return the count.
     */
    public long sessionsLost()
    {
        return values.get(SESSIONS_LOST);
    }

    /**
     * Recoveries given up because too much was held back.
     *
     * @return the count.
     */
    public long giveUps()
    {
        return values.get(GIVE_UPS);
    }

    /**
     * Times a topic switched to catch-up.
     *
     * @return the count.
     */
    public long catchUps()
    {
        return values.get(CATCH_UPS);
    }

    /**
     * Live updates let go while their topic caught up (its stream brought them again).
     *
     * @return the count.
     */
    public long catchUpDrops()
    {
        return values.get(CATCH_UP_DROPS);
    }

    /**
     * Updates that catching-up topics got from their streams.
     *
     * @return the count.
     */
    public long catchUpUpdates()
    {
        return values.get(CATCH_UP_UPDATES);
    }

    /**
     * Time some topic was catching up, all spells together.
     *
     * @return nanoseconds.
     */
    public long catchUpNanos()
    {
        return values.get(CATCH_UP_NANOS);
    }

    /**
     * The longest spell of catching up: from the first topic's switch to the last one's merge.
     *
     * @return nanoseconds.
     */
    public long catchUpLongestNanos()
    {
        return values.get(CATCH_UP_LONGEST_NANOS);
    }

    /**
     * When the last spell of catching up ended ({@link System#nanoTime()}), 0 if none has.
     *
     * @return the time.
     */
    public long catchUpLastEndNs()
    {
        return values.get(CATCH_UP_LAST_END_NS);
    }

    /**
     * Payload bytes of valid batches.
     *
     * @return the count.
     */
    public long bytesReceived()
    {
        return values.get(BYTES_RECEIVED);
    }

    /**
     * Malformed messages of one kind.
     *
     * @param error the kind.
     * @return the count.
     */
    public long decodeErrors(final DecodeError error)
    {
        return values.get(DECODE_ERRORS + error.ordinal());
    }

    /**
     * Malformed messages of all kinds.
     *
     * @return the count.
     */
    public long decodeErrors()
    {
        long total = 0;
        for (int i = 0; i < DecodeError.count(); i++)
        {
            total += values.get(DECODE_ERRORS + i);
        }
        return total;
    }

    /**
     * The non-zero decode error counts by kind (cold path).
     *
     * @return kind name to count.
     */
    public Map<String, Long> decodeErrorsByKind()
    {
        final Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < DecodeError.count(); i++)
        {
            final long value = values.get(DECODE_ERRORS + i);
            if (value > 0)
            {
                map.put(DecodeError.get(i).name(), value);
            }
        }
        return map;
    }
}
