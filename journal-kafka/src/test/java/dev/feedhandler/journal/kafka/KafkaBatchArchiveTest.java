package dev.feedhandler.journal.kafka;

import dev.feedhandler.journal.ArchiveUnavailableException;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.RemoteJournal;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The recovery archive on a real broker: a session's batches are found, a session Kafka does not hold is "not
 * found", and a Kafka that does not answer is neither: the lookup throws {@link ArchiveUnavailableException} within
 * its bound, and succeeds again once the broker is back. A lookup for the rest of a range reads on from where the
 * previous one stopped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaBatchArchiveTest
{
    private static final String TOPIC = "archive";
    private static final byte[] EURUSD = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final long EPOCH = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    private static final long LOOKUP_NS = TimeUnit.SECONDS.toNanos(3);

    @TempDir
    static Path directory;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception
    {
        broker = KafkaBroker.start(directory.resolve("broker"));
        KafkaTopics.ensure(broker.bootstrapServers(), TOPIC, 1, (short)1);
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(KafkaClients.producer(broker.bootstrapServers(), Map.of())))
        {
            // Three batches of ten updates: sequences 1-10, 11-20, 21-30.
            for (int i = 0; i < 3; i++)
            {
                producer.send(KafkaRecords.record(TOPIC, 0, EURUSD, batch(1 + 10L * i, i), i - 1, i - 1)).get();
            }
        }
    }

    @AfterAll
    static void stopBroker()
    {
        if (broker != null)
        {
            broker.close();
        }
    }

    @Test
    void shouldTellFoundFromNotFoundFromUnavailable()
    {
        try (KafkaBatchArchive archive = new KafkaBatchArchive(RemoteJournal.kafka(broker.bootstrapServers(), TOPIC),
            LOOKUP_NS))
        {
            assertThat(sequencesFound(archive, EPOCH, 12, 25)).containsExactly(11L, 21L);
            // A later session: Kafka holds nothing of it, and says so.
            assertThat(archive.findBatches(EURUSD, EPOCH + TimeUnit.HOURS.toNanos(1), 1, 5, e -> true)).isFalse();
            assertThat(archive.unavailable()).isZero();

            broker.stop();
            assertThatThrownBy(() -> archive.findBatches(EURUSD, EPOCH, 12, 25, e -> true))
                .isInstanceOf(ArchiveUnavailableException.class)
                .hasMessageContaining("EURUSD session " + EPOCH + " in Kafka topic " + TOPIC);
            assertThat(archive.unavailable()).isEqualTo(1);

            broker.start();
            await().atMost(Duration.ofSeconds(60)).ignoreException(ArchiveUnavailableException.class)
                .until(() -> sequencesFound(archive, EPOCH, 1, 30).size() == 3);
        }
    }

    @Test
    void shouldReadOnWhereThePreviousLookupOfTheSameRangeStopped()
    {
        try (KafkaBatchArchive archive = new KafkaBatchArchive(RemoteJournal.kafka(broker.bootstrapServers(), TOPIC),
            LOOKUP_NS))
        {
            // A page that takes one batch, then the rest of the range: the second lookup reads on from the first.
            final List<Long> first = new ArrayList<>();
            assertThat(archive.findBatches(EURUSD, EPOCH, 1, 30, (final JournalEntry entry) ->
                first.add(entry.sequence()) && first.size() < 2)).isTrue();
            assertThat(first).as("the second batch offered, refused: the page was full").containsExactly(1L, 11L);
            assertThat(sequencesFound(archive, EPOCH, 11, 30)).containsExactly(11L, 21L);
            assertThat(archive.resumed()).isEqualTo(1);
            // Past the session's last batch: found (the session is there), nothing handed out.
            assertThat(sequencesFound(archive, EPOCH, 31, 40)).isEmpty();
            assertThat(archive.resumed()).isEqualTo(2);

            // Before where it stopped, another session, another instrument: from the session's start again.
            assertThat(sequencesFound(archive, EPOCH, 5, 15)).containsExactly(1L, 11L);
            assertThat(archive.findBatches(EURUSD, EPOCH + TimeUnit.HOURS.toNanos(1), 31, 40, e -> true)).isFalse();
            assertThat(archive.findBatches("GBPUSD".getBytes(StandardCharsets.US_ASCII), EPOCH, 31, 40, e -> true))
                .isTrue();
            assertThat(archive.resumed()).isEqualTo(2);
            assertThat(archive.unavailable()).isZero();
        }
    }

    private static List<Long> sequencesFound(final KafkaBatchArchive archive, final long epoch, final long from,
        final long to)
    {
        final List<Long> sequences = new ArrayList<>();
        final boolean found = archive.findBatches(EURUSD, epoch, from, to, (final JournalEntry entry) ->
        {
            sequences.add(entry.sequence());
            return true;
        });
        assertThat(found).isTrue();
        return sequences;
    }

    /** A journal entry: a batch of ten EURUSD updates from {@code sequence}, written {@code i} ms into the session. */
    private static JournalEntry batch(final long sequence, final int i)
    {
        final byte[] bytes = new byte[JournalEntry.HEADER_LENGTH + EURUSD.length + 8];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putByte(0, (byte)JournalEntry.VERSION);
        buffer.putByte(1, (byte)JournalEntry.KIND_BATCH);
        buffer.putByte(3, (byte)EURUSD.length);
        buffer.putInt(4, 8, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(8, EPOCH, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(16, sequence, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(32, EPOCH + TimeUnit.MILLISECONDS.toNanos(i), ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(40, (short)10, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(JournalEntry.HEADER_LENGTH, EURUSD);
        final JournalEntry entry = new JournalEntry().wrap(buffer, 0, bytes.length, i);
        assertThat(entry.isWellFormed()).isTrue();
        return entry;
    }
}
