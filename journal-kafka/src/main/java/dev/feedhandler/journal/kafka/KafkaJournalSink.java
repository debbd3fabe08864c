package dev.feedhandler.journal.kafka;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.JournalTailer;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Follows a journal and produces every entry to a Kafka topic, once: {@code feed kafka-sink}.
 * <p>
 * <b>Exactly once across crashes, by resuming from what Kafka holds</b> (not by Kafka transactions). Each record
 * carries its journal index; the producer is idempotent with {@code acks=all} and never gives a record up, so each
 * partition holds the entries routed to it in journal order without a hole. On start, and after any failure, the
 * sink reads the last record of every partition ({@link ResumePoint}) and sends exactly the entries each partition
 * lacks, reading the journal again from the highest watermark a record carries (every entry up to it was in Kafka).
 * No state lives outside Kafka and the journal, so a SIGKILL at any moment loses and repeats nothing; every reader
 * sees each entry once, whatever its isolation level.
 * <p>
 * One thread runs {@link #run}; acknowledgements arrive on the producer's I/O thread into a bounded ring of
 * in-flight entries, which also bounds the memory the producer may hold while Kafka is away. The counters and the
 * latency are readable from any thread (metrics, status lines).
 */
public final class KafkaJournalSink implements AutoCloseable
{
    /** Why {@link #run} returned. */
    public enum StopReason
    {
        /** Everything the journal held was acknowledged ({@code --exit-at-end}). */
        END,
        /** Asked to stop. */
        STOPPED
    }

    private static final Logger LOG = LoggerFactory.getLogger(KafkaJournalSink.class);
    private static final int POLL_LIMIT = 1024;
    private static final long HOUSEKEEPING_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long RETRY_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long STOP_DRAIN_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_FAILURES_WITHOUT_PROGRESS = 3;
    private static final int IN_FLIGHT = 0;
    private static final int ACKED = 1;
    private static final int FAILED = 2;

    private final KafkaSinkConfiguration configuration;
    private final JournalTailer tailer;
    private final WallClock clock = WallClock.shared();
    private final IdleStrategy idle = IdleStrategies.of(IdleStrategies.DEFAULT);
    private final JournalReader.EntryHandler handler = this::onEntry;

    private final int mask;
    private final long[] slotIndex;
    private final long[] slotJournalNs;
    private final int[] slotUpdates;
    private final AtomicIntegerArray slotState;
    private final SlotCallback[] callbacks;
    private long head;
    private long tail;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong acknowledgedUpdates = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong resumes = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final LatencyWindow latency = new LatencyWindow();
    private final Histogram totalLatency = LatencyReport.newHistogram();
    private volatile long unread;
    private volatile long lagMax;
    private volatile boolean stalled;
    private volatile boolean connected;
    private volatile Exception asyncFailure;
    private volatile long watermark = -1;

    private Thread sinkThread;
    private KafkaProducer<byte[], byte[]> producer;
    private int partitions;
    private long[] lastInKafka = new long[0];
    private long[] previous = new long[0];
    private long skipUpTo = -1;
    private long recordsInKafka;
    private Exception syncFailure;
    private ProducerRecord<byte[], byte[]> pending;
    private int pendingUpdates;
    private long pendingJournalNs;
    private long lastProgressNs;
    private long stallStartNs;
    private boolean unreachableReported;
    private int failuresWithoutProgress;
    private long startNs;
    private long connectedNs;
    private long elapsedNs;

    /**
     * Opens the journal; Kafka is reached when {@link #run} starts (and waited for if it is away).
     *
     * @param configuration the settings.
     * @throws dev.feedhandler.journal.JournalException if the journal cannot be read.
     */
    public KafkaJournalSink(final KafkaSinkConfiguration configuration)
    {
        this.configuration = configuration;
        final int capacity = configuration.maxInFlight();
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
        this.tailer = JournalTailer.open(configuration.journal());
    }

    /**
     * Ships journal entries until stopped, or with {@code exitAtEnd} until everything the journal holds is
     * acknowledged. Kafka being away is waited for and reported, never an error.
     *
     * @param running   stops the sink when it turns false.
     * @param exitAtEnd whether to return once caught up.
     * @return why it returned.
     * @throws KafkaSinkException with a one-line message for what cannot be retried.
     */
    public StopReason run(final BooleanSupplier running, final boolean exitAtEnd)
    {
        sinkThread = Thread.currentThread();
        startNs = System.nanoTime();
        lastProgressNs = startNs;
        long nextHousekeepingNs = 0;
        try
        {
            while (running.getAsBoolean())
            {
                if (producer == null && !connect(running))
                {
                    continue;
                }
                final Exception failed = asyncFailure;
                if (failed != null)
                {
                    onFailure(failed, -1);
                    continue;
                }
                int work = drainAcknowledgements();
                if (pending != null)
                {
                    work += sendPending();
                }
                if (pending == null && tail - head <= mask)
                {
                    work += tailer.poll(handler, POLL_LIMIT);
                }
                final long now = System.nanoTime();
                if (now - nextHousekeepingNs >= 0)
                {
                    housekeeping(now);
                    nextHousekeepingNs = now + HOUSEKEEPING_NS;
                }
                if (exitAtEnd && work == 0 && pending == null && head == tail && asyncFailure == null &&
                    tailer.remaining() == 0)
                {
                    unread = 0;
                    return StopReason.END;
                }
                idle.idle(work);
            }
            drainBeforeStop();
            return StopReason.STOPPED;
        }
        finally
        {
            elapsedNs = System.nanoTime() - startNs;
            closeProducer(Duration.ofSeconds(1));
        }
    }

    private boolean connect(final BooleanSupplier running)
    {
        try
        {
            partitions = KafkaTopics.ensure(configuration.bootstrapServers(), configuration.topic(),
                configuration.partitions(), configuration.replicationFactor());
            final ResumePoint point = ResumePoint.read(configuration.bootstrapServers(), configuration.topic(),
                partitions);
            recordsInKafka = point.records();
            lastInKafka = point.lastIndex();
            previous = Arrays.copyOf(lastInKafka, partitions);
            skipUpTo = Arrays.stream(lastInKafka).max().orElse(-1);
            watermark = point.acked();
            producer = new KafkaProducer<>(KafkaClients.producer(configuration.bootstrapServers(),
                configuration.producerOverrides()));
        }
        catch (final KafkaTopics.KafkaUnavailableException | KafkaException ex)
        {
            if (!unreachableReported)
            {
                LOG.warn("kafka-sink: cannot reach Kafka at {}: {}; trying again every {} s",
                    configuration.bootstrapServers(), KafkaClients.reason(ex),
                    TimeUnit.NANOSECONDS.toSeconds(RETRY_NS));
                unreachableReported = true;
            }
            connected = false;
            closeProducer(Duration.ZERO);
            final long until = System.nanoTime() + RETRY_NS;
            while (running.getAsBoolean() && System.nanoTime() - until < 0)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                housekeeping(System.nanoTime());
            }
            return false;
        }
        final long acked = watermark;
        final String from;
        if (acked < 0)
        {
            tailer.toStart();
            from = "from its first entry";
        }
        else if (tailer.moveAfter(acked))
        {
            from = "after index " + acked;
        }
        else if (tailer.firstIndex() < 0)
        {
            from = "from its first entry (it is empty so far)";
        }
        else
        {
            from = "from its first entry, index " + tailer.firstIndex() + " (it no longer holds index " + acked +
                ")";
            if (tailer.firstIndex() > acked + 1 && skipUpTo < tailer.firstIndex())
            {
                LOG.warn("kafka-sink: journal {} no longer holds the entries after index {} up to index {}: " +
                    "they were deleted before Kafka got them", configuration.journal(), acked, tailer.firstIndex());
            }
        }
        resumes.incrementAndGet();
        if (connectedNs == 0)
        {
            connectedNs = System.nanoTime();
        }
        connected = true;
        unreachableReported = false;
        lastProgressNs = System.nanoTime();
        LOG.info("kafka-sink: Kafka topic {} on {} holds {} records in {} partitions (last journal index {}); " +
            "reading journal {} {}", configuration.topic(), configuration.bootstrapServers(), recordsInKafka,
            partitions, skipUpTo, configuration.journal(), from);
        return true;
    }

    private boolean onEntry(final JournalEntry entry)
    {
        final byte[] key = entry.topicBytes();
        final int partition = KafkaRecords.partition(key, partitions);
        final long index = entry.index();
        if (index <= skipUpTo && index <= lastInKafka[partition])
        {
            skipped.incrementAndGet();
            return true;
        }
        pending = KafkaRecords.record(configuration.topic(), partition, key, entry, previous[partition], watermark);
        pendingUpdates = entry.kindCode() == JournalEntry.KIND_BATCH ? entry.updateCount() : 0;
        pendingJournalNs = entry.journalTimestampNs();
        return sendPending() > 0 && tail - head <= mask;
    }

    /**
     * Hands the pending record to the producer.
     *
     * @return 1 if taken, 0 if it stays pending (Kafka away, or too many in flight).
     */
    private int sendPending()
    {
        if (tail - head > mask)
        {
            return 0;
        }
        final ProducerRecord<byte[], byte[]> record = pending;
        final int slot = (int)(tail & mask);
        final long index = KafkaRecords.longHeader(record.headers(), KafkaRecords.INDEX);
        slotIndex[slot] = index;
        slotJournalNs[slot] = pendingJournalNs;
        slotUpdates[slot] = pendingUpdates;
        slotState.set(slot, IN_FLIGHT);
        syncFailure = null;
        producer.send(record, callbacks[slot]);
        final Exception failed = syncFailure;
        if (failed != null)
        {
            syncFailure = null;
            if (failed instanceof RetriableException)
            {
                // Kafka is away (no metadata, or the producer's buffer is full): the same record goes next time.
                return 0;
            }
            onFailure(failed, index);
            return 0;
        }
        tail++;
        sent.incrementAndGet();
        previous[record.partition()] = index;
        pending = null;
        return 1;
    }

    private int drainAcknowledgements()
    {
        int count = 0;
        while (head < tail)
        {
            final int slot = (int)(head & mask);
            final int state = slotState.get(slot);
            if (state != ACKED)
            {
                break;
            }
            watermark = slotIndex[slot];
            head++;
            count++;
        }
        if (count > 0)
        {
            lastProgressNs = System.nanoTime();
            failuresWithoutProgress = 0;
        }
        return count;
    }

    private void housekeeping(final long now)
    {
        final long remaining = tailer.remaining() + (pending != null ? 1 : 0);
        unread = remaining;
        final long lag = lag();
        if (lag > lagMax)
        {
            lagMax = lag;
        }
        final boolean waiting = head < tail || pending != null;
        if (!waiting)
        {
            lastProgressNs = now;
        }
        final long silentNs = now - lastProgressNs;
        if (!stalled && waiting && silentNs > configuration.stallReport().toNanos())
        {
            stalled = true;
            stallStartNs = lastProgressNs;
            stalls.incrementAndGet();
            LOG.warn("kafka-sink: Kafka at {} has acknowledged nothing for {} s, {} journal entries waiting; " +
                "still trying (nothing is lost: the journal holds them)", configuration.bootstrapServers(),
                String.format("%.1f", silentNs / 1e9), lag);
        }
        else if (stalled && silentNs < configuration.stallReport().toNanos())
        {
            stalled = false;
            LOG.info("kafka-sink: Kafka acknowledges again after {} s; lag {} journal entries",
                String.format("%.1f", (now - stallStartNs) / 1e9), lag);
        }
    }

    private void onFailure(final Exception failed, final long index)
    {
        failures.incrementAndGet();
        final String what = index >= 0 ? "journal entry " + index : "a journal entry";
        if (isPermanent(failed) || ++failuresWithoutProgress >= MAX_FAILURES_WITHOUT_PROGRESS)
        {
            throw new KafkaSinkException("Kafka topic " + configuration.topic() + " on " +
                configuration.bootstrapServers() + " refused " + what + ": " + KafkaClients.reason(failed), failed);
        }
        LOG.warn("kafka-sink: Kafka refused {}: {}; starting again from what Kafka holds", what,
            KafkaClients.reason(failed));
        closeProducer(Duration.ZERO);
    }

    private static boolean isPermanent(final Exception failed)
    {
        return failed instanceof RecordTooLargeException || failed instanceof AuthorizationException ||
            failed instanceof AuthenticationException || failed instanceof InvalidTopicException;
    }

    private void drainBeforeStop()
    {
        if (producer == null)
        {
            return;
        }
        // No flush(): it would wait for ever while Kafka is away. What is in flight gets a bounded wait (the linger
        // sends it); what is not acknowledged by then is sent again by the next sink, from what Kafka holds.
        final long deadline = System.nanoTime() + STOP_DRAIN_NS;
        while (head < tail && System.nanoTime() - deadline < 0 && asyncFailure == null)
        {
            if (drainAcknowledgements() == 0)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        unread = tailer.remaining();
    }

    /**
     * Closes the producer (its I/O thread has ended when this returns: no callback comes after) and forgets what was
     * in flight: the next connection finds out from Kafka what arrived.
     */
    private void closeProducer(final Duration timeout)
    {
        if (producer != null)
        {
            try
            {
                producer.close(timeout);
            }
            catch (final KafkaException ex)
            {
                LOG.debug("closing the producer", ex);
            }
            producer = null;
        }
        drainAcknowledgements();
        sent.addAndGet(-(tail - head));
        head = tail;
        pending = null;
        asyncFailure = null;
        connected = false;
    }

    /**
     * Journal entries not yet acknowledged: those not read yet, and those sent and waiting for Kafka.
     *
     * @return the lag in entries.
     */
    public long lag()
    {
        return unread + Math.max(0, sent.get() - acknowledged.get());
    }

    /**
     * Largest lag seen.
     *
     * @return entries.
     */
    public long lagMax()
    {
        return lagMax;
    }

    /**
     * Entries acknowledged by Kafka.
     *
     * @return the count.
     */
    public long acknowledgedEntries()
    {
        return acknowledged.get();
    }

    /**
     * Updates (in batches) acknowledged by Kafka.
     *
     * @return the count.
     */
    public long acknowledgedUpdates()
    {
        return acknowledgedUpdates.get();
    }

    /**
     * Entries handed to the producer (acknowledged or in flight).
     *
     * @return the count.
     */
    public long sentEntries()
    {
        return sent.get();
    }

    /**
     * Entries found already in Kafka on a resume, not sent again.
     *
     * @return the count.
     */
    public long skippedEntries()
    {
        return skipped.get();
    }

    /**
     * Times the sink connected and worked out where to resume.
     *
     * @return the count.
     */
    public long resumes()
    {
        return resumes.get();
    }

    /**
     * Times Kafka acknowledged nothing for the stall threshold while entries waited.
     *
     * @return the count.
     */
    public long stalls()
    {
        return stalls.get();
    }

    /**
     * Records Kafka refused (each followed by a resume, or the end of the sink).
     *
     * @return the count.
     */
    public long failures()
    {
        return failures.get();
    }

    /**
     * Whether Kafka has acknowledged nothing for the stall threshold while entries wait.
     *
     * @return true while stalled.
     */
    public boolean stalled()
    {
        return stalled;
    }

    /**
     * Whether the sink has a producer and knows where it resumed.
     *
     * @return true when connected.
     */
    public boolean connected()
    {
        return connected;
    }

    /**
     * The highest journal index up to which every entry is acknowledged.
     *
     * @return the index, -1 for none.
     */
    public long watermark()
    {
        return watermark;
    }

    /**
     * Journal write to Kafka acknowledgement, per entry, over a sliding window.
     *
     * @return the window.
     */
    public LatencyWindow latency()
    {
        return latency;
    }

    /**
     * The summary: what was shipped and how fast; call after {@link #run} has returned.
     *
     * @return an ordered map for the JSON writer.
     */
    public Map<String, Object> summary()
    {
        final double seconds = elapsedNs / 1e9;
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("acknowledged", acknowledged.get());
        map.put("updates", acknowledgedUpdates.get());
        map.put("skipped", skipped.get());
        map.put("lag", lag());
        map.put("lagMax", lagMax);
        map.put("watermark", watermark);
        map.put("resumes", resumes.get());
        map.put("stalls", stalls.get());
        map.put("failures", failures.get());
        map.put("topic", configuration.topic());
        map.put("partitions", partitions);
        map.put("elapsedSeconds", Math.round(seconds * 1000) / 1000.0);
        map.put("updatesPerSecond", seconds > 0 ? Math.round(acknowledgedUpdates.get() / seconds) : 0);
        // From the first connection on: the shipping rate without the start-up (JVM, topic, resume point).
        final double shipping = connectedNs == 0 ? 0 : (startNs + elapsedNs - connectedNs) / 1e9;
        map.put("shippingSeconds", Math.round(shipping * 1000) / 1000.0);
        map.put("updatesPerSecondShipping", shipping > 0 ? Math.round(acknowledgedUpdates.get() / shipping) : 0);
        map.put("ackLatency_us", LatencyReport.toMicros(totalLatency));
        return map;
    }

    /**
     * Closes the journal and the latency window.
     */
    @Override
    public void close()
    {
        closeProducer(Duration.ZERO);
        tailer.close();
        latency.close();
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
