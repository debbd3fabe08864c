package dev.feedhandler.journal.kafka;

import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.JournalFilter;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.JournalSource;
import dev.feedhandler.journal.RemoteJournal;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a journal back from its Kafka topic in journal order, exactly as {@link JournalReader} reads the journal:
 * the same entries (each record's value is the entry byte for byte), the same indexes (from the record's header),
 * the same filter. Partitions are merged by journal index (each partition is in journal order), so the order is
 * the journal's whatever the partition count. It reads to the end the topic had when the read began. A hole in a
 * partition (a record whose predecessor header is not the entry read before it) is logged and counted, never passed
 * over in silence.
 */
final class KafkaJournalSource implements JournalSource
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaJournalSource.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Records held per partition before it is paused so the consumer fetches the others. */
    private static final int MAX_BUFFERED = 20_000;

    private final RemoteJournal journal;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final JournalEntry entry = new JournalEntry();
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private long holes;

    KafkaJournalSource(final RemoteJournal journal)
    {
        this.journal = journal;
        final java.util.Properties properties = KafkaClients.consumer(journal.servers(), "feed-replay");
        properties.put("allow.auto.create.topics", "false");
        this.consumer = new KafkaConsumer<>(properties);
        try
        {
            final List<PartitionInfo> infos = consumer.partitionsFor(journal.name());
            if (infos == null || infos.isEmpty())
            {
                throw new JournalException("Kafka topic " + journal.name() + " does not exist on " +
                    journal.servers());
            }
            for (final PartitionInfo info : infos)
            {
                partitions.add(new TopicPartition(journal.name(), info.partition()));
            }
            partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        }
        catch (final KafkaException ex)
        {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw new JournalException("cannot read Kafka topic " + journal.name() + " on " + journal.servers() +
                ": " + KafkaClients.reason(ex), ex);
        }
        catch (final RuntimeException ex)
        {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw ex;
        }
    }

    @Override
    public long read(final JournalFilter filter, final JournalReader.EntryHandler handler)
    {
        try
        {
            return merge(filter, handler);
        }
        catch (final KafkaRecords.NotAJournalRecordException ex)
        {
            throw new JournalException("Kafka topic " + ex.getMessage());
        }
        catch (final KafkaException ex)
        {
            throw new JournalException("cannot read Kafka topic " + journal.name() + " on " + journal.servers() +
                ": " + KafkaClients.reason(ex), ex);
        }
    }

    private long merge(final JournalFilter filter, final JournalReader.EntryHandler handler)
    {
        final int count = partitions.size();
        consumer.assign(partitions);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        final long[] endOffset = new long[count];
        final long[] lastIndex = new long[count];
        final boolean[] done = new boolean[count];
        final long[] headIndex = new long[count];
        java.util.Arrays.fill(headIndex, Long.MIN_VALUE);
        final List<ArrayDeque<ConsumerRecord<byte[], byte[]>>> queues = new ArrayList<>();
        final Map<TopicPartition, Integer> slot = new HashMap<>();
        for (int i = 0; i < count; i++)
        {
            final TopicPartition partition = partitions.get(i);
            slot.put(partition, i);
            endOffset[i] = end.get(partition);
            lastIndex[i] = Long.MIN_VALUE;
            queues.add(new ArrayDeque<>());
        }
        position(filter, endOffset);
        for (int i = 0; i < count; i++)
        {
            done[i] = consumer.position(partitions.get(i)) >= endOffset[i];
        }
        final byte[][] prefixes = filter.prefixBytes();
        long handed = 0;
        long quietSinceNs = System.nanoTime();
        while (true)
        {
            if (!fill(queues, done, endOffset, slot))
            {
                if (System.nanoTime() - quietSinceNs > KafkaClients.API_TIMEOUT_MS * 1_000_000L)
                {
                    throw new JournalException("Kafka at " + journal.servers() + " sent nothing of topic " +
                        journal.name() + " for " + KafkaClients.API_TIMEOUT_MS / 1000 + " s");
                }
                continue;
            }
            quietSinceNs = System.nanoTime();
            int next = -1;
            long nextIndex = Long.MAX_VALUE;
            for (int i = 0; i < count; i++)
            {
                final ConsumerRecord<byte[], byte[]> head = queues.get(i).peek();
                if (head != null)
                {
                    if (headIndex[i] == Long.MIN_VALUE)
                    {
                        headIndex[i] = KafkaRecords.index(head);
                    }
                    if (headIndex[i] < nextIndex)
                    {
                        nextIndex = headIndex[i];
                        next = i;
                    }
                }
            }
            if (next < 0)
            {
                return handed;
            }
            final ConsumerRecord<byte[], byte[]> record = queues.get(next).poll();
            headIndex[next] = Long.MIN_VALUE;
            checkContinuity(record, next, lastIndex);
            lastIndex[next] = nextIndex;
            if (nextIndex > filter.toIndex())
            {
                // Partitions are in journal order: nothing after this one can pass.
                done[next] = true;
                queues.get(next).clear();
                headIndex[next] = Long.MIN_VALUE;
                consumer.pause(List.of(partitions.get(next)));
                continue;
            }
            buffer.wrap(record.value());
            entry.wrap(buffer, 0, record.value().length, nextIndex);
            if (!entry.isWellFormed())
            {
                throw new JournalException("Kafka topic " + journal.name() + " partition " + record.partition() +
                    " offset " + record.offset() + " is not a feed journal entry this version reads (" +
                    record.value().length + " bytes)");
            }
            if (filter.matches(entry, prefixes))
            {
                handed++;
                if (!handler.onEntry(entry))
                {
                    return handed;
                }
            }
        }
    }

    /**
     * Makes sure every partition not yet done has a record waiting (or is done), polling as needed: only then is the
     * smallest head the next entry in journal order.
     *
     * @return false if a poll brought nothing while some partition still waits for records.
     */
    private boolean fill(final List<ArrayDeque<ConsumerRecord<byte[], byte[]>>> queues, final boolean[] done,
        final long[] endOffset, final Map<TopicPartition, Integer> slot)
    {
        while (true)
        {
            boolean waiting = false;
            for (int i = 0; i < queues.size(); i++)
            {
                if (!done[i] && queues.get(i).isEmpty())
                {
                    if (consumer.position(partitions.get(i)) >= endOffset[i])
                    {
                        done[i] = true;
                        consumer.pause(List.of(partitions.get(i)));
                    }
                    else
                    {
                        waiting = true;
                    }
                }
            }
            if (!waiting)
            {
                return true;
            }
            final List<TopicPartition> pause = new ArrayList<>();
            final List<TopicPartition> resume = new ArrayList<>();
            for (int i = 0; i < queues.size(); i++)
            {
                (done[i] || queues.get(i).size() >= MAX_BUFFERED ? pause : resume).add(partitions.get(i));
            }
            consumer.pause(pause);
            consumer.resume(resume);
            final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            for (final ConsumerRecord<byte[], byte[]> record : records)
            {
                final int i = slot.get(new TopicPartition(record.topic(), record.partition()));
                if (record.offset() < endOffset[i] && !done[i])
                {
                    queues.get(i).add(record);
                }
            }
            if (records.isEmpty())
            {
                return false;
            }
        }
    }

    private void position(final JournalFilter filter, final long[] endOffset)
    {
        if (filter.fromTimeNs() != Long.MIN_VALUE)
        {
            final Map<TopicPartition, Long> times = new HashMap<>();
            for (final TopicPartition partition : partitions)
            {
                times.put(partition, Math.max(0, filter.fromTimeNs() / 1_000_000));
            }
            final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
            for (int i = 0; i < partitions.size(); i++)
            {
                final OffsetAndTimestamp at = found.get(partitions.get(i));
                consumer.seek(partitions.get(i), at == null ? endOffset[i] : at.offset());
            }
        }
        else
        {
            consumer.seekToBeginning(partitions);
        }
        if (filter.fromIndex() != Long.MIN_VALUE)
        {
            for (int i = 0; i < partitions.size(); i++)
            {
                seekToIndex(partitions.get(i), filter.fromIndex(), endOffset[i]);
            }
        }
    }

    /**
     * Moves a partition forward to its first record at or after a journal index: a binary search over offsets (the
     * partition is in journal order), a fetch per step, never backwards from where it is.
     */
    private void seekToIndex(final TopicPartition partition, final long index, final long endOffset)
    {
        long low = consumer.position(partition);
        long high = endOffset;
        final List<TopicPartition> others = new ArrayList<>(partitions);
        others.remove(partition);
        consumer.pause(others);
        consumer.resume(List.of(partition));
        while (low < high)
        {
            final long middle = low + (high - low) / 2;
            final ConsumerRecord<byte[], byte[]> record = first(partition, middle, endOffset);
            if (record == null)
            {
                high = middle;
            }
            else if (KafkaRecords.index(record) < index)
            {
                low = record.offset() + 1;
            }
            else
            {
                high = middle;
            }
        }
        consumer.seek(partition, low);
        consumer.resume(others);
    }

    private ConsumerRecord<byte[], byte[]> first(final TopicPartition partition, final long offset,
        final long endOffset)
    {
        consumer.seek(partition, offset);
        final long deadline = System.nanoTime() + KafkaClients.API_TIMEOUT_MS * 1_000_000L;
        while (consumer.position(partition) < endOffset && System.nanoTime() - deadline < 0)
        {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(partition))
            {
                if (record.offset() >= offset && record.offset() < endOffset)
                {
                    return record;
                }
            }
        }
        return null;
    }

    private void checkContinuity(final ConsumerRecord<byte[], byte[]> record, final int slot, final long[] lastIndex)
    {
        if (lastIndex[slot] == Long.MIN_VALUE)
        {
            return;
        }
        final long previous = KafkaRecords.longHeader(record.headers(), KafkaRecords.PREVIOUS);
        if (previous != KafkaRecords.MISSING && previous != lastIndex[slot])
        {
            holes++;
            LOG.warn("Kafka topic {} partition {} offset {}: journal entries are missing between index {} and " +
                "index {} (the record says the one before it is index {})", journal.name(), record.partition(),
                record.offset(), lastIndex[slot], KafkaRecords.index(record), previous);
        }
    }

    /**
     * Holes found in partitions so far.
     *
     * @return the count.
     */
    long holes()
    {
        return holes;
    }

    @Override
    public void close()
    {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
    }
}
