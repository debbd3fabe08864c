package dev.feedhandler.journal.kafka;

import dev.feedhandler.journal.JournalTailer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What Kafka already holds of a journal, read from the last record of each partition: the journal index of that
 * record (each partition receives the entries routed to it in journal order and, the producer being idempotent,
 * without a hole, so every earlier entry of the partition is there too) and the highest acknowledged watermark
 * (every journal entry up to it is in Kafka: reading the journal can start after it).
 *
 * @param lastIndex per partition, the journal index of its last record, -1 if it has none.
 * @param acked     the highest watermark found, -1 for none.
 * @param records   records in the topic (end offsets less start offsets), for the log.
 */
record ResumePoint(long[] lastIndex, long acked, long records)
{
    private static final Duration POLL = Duration.ofMillis(100);
    /** Its lines are the sink's. */
    private static final Logger LOG = LoggerFactory.getLogger(KafkaJournalSink.class);

    /**
     * Moves the journal's tailer to the first entry Kafka may not hold: after the watermark, or the journal's first
     * entry when there is none or the journal no longer holds it (warning when entries were deleted unshipped).
     *
     * @param tailer   the journal's tailer.
     * @param skipUpTo the highest journal index found in Kafka.
     * @param journal  the journal directory, for the warning.
     * @return where reading starts, for the log line ("after index 41").
     */
    String positionTailer(final JournalTailer tailer, final long skipUpTo, final Path journal)
    {
        if (acked < 0)
        {
            tailer.toStart();
            return "from its first entry";
        }
        if (tailer.moveAfter(acked))
        {
            return "after index " + acked;
        }
        final long first = tailer.firstIndex();
        if (first < 0)
        {
            return "from its first entry (it is empty so far)";
        }
        if (first > acked + 1 && skipUpTo < first)
        {
            LOG.warn("kafka-sink: journal {} no longer holds the entries after index {} up to index {}: " +
                "they were deleted before Kafka got them", journal, acked, first);
        }
        return "from its first entry, index " + first + " (it no longer holds index " + acked + ")";
    }

    /**
     * Reads the last record of every partition.
     *
     * @param servers    bootstrap servers.
     * @param topic      the topic.
     * @param partitions its partition count.
     * @return what Kafka holds.
     * @throws KafkaTopics.KafkaUnavailableException if Kafka does not answer in time.
     * @throws KafkaRecords.NotAJournalRecordException if a partition ends with a record the sink did not write.
     */
    static ResumePoint read(final String servers, final String topic, final int partitions)
    {
        final long[] last = new long[partitions];
        Arrays.fill(last, -1);
        long acked = -1;
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(KafkaClients.consumer(servers, "feed-kafka-sink-resume")))
        {
            final List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++)
            {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            final Map<TopicPartition, Long> begin = consumer.beginningOffsets(all);
            final Map<TopicPartition, Long> end = consumer.endOffsets(all);
            final long deadlineNs = System.nanoTime() + KafkaClients.API_TIMEOUT_MS * 1_000_000L;
            for (final TopicPartition partition : all)
            {
                final long first = begin.get(partition);
                final long next = end.get(partition);
                records += next - first;
                if (next <= first)
                {
                    continue;
                }
                final ConsumerRecord<byte[], byte[]> record = lastRecord(consumer, partition, first, next, deadlineNs);
                if (record != null)
                {
                    last[partition.partition()] = KafkaRecords.index(record);
                    acked = Math.max(acked, KafkaRecords.longHeader(record.headers(), KafkaRecords.ACKED));
                }
            }
        }
        catch (final org.apache.kafka.common.errors.TimeoutException ex)
        {
            throw new KafkaTopics.KafkaUnavailableException("Kafka at " + servers + " did not answer within " +
                KafkaClients.API_TIMEOUT_MS / 1000 + " s", ex);
        }
        return new ResumePoint(last, acked, records);
    }

    /**
     * The last data record of a partition: one fetch from the last offset in the common case, looking further back
     * only if the log ends with something else (such as a transaction marker another producer left).
     */
    private static ConsumerRecord<byte[], byte[]> lastRecord(final KafkaConsumer<byte[], byte[]> consumer,
        final TopicPartition partition, final long first, final long next, final long deadlineNs)
    {
        final List<TopicPartition> one = List.of(partition);
        final List<TopicPartition> others = new ArrayList<>(consumer.assignment());
        others.remove(partition);
        consumer.pause(others);
        consumer.resume(one);
        try
        {
            long back = 1;
            while (true)
            {
                final long from = Math.max(first, next - back);
                consumer.seek(partition, from);
                ConsumerRecord<byte[], byte[]> last = null;
                while (consumer.position(partition) < next)
                {
                    if (System.nanoTime() - deadlineNs > 0)
                    {
                        throw new org.apache.kafka.common.errors.TimeoutException("reading " + partition);
                    }
                    final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    for (final ConsumerRecord<byte[], byte[]> record : records.records(partition))
                    {
                        if (record.offset() < next)
                        {
                            last = record;
                        }
                    }
                }
                if (last != null || from == first)
                {
                    return last;
                }
                back *= 16;
            }
        }
        finally
        {
            consumer.resume(others);
        }
    }
}
