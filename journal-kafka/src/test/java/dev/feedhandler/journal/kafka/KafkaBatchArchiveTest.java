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
import java.util.concurrent.atomic.AtomicReference;

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
    private static final String LONG_TOPIC = "long-sessions";
    private static final byte[] GBPUSD = "GBPUSD".getBytes(StandardCharsets.US_ASCII);
    /** Two sessions of two instruments in one partition: an hour apart, the later one five times as long. */
    private static final long EARLIER = EPOCH - TimeUnit.HOURS.toNanos(2);
    private static final long LATER = EPOCH - TimeUnit.HOURS.toNanos(1);
    private static final int EARLIER_BATCHES = 10_000;
    private static final int LATER_BATCHES = 50_000;
    /**
     * Records a seeking lookup may read: its probes' (one or two records each) and one scan's, where reading from the
     * session's start would read up to {@code 2 * (EARLIER_BATCHES + LATER_BATCHES)}. Counted, not timed: this
     * partition is read whole in about 0.2 s on a loaded 2-core machine, as long as seven probes take there, so only
     * gigabytes would make a deadline tell seeking from reading.
     */
    private static final long MAX_RECORDS_READ = 3 * SequenceSeek.SCAN_RECORDS;

    /**
     * The sink's producer waits at most 500 ms for a topic's metadata (it must not hold up the journal); a topic just
     * created can take longer to appear on a loaded machine ("Topic archive not present in metadata after 500 ms",
     * seen once in a fresh-clone CI run), so the test's own producers wait longer.
     */
    private static final Map<String, String> TEST_PRODUCER = Map.of("max.block.ms", "30000");

    @TempDir
    static Path directory;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception
    {
        broker = KafkaBroker.start(directory.resolve("broker"));
        KafkaTopics.ensure(broker.bootstrapServers(), TOPIC, 1, (short)1);
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(KafkaClients.producer(broker.bootstrapServers(), TEST_PRODUCER)))
        {
            // Three batches of ten updates: sequences 1-10, 11-20, 21-30.
            for (int i = 0; i < 3; i++)
            {
                producer.send(KafkaRecords.record(TOPIC, 0, EURUSD, batch(1 + 10L * i, i), i - 1, i - 1)).get();
            }
        }
        KafkaTopics.ensure(broker.bootstrapServers(), LONG_TOPIC, 1, (short)1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(
            broker.bootstrapServers(), Map.of("linger.ms", "20", "batch.size", "262144", "max.block.ms", "30000"))))
        {
            final AtomicReference<Exception> failure = new AtomicReference<>();
            long index = 0;
            for (final long epoch : new long[] {EARLIER, LATER})
            {
                final int batches = epoch == EARLIER ? EARLIER_BATCHES : LATER_BATCHES;
                for (int i = 0; i < batches; i++)
                {
                    // The instruments alternate, each its sequences 1-10, 11-20, ...; a millisecond per pair.
                    for (final byte[] instrument : new byte[][] {EURUSD, GBPUSD})
                    {
                        final JournalEntry entry = batch(instrument, epoch, 1 + 10L * i, i, index);
                        producer.send(KafkaRecords.record(LONG_TOPIC, 0, instrument, entry, index - 1, index - 1),
                            (metadata, ex) -> failure.compareAndSet(null, ex));
                        index++;
                    }
                }
            }
            producer.flush();
            assertThat(failure.get()).isNull();
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

    @Test
    void shouldSeekARangeNearTheEndOfALongSessionInOneLookup()
    {
        try (KafkaBatchArchive archive = longSessions())
        {
            final long last = 10L * LATER_BATCHES;
            assertThat(sequencesFound(archive, EURUSD, LATER, last - 25, last))
                .containsExactly(last - 29, last - 19, last - 9);
            assertThat(archive.seeks()).as("a binary search over %d records", 2L * (EARLIER_BATCHES + LATER_BATCHES))
                .isBetween(1L, 20L);
            assertThat(archive.recordsRead()).isLessThan(MAX_RECORDS_READ);
            assertThat(archive.unavailable()).isZero();

            // The other instrument, in the middle of the session: its records alternate with the first one's.
            final long seeks = archive.seeks();
            final long read = archive.recordsRead();
            assertThat(sequencesFound(archive, GBPUSD, LATER, 250_001, 250_020)).containsExactly(250_001L, 250_011L);
            assertThat(archive.seeks()).isGreaterThan(seeks);
            assertThat(archive.recordsRead() - read).isLessThan(MAX_RECORDS_READ);

            // The same range again: what the seeks found is remembered, it costs none.
            final long again = archive.seeks();
            assertThat(sequencesFound(archive, EURUSD, LATER, last - 25, last))
                .containsExactly(last - 29, last - 19, last - 9);
            assertThat(archive.seeks()).isEqualTo(again);
            assertThat(archive.resumed()).isZero();
        }
    }

    @Test
    void shouldSeekARangeOfAnEarlierSession()
    {
        try (KafkaBatchArchive archive = longSessions())
        {
            final long last = 10L * EARLIER_BATCHES;
            assertThat(sequencesFound(archive, EURUSD, EARLIER, last - 5, last + 100)).containsExactly(last - 9);
            assertThat(sequencesFound(archive, GBPUSD, EARLIER, 70_001, 70_010)).containsExactly(70_001L);
            // Past the session's last batch: the session is there, nothing is handed out.
            assertThat(sequencesFound(archive, EURUSD, EARLIER, last + 1, last + 100)).isEmpty();
            assertThat(archive.seeks()).isPositive();
            assertThat(archive.recordsRead()).isLessThan(3 * MAX_RECORDS_READ);
            assertThat(archive.unavailable()).isZero();
        }
    }

    @Test
    void shouldAnswerNotFoundForASessionKafkaDoesNotHold()
    {
        try (KafkaBatchArchive archive = longSessions())
        {
            // Before the first session, between the two, after the last.
            for (final long epoch : new long[] {EARLIER - TimeUnit.HOURS.toNanos(1), EARLIER +
                TimeUnit.MINUTES.toNanos(30), LATER + TimeUnit.MINUTES.toNanos(30)})
            {
                assertThat(archive.findBatches(EURUSD, epoch, 1, 10, e -> true)).as("session %d", epoch).isFalse();
            }
            assertThat(archive.unavailable()).isZero();
            assertThat(archive.recordsRead()).isLessThan(3 * MAX_RECORDS_READ);
        }
    }

    private static KafkaBatchArchive longSessions()
    {
        return new KafkaBatchArchive(RemoteJournal.kafka(broker.bootstrapServers(), LONG_TOPIC), LOOKUP_NS);
    }

    private static List<Long> sequencesFound(final KafkaBatchArchive archive, final long epoch, final long from,
        final long to)
    {
        return sequencesFound(archive, EURUSD, epoch, from, to);
    }

    private static List<Long> sequencesFound(final KafkaBatchArchive archive, final byte[] instrument,
        final long epoch, final long from, final long to)
    {
        final List<Long> sequences = new ArrayList<>();
        final boolean found = archive.findBatches(instrument, epoch, from, to, (final JournalEntry entry) ->
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
        return batch(EURUSD, EPOCH, sequence, i, i);
    }

    /** A journal entry: a batch of ten updates from {@code sequence}, written {@code ms} ms into the session. */
    private static JournalEntry batch(final byte[] instrument, final long epoch, final long sequence, final int ms,
        final long index)
    {
        final byte[] bytes = new byte[JournalEntry.HEADER_LENGTH + instrument.length + 8];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putByte(0, (byte)JournalEntry.VERSION);
        buffer.putByte(1, (byte)JournalEntry.KIND_BATCH);
        buffer.putByte(3, (byte)instrument.length);
        buffer.putInt(4, 8, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(8, epoch, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(16, sequence, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(32, epoch + TimeUnit.MILLISECONDS.toNanos(ms), ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(40, (short)10, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(JournalEntry.HEADER_LENGTH, instrument);
        final JournalEntry entry = new JournalEntry().wrap(buffer, 0, bytes.length, index);
        assertThat(entry.isWellFormed()).isTrue();
        return entry;
    }
}
