package dev.feedhandler.journal.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Finds where to start reading an instrument's partition for a range of a session without reading everything before
 * it: a binary search over offsets. Records of several instruments share a partition, but one instrument's sequences
 * grow with the offset within a session, and sessions follow each other. A probe seeks to the middle of what is left
 * and reads forward to the first record that decides: a record of an earlier session, or of the instrument ending
 * before the range, moves the lower bound past it; a record of a later session, or of the instrument reaching the
 * range, moves the upper bound to it; records of other instruments of the session decide nothing, and a probe that
 * meets only those up to the upper bound moves the upper bound to where it started. The search stops when what is
 * left is one read ({@link #SCAN_RECORDS}); what probes learn is remembered ({@link SeekPoints}) for the next lookup.
 * Kafka's time index gives only the lower bound: a request names sequences, not times, and a session's records are
 * as far apart in time as its instruments' updates are. Recovery thread only.
 */
final class SequenceSeek
{
    /** Returned by {@link #start} when the deadline went by first. */
    static final long TIMED_OUT = -2;
    /** Returned by {@link #start} when the partition holds nothing at or after the session's start. */
    static final long NOT_THERE = -1;
    /** Records a lookup reads from its start rather than probing: about one poll. */
    static final long SCAN_RECORDS = 1000;

    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SeekPoints points = new SeekPoints();
    private long seeks;
    private long recordsRead;
    private boolean sessionSeen;
    private long lower;
    private long upper;

    SequenceSeek(final KafkaConsumer<byte[], byte[]> consumer)
    {
        this.consumer = consumer;
    }

    /**
     * The offset to read a session's range of an instrument from: at or before the first record of the instrument
     * that reaches {@code from} (or of a later session), after no such record. Leaves the consumer assigned to the
     * partition, its position undefined.
     *
     * @param partition the instrument's partition.
     * @param topic     the instrument.
     * @param epoch     the session.
     * @param from      first sequence wanted.
     * @param end       the partition's end offset.
     * @param deadline  {@link System#nanoTime()} to give up at.
     * @return the offset, {@link #NOT_THERE} or {@link #TIMED_OUT}.
     */
    long start(final TopicPartition partition, final byte[] topic, final long epoch, final long from, final long end,
        final long deadline)
    {
        sessionSeen = points.seen(topic, epoch);
        long start = points.sessionStart(topic, epoch);
        if (start < 0 || start > end)
        {
            final OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(partition, Math.max(0, epoch / 1_000_000)),
                KafkaClients.remaining(deadline)).get(partition);
            if (at == null)
            {
                return NOT_THERE;
            }
            start = at.offset();
            points.sessionStart(topic, epoch, start);
        }
        lower = points.lowerBound(topic, epoch, from, start);
        upper = points.upperBound(topic, epoch, from, end);
        if (upper < lower || lower > end)
        {
            // Points that contradict each other or the partition: the topic is not what it was. Start afresh.
            points.clear();
            points.sessionStart(topic, epoch, start);
            lower = start;
            upper = end;
        }
        consumer.assign(List.of(partition));
        while (upper - lower > SCAN_RECORDS)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return TIMED_OUT;
            }
            if (!probe(partition, topic, epoch, from, deadline))
            {
                return TIMED_OUT;
            }
        }
        return lower;
    }

    /** One probe from the middle of [lower, upper): moves one of them. False if the deadline went by first. */
    private boolean probe(final TopicPartition partition, final byte[] topic, final long epoch, final long from,
        final long deadline)
    {
        final long middle = lower + (upper - lower) / 2;
        seeks++;
        consumer.seek(partition, middle);
        while (System.nanoTime() - deadline < 0)
        {
            final Duration wait = KafkaClients.remaining(deadline);
            for (final ConsumerRecord<byte[], byte[]> record :
                consumer.poll(wait.compareTo(POLL) < 0 ? wait : POLL).records(partition))
            {
                if (record.offset() >= upper)
                {
                    upper = middle;
                    return true;
                }
                recordsRead++;
                if (decides(record, topic, epoch, from))
                {
                    return true;
                }
            }
            if (consumer.position(partition, KafkaClients.remaining(deadline)) >= upper)
            {
                upper = middle;
                return true;
            }
        }
        return false;
    }

    /** Whether a record moves a bound (and moves it). */
    private boolean decides(final ConsumerRecord<byte[], byte[]> record, final byte[] topic, final long epoch,
        final long from)
    {
        final long recordEpoch = KafkaRecords.longHeader(record.headers(), KafkaRecords.EPOCH);
        if (recordEpoch < epoch)
        {
            lower = record.offset() + 1;
            return true;
        }
        if (recordEpoch > epoch)
        {
            upper = record.offset();
            return true;
        }
        sessionSeen = true;
        final long last = KafkaRecords.longHeader(record.headers(), KafkaRecords.LAST_SEQUENCE);
        if (last == KafkaRecords.MISSING || !Arrays.equals(record.key(), topic))
        {
            return false;
        }
        // A batch or a heartbeat of the instrument: every batch of it before this record ends at or before its last.
        points.add(topic, epoch, record.offset(), last);
        if (last < from)
        {
            lower = record.offset() + 1;
        }
        else
        {
            upper = record.offset();
        }
        return true;
    }

    /**
     * Forgets what probes learnt (the topic may be another one now).
     */
    void forget()
    {
        points.clear();
    }

    /**
     * Whether the last {@link #start} met a record of the session (or knew of one): the session is in Kafka.
     *
     * @return true if so.
     */
    boolean sessionSeen()
    {
        return sessionSeen;
    }

    /**
     * Probes made: seeks into the partition.
     *
     * @return the count.
     */
    long seeks()
    {
        return seeks;
    }

    /**
     * Records probes read.
     *
     * @return the count.
     */
    long recordsRead()
    {
        return recordsRead;
    }
}
