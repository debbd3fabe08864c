package dev.feedhandler.journal.kafka;

import dev.feedhandler.journal.JournalEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record layout: headers that parse back to what was written (any long, property style with a printed seed),
 * garbage that parses to nothing, and the partition rule Kafka itself uses for keyed records.
 */
class KafkaRecordsTest
{
    @Test
    void shouldParseBackEveryLongAndRefuseWhatIsNotOne()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        for (int i = 0; i < 100_000; i++)
        {
            final long value = i < 3 ? new long[]{0, -1, Long.MAX_VALUE}[i] : random.nextLong() >> random.nextInt(63);
            assertThat(new String(KafkaRecords.ascii(value), StandardCharsets.US_ASCII)).as("seed %d", seed)
                .isEqualTo(Long.toString(value));
            assertThat(KafkaRecords.parse(KafkaRecords.ascii(value))).as("seed %d", seed).isEqualTo(value);
        }
        assertThat(new String(KafkaRecords.ascii(Long.MIN_VALUE), StandardCharsets.US_ASCII))
            .isEqualTo(Long.toString(Long.MIN_VALUE));
        for (final String bad : new String[]{"", "-", "12a", " 1", "1.5", "123456789012345678901"})
        {
            assertThat(KafkaRecords.parse(bad.getBytes(StandardCharsets.US_ASCII))).as(bad)
                .isEqualTo(KafkaRecords.MISSING);
        }
        assertThat(KafkaRecords.parse(null)).isEqualTo(KafkaRecords.MISSING);
    }

    @Test
    void shouldPartitionAsKafkaDoesForKeyedRecords()
    {
        for (final String symbol : new String[]{"EURUSD", "GBPUSD", "USDJPY", "SYM0001", "\0"})
        {
            final byte[] key = symbol.getBytes(StandardCharsets.US_ASCII);
            for (final int partitions : new int[]{1, 3, 7, 64})
            {
                assertThat(KafkaRecords.partition(key, partitions)).as("%s over %d", symbol, partitions)
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }

    @Test
    void shouldCarryTheEntryByteForByteWithItsHeaders()
    {
        final byte[] topic = "EURUSD".getBytes(StandardCharsets.US_ASCII);
        final byte[] bytes = new byte[JournalEntry.HEADER_LENGTH + topic.length + 8];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putByte(0, (byte)JournalEntry.VERSION);
        buffer.putByte(1, (byte)JournalEntry.KIND_BATCH);
        buffer.putByte(3, (byte)topic.length);
        buffer.putInt(4, 8, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(8, 777L, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(16, 41L, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(32, 5_000_000_123L, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(40, (short)10, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(JournalEntry.HEADER_LENGTH, topic);
        final JournalEntry entry = new JournalEntry().wrap(buffer, 0, bytes.length, 123_456L);
        assertThat(entry.isWellFormed()).isTrue();

        final ProducerRecord<byte[], byte[]> record = KafkaRecords.record("feed", 2, topic, entry, 99L, -1L);
        assertThat(record.value()).isEqualTo(bytes);
        assertThat(record.key()).isEqualTo(topic);
        assertThat(record.partition()).isEqualTo(2);
        assertThat(record.timestamp()).isEqualTo(5_000L);
        assertThat(KafkaRecords.longHeader(record.headers(), KafkaRecords.EPOCH)).isEqualTo(777);
        assertThat(KafkaRecords.longHeader(record.headers(), KafkaRecords.FIRST_SEQUENCE)).isEqualTo(41);
        assertThat(KafkaRecords.longHeader(record.headers(), KafkaRecords.LAST_SEQUENCE)).isEqualTo(50);
        assertThat(KafkaRecords.longHeader(record.headers(), KafkaRecords.INDEX)).isEqualTo(123_456);
        assertThat(KafkaRecords.longHeader(record.headers(), KafkaRecords.PREVIOUS)).isEqualTo(99);
        assertThat(KafkaRecords.longHeader(record.headers(), KafkaRecords.ACKED)).isEqualTo(-1);
    }
}
