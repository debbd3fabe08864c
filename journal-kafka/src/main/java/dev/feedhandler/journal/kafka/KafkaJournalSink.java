package dev.feedhandler.journal.kafka;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.JournalTailer;
import org.agrona.concurrent.IdleStrategy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    private final KafkaSinkConfiguration configuration;
    private final JournalTailer tailer;
    private final IdleStrategy idle = IdleStrategies.of(IdleStrategies.DEFAULT);
    private final JournalReader.EntryHandler handler = this::onEntry;
    private final InFlightEntries inFlight;
    private final StallWatch stallWatch;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong resumes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long unread;
    private volatile long lagMax;
    private volatile boolean connected;
    private volatile long watermark = -1;

    private KafkaProducer<byte[], byte[]> producer;
    private int partitions;
    private long[] lastInKafka = new long[0];
    private long[] previous = new long[0];
    private long skipUpTo = -1;
    private long recordsInKafka;
    private ProducerRecord<byte[], byte[]> pending;
    private long pendingIndex;
    private int pendingUpdates;
    private long pendingJournalNs;
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
        this.inFlight = new InFlightEntries(configuration.maxInFlight());
        this.stallWatch = new StallWatch(configuration.bootstrapServers(), configuration.stallReport().toNanos());
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
        inFlight.sinkThread(Thread.currentThread());
        startNs = System.nanoTime();
        stallWatch.progress(startNs);
        long nextHousekeepingNs = 0;
        try
        {
            while (running.getAsBoolean())
            {
                if (producer == null && !connect(running))
                {
                    continue;
                }
                final Exception failed = inFlight.asyncFailure();
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
                if (pending == null && !inFlight.full())
                {
                    work += tailer.poll(handler, POLL_LIMIT);
                }
                final long now = System.nanoTime();
                if (now - nextHousekeepingNs >= 0)
                {
                    housekeeping(now);
                    nextHousekeepingNs = now + HOUSEKEEPING_NS;
                }
                if (exitAtEnd && work == 0 && pending == null && inFlight.isEmpty() &&
                    inFlight.asyncFailure() == null &&
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
        final ResumePoint point;
        try
        {
            partitions = KafkaTopics.ensure(configuration.bootstrapServers(), configuration.topic(),
                configuration.partitions(), configuration.replicationFactor());
            point = ResumePoint.read(configuration.bootstrapServers(), configuration.topic(),
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
        final String from = point.positionTailer(tailer, skipUpTo, configuration.journal());
        resumes.incrementAndGet();
        if (connectedNs == 0)
        {
            connectedNs = System.nanoTime();
        }
        connected = true;
        unreachableReported = false;
        stallWatch.progress(System.nanoTime());
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
        pendingIndex = index;
        pendingUpdates = entry.kindCode() == JournalEntry.KIND_BATCH ? entry.updateCount() : 0;
        pendingJournalNs = entry.journalTimestampNs();
        return sendPending() > 0 && !inFlight.full();
    }

    /**
     * Hands the pending record to the producer.
     *
     * @return 1 if taken, 0 if it stays pending (Kafka away, or too many in flight).
     */
    private int sendPending()
    {
        if (inFlight.full())
        {
            return 0;
        }
        final ProducerRecord<byte[], byte[]> record = pending;
        producer.send(record, inFlight.claim(pendingIndex, pendingJournalNs, pendingUpdates));
        final Exception failed = inFlight.takeSyncFailure();
        if (failed != null)
        {
            if (failed instanceof RetriableException)
            {
                // Kafka is away (no metadata, or the producer's buffer is full): the same record goes next time.
                return 0;
            }
            onFailure(failed, pendingIndex);
            return 0;
        }
        inFlight.commit();
        sent.incrementAndGet();
        previous[record.partition()] = pendingIndex;
        pending = null;
        return 1;
    }

    private int drainAcknowledgements()
    {
        final int count = inFlight.drain();
        if (count > 0)
        {
            watermark = inFlight.lastAcknowledgedIndex();
            stallWatch.progress(System.nanoTime());
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
        stallWatch.check(now, !inFlight.isEmpty() || pending != null, lag);
    }

    private void onFailure(final Exception failed, final long index)
    {
        failures.incrementAndGet();
        final String what = index >= 0 ? "journal entry " + index : "a journal entry";
        if (KafkaClients.isPermanent(failed) || ++failuresWithoutProgress >= MAX_FAILURES_WITHOUT_PROGRESS)
        {
            throw new KafkaSinkException("Kafka topic " + configuration.topic() + " on " +
                configuration.bootstrapServers() + " refused " + what + ": " + KafkaClients.reason(failed), failed);
        }
        LOG.warn("kafka-sink: Kafka refused {}: {}; starting again from what Kafka holds", what,
            KafkaClients.reason(failed));
        closeProducer(Duration.ZERO);
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
        while (!inFlight.isEmpty() && System.nanoTime() - deadline < 0 && inFlight.asyncFailure() == null)
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
        sent.addAndGet(-inFlight.forget());
        pending = null;
        connected = false;
    }

    /**
     * Journal entries not yet acknowledged: those not read yet, and those sent and waiting for Kafka.
     *
     * @return the lag in entries.
     */
    public long lag()
    {
        return unread + Math.max(0, sent.get() - inFlight.acknowledged());
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
        return inFlight.acknowledged();
    }

    /**
     * Updates (in batches) acknowledged by Kafka.
     *
     * @return the count.
     */
    public long acknowledgedUpdates()
    {
        return inFlight.acknowledgedUpdates();
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
        return stallWatch.stalls();
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
        return stallWatch.stalled();
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
        return inFlight.latency();
    }

    /**
     * The summary: what was shipped and how fast; call after {@link #run} has returned.
     *
     * @return an ordered map for the JSON writer.
     */
    public Map<String, Object> summary()
    {
        // From the first connection on: the shipping rate without the start-up (JVM, topic, resume point).
        final long shippingNs = connectedNs == 0 ? 0 : startNs + elapsedNs - connectedNs;
        return KafkaSinkSummary.of(this, configuration.topic(), partitions, elapsedNs, shippingNs,
            inFlight.totalLatency());
    }

    /**
     * Closes the journal and the latency window.
     */
    @Override
    public void close()
    {
        closeProducer(Duration.ZERO);
        tailer.close();
        inFlight.latency().close();
    }
}
