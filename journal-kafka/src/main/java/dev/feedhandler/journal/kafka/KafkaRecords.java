package dev.feedhandler.journal.kafka;

import dev.feedhandler.journal.JournalEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * How a journal entry is one Kafka record. One record per journal entry (a batch of one instrument's updates, a
 * heartbeat or a session status), never one per update: the entry is the feed's unit (one ZeroMQ message), it keeps
 * the record byte for byte what the journal holds, and it spreads Kafka's per-record cost over the batch's updates.
 * <pre>
 *   key        the entry's topic (frame 0): the instrument, so one partition keeps each instrument in order
 *   value      the journal entry byte for byte: its 48-byte header, the topic, the payload (docs/journal.md)
 *   timestamp  the entry's journal time, in milliseconds (CreateTime): what offsetsForTimes looks up
 *   partition  murmur2(key) mod partitions, Kafka's own rule for keyed records, set explicitly
 *   headers    ASCII decimal numbers, readable by any tool:
 *     feed.epoch           the session epoch
 *     feed.sequence.first  batch: its first sequence (heartbeat: none)
 *     feed.sequence.last   batch: its last sequence; heartbeat: the topic's last sequence
 *     feed.journal.index   the entry's journal index: the sink resumes from it after a crash
 *     feed.journal.prev    the journal index of the entry before it in the same partition, -1 for none: a
 *                          reader sees any hole in a partition
 *     feed.journal.acked   every journal entry up to this index was in Kafka when this record was sent, -1
 *                          for none: where a restarted sink starts reading the journal again
 * </pre>
 */
public final class KafkaRecords
{
    /** Header: the session epoch. */
    public static final String EPOCH = "feed.epoch";
    /** Header: a batch's first sequence. */
    public static final String FIRST_SEQUENCE = "feed.sequence.first";
    /** Header: a batch's last sequence, a heartbeat's topic's last sequence. */
    public static final String LAST_SEQUENCE = "feed.sequence.last";
    /** Header: the journal index of the entry. */
    public static final String INDEX = "feed.journal.index";
    /** Header: the journal index of the previous entry in the same partition. */
    public static final String PREVIOUS = "feed.journal.prev";
    /** Header: the sink's acknowledged watermark when the record was sent. */
    public static final String ACKED = "feed.journal.acked";

    /** What {@link #longHeader} returns for a missing or malformed header. */
    public static final long MISSING = Long.MIN_VALUE;

    private KafkaRecords()
    {
    }

    /**
     * The partition of an instrument: Kafka's rule for keyed records, so other keyed producers agree.
     *
     * @param key        the topic bytes.
     * @param partitions the topic's partition count.
     * @return the partition.
     */
    public static int partition(final byte[] key, final int partitions)
    {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /**
     * The record of a journal entry (allocates: the key, the value and the headers are copies).
     *
     * @param topic     the Kafka topic.
     * @param partition the partition ({@link #partition}).
     * @param key       the entry's topic bytes ({@link JournalEntry#topicBytes()}).
     * @param entry     the entry.
     * @param previous  the journal index of the entry sent before it to the same partition, or -1.
     * @param acked     the acknowledged watermark, or -1.
     * @return the record.
     */
    public static ProducerRecord<byte[], byte[]> record(final String topic, final int partition, final byte[] key,
        final JournalEntry entry, final long previous, final long acked)
    {
        final byte[] value = new byte[entry.buffer().capacity()];
        entry.buffer().getBytes(0, value);
        final Headers headers = new RecordHeaders();
        headers.add(EPOCH, ascii(entry.sessionEpoch()));
        if (entry.kindCode() == JournalEntry.KIND_BATCH)
        {
            headers.add(FIRST_SEQUENCE, ascii(entry.sequence()));
            headers.add(LAST_SEQUENCE, ascii(entry.sequence() + entry.updateCount() - 1));
        }
        else if (entry.kindCode() == JournalEntry.KIND_HEARTBEAT)
        {
            headers.add(LAST_SEQUENCE, ascii(entry.sequence()));
        }
        headers.add(INDEX, ascii(entry.index()));
        headers.add(PREVIOUS, ascii(previous));
        headers.add(ACKED, ascii(acked));
        return new ProducerRecord<>(topic, partition, entry.journalTimestampNs() / 1_000_000, key,
            value, headers);
    }

    /**
     * A numeric header, parsed without allocating.
     *
     * @param headers the record's headers.
     * @param name    which.
     * @return the value, or {@link #MISSING}.
     */
    public static long longHeader(final Headers headers, final String name)
    {
        final Header header = headers.lastHeader(name);
        return header == null ? MISSING : parse(header.value());
    }

    /**
     * The journal index a record carries.
     *
     * @param record the record.
     * @return the index.
     * @throws NotAJournalRecordException if it carries none.
     */
    public static long index(final ConsumerRecord<byte[], byte[]> record)
    {
        final long index = longHeader(record.headers(), INDEX);
        if (index == MISSING || record.value() == null)
        {
            throw new NotAJournalRecordException(record.topic() + " partition " + record.partition() + " offset " +
                record.offset() + " is not a journal entry written by feed kafka-sink (no " + INDEX + " header)");
        }
        return index;
    }

    static byte[] ascii(final long value)
    {
        if (value == Long.MIN_VALUE)
        {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        // Straight into the header's array: no String on the way (six headers per record).
        long rest = Math.abs(value);
        int digits = 1;
        for (long v = rest; v >= 10; v /= 10)
        {
            digits++;
        }
        final int length = value < 0 ? digits + 1 : digits;
        final byte[] text = new byte[length];
        for (int i = length - 1; i >= length - digits; i--)
        {
            text[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        if (value < 0)
        {
            text[0] = '-';
        }
        return text;
    }

    static long parse(final byte[] text)
    {
        if (text == null || text.length == 0 || text.length > 20)
        {
            return MISSING;
        }
        int i = 0;
        final boolean negative = text[0] == '-';
        if (negative)
        {
            i++;
            if (text.length == 1)
            {
                return MISSING;
            }
        }
        long value = 0;
        for (; i < text.length; i++)
        {
            final int digit = text[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return MISSING;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    /**
     * A record that is not a journal entry: the topic holds something else.
     */
    public static final class NotAJournalRecordException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        NotAJournalRecordException(final String message)
        {
            super(message);
        }
    }
}
