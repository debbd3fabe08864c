package dev.feedhandler.journal.kafka;

import dev.feedhandler.journal.ArchiveUnavailableException;
import dev.feedhandler.journal.BatchArchive;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.RemoteJournal;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A journal's Kafka topic as a recovery archive: the batches of one instrument in one session are in the partition
 * of the instrument's key, in order, after the first record at or after the session's start (its epoch is its start
 * time: Kafka's time index finds it). A lookup finds where the range starts by seeking ({@link SequenceSeek}: a
 * binary search over offsets, however far into the partition the range lies), reads from there and stops as soon as
 * it is past the range (a later batch of the instrument, or a record of a later session), and within a bounded time:
 * a recovery service must not hang on a Kafka that is away. A lookup Kafka did not answer in time (or at all) throws
 * {@link ArchiveUnavailableException}: "away" is never answered as "not there"; what its seeks found is remembered,
 * so the next lookup goes on from there. A lookup that goes on where the previous one of the same instrument and
 * session stopped (a client asking for the rest of a range) reads on from there without seeking.
 * Recovery thread only.
 */
final class KafkaBatchArchive implements BatchArchive
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchArchive.class);
    private static final Duration POLL = Duration.ofMillis(50);
    /**
     * Longest a lookup may take (the recovery thread serves nobody else meanwhile); a recovery client that times out
     * first asks again, and the second lookup finds the consumer connected.
     */
    private static final long LOOKUP_NS = 5_000_000_000L;

    private final RemoteJournal journal;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final JournalEntry entry = new JournalEntry();
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final long lookupNs;
    private final SequenceSeek seek;
    private int partitions;
    private long lookups;
    private long unavailable;
    private long resumed;
    private long scanned;
    /** Where the last lookup stopped: the instrument and session, and the partition offset after its last batch. */
    private byte[] resumeTopic;
    private long resumeEpoch;
    /** Every batch of resumeTopic in resumeEpoch before resumeOffset ends before this sequence. */
    private long resumeSequence;
    private TopicPartition resumePartition;
    private long resumeOffset = -1;

    KafkaBatchArchive(final RemoteJournal journal)
    {
        this(journal, LOOKUP_NS);
    }

    /**
     * An archive whose lookups take at most {@code lookupNs}.
     */
    KafkaBatchArchive(final RemoteJournal journal, final long lookupNs)
    {
        this.journal = journal;
        this.lookupNs = lookupNs;
        final java.util.Properties properties = KafkaClients.consumer(journal.servers(), "feed-recovery");
        properties.put("allow.auto.create.topics", "false");
        properties.put("default.api.timeout.ms", Long.toString(Math.max(1, lookupNs / 1_000_000)));
        properties.put("max.poll.records", "1000");
        // A probe reads a record or two after its seek, not a megabyte; and a fetch at the partition's end (the
        // prefetch after a scan's last poll) must not hold the next seek's fetch back for the default 500 ms, which
        // every lookup that read to the end waited (KafkaBatchArchiveTest, 30 ms now).
        properties.put("fetch.max.wait.ms", "20");
        properties.put("max.partition.fetch.bytes", "131072");
        this.consumer = new KafkaConsumer<>(properties);
        this.seek = new SequenceSeek(consumer);
        try
        {
            // Connects and learns the topic now, so the first lookup is not also the slowest.
            partitions(consumer.partitionsFor(journal.name()));
        }
        catch (final KafkaException ex)
        {
            LOG.warn("recovery: Kafka at {} does not answer now ({}); every lookup tries again", journal.servers(),
                KafkaClients.reason(ex));
        }
    }

    private void partitions(final List<PartitionInfo> infos)
    {
        if (infos == null || infos.isEmpty())
        {
            LOG.warn("recovery: Kafka topic {} does not exist on {}", journal.name(), journal.servers());
            return;
        }
        partitions = infos.size();
    }

    @Override
    public boolean findBatches(final byte[] topic, final long sessionEpoch, final long fromSequence,
        final long toSequence, final JournalReader.EntryHandler handler)
    {
        lookups++;
        final long deadline = System.nanoTime() + lookupNs;
        try
        {
            return lookup(topic, sessionEpoch, fromSequence, toSequence, handler, deadline);
        }
        catch (final KafkaException ex)
        {
            // Kafka's TimeoutException is one: away or slow is not "not there". The next lookup starts afresh (the
            // offset it would read on from may be gone).
            unavailable++;
            resumeOffset = -1;
            if (!(ex instanceof TimeoutException))
            {
                // Not just slow: the topic may have been deleted and created again, its offsets mean other records.
                seek.forget();
            }
            throw new ArchiveUnavailableException("recovery: cannot read " + what(topic, sessionEpoch) + ": " +
                KafkaClients.reason(ex), ex);
        }
        catch (final KafkaRecords.NotAJournalRecordException ex)
        {
            LOG.warn("recovery: Kafka topic {} on {} does not hold a journal: {}", journal.name(), journal.servers(),
                ex.getMessage());
            return false;
        }
    }

    private boolean lookup(final byte[] topic, final long sessionEpoch, final long fromSequence,
        final long toSequence, final JournalReader.EntryHandler handler, final long deadline)
    {
        if (partitions == 0)
        {
            partitions(consumer.partitionsFor(journal.name(), KafkaClients.remaining(deadline)));
            if (partitions == 0)
            {
                return false;
            }
        }
        final TopicPartition partition = new TopicPartition(journal.name(), KafkaRecords.partition(topic, partitions));
        final List<TopicPartition> one = List.of(partition);
        final long end = consumer.endOffsets(one, KafkaClients.remaining(deadline)).get(partition);
        final long start;
        final boolean resuming = canResume(topic, sessionEpoch, fromSequence, partition, end);
        if (resuming)
        {
            resumed++;
            start = resumeOffset;
            consumer.assign(one);
        }
        else
        {
            resumeOffset = -1;
            start = seek.start(partition, topic, sessionEpoch, fromSequence, end, deadline);
            if (start == SequenceSeek.NOT_THERE)
            {
                return false;
            }
            if (start == SequenceSeek.TIMED_OUT)
            {
                unavailable++;
                throw new ArchiveUnavailableException("recovery: looking up " + what(topic, sessionEpoch) +
                    " took more than " + lookupNs / 1_000_000 + " ms (seeking the range's start, " + seek.seeks() +
                    " seeks so far; the next lookup goes on from what they found)", null);
            }
        }
        consumer.seek(partition, start);
        // A resumed lookup has found the session before, a search may have met it: its batches are there even if
        // none is left to read.
        boolean found = resuming || seek.sessionSeen();
        while (consumer.position(partition, KafkaClients.remaining(deadline)) < end)
        {
            if (System.nanoTime() - deadline > 0)
            {
                unavailable++;
                throw new ArchiveUnavailableException("recovery: looking up " + what(topic, sessionEpoch) +
                    " took more than " + lookupNs / 1_000_000 + " ms; " + (found ?
                    "the batches found so far were handed out" : "nothing found so far"), null);
            }
            final Duration wait = KafkaClients.remaining(deadline);
            for (final ConsumerRecord<byte[], byte[]> record :
                consumer.poll(wait.compareTo(POLL) < 0 ? wait : POLL).records(partition))
            {
                if (record.offset() >= end)
                {
                    return found;
                }
                scanned++;
                final long epoch = KafkaRecords.longHeader(record.headers(), KafkaRecords.EPOCH);
                if (epoch > sessionEpoch)
                {
                    return found;
                }
                if (epoch != sessionEpoch)
                {
                    continue;
                }
                found = true;
                final long first = KafkaRecords.longHeader(record.headers(), KafkaRecords.FIRST_SEQUENCE);
                if (first == KafkaRecords.MISSING || !Arrays.equals(record.key(), topic))
                {
                    continue;
                }
                if (first > toSequence)
                {
                    return true;
                }
                final long last = KafkaRecords.longHeader(record.headers(), KafkaRecords.LAST_SEQUENCE);
                if (last >= fromSequence)
                {
                    buffer.wrap(record.value());
                    entry.wrap(buffer, 0, record.value().length, KafkaRecords.index(record));
                    if (!entry.isWellFormed() || !handler.onEntry(entry))
                    {
                        return true;
                    }
                    if (resumeOffset < 0)
                    {
                        resumeTopic = topic.clone();
                        resumeEpoch = sessionEpoch;
                        resumePartition = partition;
                    }
                    resumeSequence = last + 1;
                    resumeOffset = record.offset() + 1;
                }
            }
        }
        return found;
    }

    /**
     * Whether a lookup can read on from where the previous one stopped: same instrument, session and partition, a
     * range that starts after what it handed out, and an offset the partition still holds.
     */
    private boolean canResume(final byte[] topic, final long sessionEpoch, final long fromSequence,
        final TopicPartition partition, final long end)
    {
        return resumeOffset >= 0 && resumeEpoch == sessionEpoch && fromSequence >= resumeSequence &&
            resumeOffset <= end && partition.equals(resumePartition) && Arrays.equals(resumeTopic, topic);
    }

    private String what(final byte[] topic, final long sessionEpoch)
    {
        return new String(topic, StandardCharsets.US_ASCII) + " session " + sessionEpoch + " in Kafka topic " +
            journal.name() + " on " + journal.servers();
    }

    /**
     * Lookups made.
     *
     * @return the count.
     */
    long lookups()
    {
        return lookups;
    }

    /**
     * Lookups that read on from where the previous one stopped instead of from the session's start.
     *
     * @return the count.
     */
    long resumed()
    {
        return resumed;
    }

    /**
     * Seeks into a partition to find where a range starts ({@link SequenceSeek}).
     *
     * @return the count.
     */
    @Override
    public long seeks()
    {
        return seek.seeks();
    }

    /**
     * Records read: by the seeks, and from where they led up to the range's end.
     *
     * @return the count.
     */
    long recordsRead()
    {
        return scanned + seek.recordsRead();
    }

    /**
     * Lookups that could not be answered (Kafka away or too slow): {@link ArchiveUnavailableException}.
     *
     * @return the count.
     */
    long unavailable()
    {
        return unavailable;
    }

    @Override
    public String description()
    {
        return journal.toString();
    }

    @Override
    public void close()
    {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
    }
}
