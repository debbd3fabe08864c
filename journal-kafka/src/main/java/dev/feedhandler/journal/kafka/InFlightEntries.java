package dev.feedhandler.journal.kafka;

import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.time.WallClock;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal entries handed to the Kafka producer and not yet taken back, in journal order: a bounded ring that the
 * sink's thread fills and drains, and that the producer's I/O thread completes through one preallocated
 * {@link Callback} per slot. An acknowledgement counts the entry, its updates and its journal-to-Kafka latency; the
 * first refusal is kept for the sink's thread. The counters and the latency are readable from any thread.
 */
final class InFlightEntries
{
    private static final int IN_FLIGHT = 0;
    private static final int ACKED = 1;
    private static final int FAILED = 2;

    private final WallClock clock = WallClock.shared();
    private final int mask;
    private final long[] slotIndex;
    private final long[] slotJournalNs;
    private final int[] slotUpdates;
    private final AtomicIntegerArray slotState;
    private final SlotCallback[] callbacks;
    private long head;
    private long tail;
    private long lastAcknowledgedIndex = -1;

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong acknowledgedUpdates = new AtomicLong();
    private final LatencyWindow latency = new LatencyWindow();
    private final Histogram totalLatency = LatencyReport.newHistogram();
    private volatile Exception asyncFailure;
    private Exception syncFailure;
    private Thread sinkThread;

    /**
     * An empty ring.
     *
     * @param capacity the most entries in flight, a power of two.
     */
    InFlightEntries(final int capacity)
    {
        this.mask = capacity - 1;
        this.slotIndex = new long[capacity];
        this.slotJournalNs = new long[capacity];
        this.slotUpdates = new int[capacity];
        this.slotState = new AtomicIntegerArray(capacity);
        this.callbacks = new SlotCallback[capacity];
        for (int i = 0; i < capacity; i++)
        {
            callbacks[i] = new SlotCallback(i);
        }
    }

    /**
     * The thread that sends: a callback on it is the producer refusing a record inside {@code send}.
     *
     * @param thread the sink's thread.
     */
    void sinkThread(final Thread thread)
    {
        this.sinkThread = thread;
    }

    /**
     * Whether every slot is taken.
     *
     * @return true when nothing more may be sent until an acknowledgement is drained.
     */
    boolean full()
    {
        return tail - head > mask;
    }

    /**
     * Whether nothing is in flight.
     *
     * @return true when every entry sent has been drained or forgotten.
     */
    boolean isEmpty()
    {
        return head == tail;
    }

    /**
     * Takes the next slot for an entry about to be sent; {@link #commit} keeps it once {@code send} has taken it.
     *
     * @param index     the entry's journal index.
     * @param journalNs when the journal wrote it.
     * @param updates   its updates (0 for an entry that is not a batch).
     * @return the callback to give the producer with the record.
     */
    Callback claim(final long index, final long journalNs, final int updates)
    {
        final int slot = (int)(tail & mask);
        slotIndex[slot] = index;
        slotJournalNs[slot] = journalNs;
        slotUpdates[slot] = updates;
        slotState.set(slot, IN_FLIGHT);
        syncFailure = null;
        return callbacks[slot];
    }

    /**
     * The refusal of the last claimed record by {@code send} itself, taken once.
     *
     * @return the exception, or null if {@code send} took the record.
     */
    Exception takeSyncFailure()
    {
        final Exception failed = syncFailure;
        syncFailure = null;
        return failed;
    }

    /**
     * Keeps the claimed slot in flight.
     */
    void commit()
    {
        tail++;
    }

    /**
     * Takes back, in order, the acknowledged entries at the head of the ring.
     *
     * @return how many.
     */
    int drain()
    {
        int count = 0;
        while (head < tail)
        {
            final int slot = (int)(head & mask);
            if (slotState.get(slot) != ACKED)
            {
                break;
            }
            lastAcknowledgedIndex = slotIndex[slot];
            head++;
            count++;
        }
        return count;
    }

    /**
     * The journal index of the last entry drained.
     *
     * @return the index, -1 before the first.
     */
    long lastAcknowledgedIndex()
    {
        return lastAcknowledgedIndex;
    }

    /**
     * Forgets what is in flight and the refusal seen, once the producer is closed (no callback comes after).
     *
     * @return the entries forgotten, sent but not acknowledged.
     */
    long forget()
    {
        final long forgotten = tail - head;
        head = tail;
        asyncFailure = null;
        return forgotten;
    }

    /**
     * The first refusal the producer reported on its I/O thread since the last {@link #forget}.
     *
     * @return the exception, or null.
     */
    Exception asyncFailure()
    {
        return asyncFailure;
    }

    long acknowledged()
    {
        return acknowledged.get();
    }

    long acknowledgedUpdates()
    {
        return acknowledgedUpdates.get();
    }

    LatencyWindow latency()
    {
        return latency;
    }

    Histogram totalLatency()
    {
        return totalLatency;
    }

    /**
     * The producer's word on one record, on its I/O thread (or, for a record it could not take, on the sink's
     * thread inside {@code send}).
     */
    private final class SlotCallback implements Callback
    {
        private final int slot;

        SlotCallback(final int slot)
        {
            this.slot = slot;
        }

        @Override
        public void onCompletion(final RecordMetadata metadata, final Exception exception)
        {
            if (Thread.currentThread() == sinkThread)
            {
                syncFailure = exception;
                return;
            }
            if (exception != null)
            {
                slotState.set(slot, FAILED);
                if (asyncFailure == null)
                {
                    asyncFailure = exception;
                }
                return;
            }
            final long latencyNs = clock.nanoTime() - slotJournalNs[slot];
            latency.record(latencyNs);
            totalLatency.recordValue(Math.max(1, Math.min(latencyNs, LatencyReport.HIGHEST_TRACKABLE_NS)));
            acknowledgedUpdates.lazySet(acknowledgedUpdates.get() + slotUpdates[slot]);
            acknowledged.lazySet(acknowledged.get() + 1);
            slotState.set(slot, ACKED);
        }
    }
}
