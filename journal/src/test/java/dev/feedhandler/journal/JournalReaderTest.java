package dev.feedhandler.journal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader's filters (index range, time range, topic prefixes) and the search for the batches that cover a
 * sequence range, checked against a brute-force selection over the same frames.
 */
@Timeout(30)
class JournalReaderTest
{
    @TempDir
    Path dir;

    private List<TestFrames.Frame> frames;
    private final List<Long> indexes = new ArrayList<>();

    @BeforeEach
    void writeJournal()
    {
        frames = TestFrames.session(5, 77, 1_000, 500);
        try (JournalRecorder recorder = JournalRecorder.open(JournalConfiguration.defaults(dir), Origin.SENT,
            "journal").start())
        {
            for (int i = 0; i < frames.size(); i++)
            {
                final TestFrames.Frame frame = frames.get(i);
                recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length,
                    1_000L * i);
            }
        }
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.read(e -> indexes.add(e.index()));
        }
        assertThat(indexes).hasSize(frames.size());
    }

    private List<Integer> positions(final JournalFilter filter)
    {
        final List<Integer> found = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.read(filter, e ->
            {
                found.add(indexes.indexOf(e.index()));
                return true;
            });
        }
        return found;
    }

    @Test
    void shouldSelectByIndexRangeInclusive()
    {
        final List<Integer> found = positions(new JournalFilter(indexes.get(100), indexes.get(199), Long.MIN_VALUE,
            Long.MAX_VALUE, List.of()));
        assertThat(found).hasSize(100).startsWith(100).endsWith(199);
    }

    @Test
    void shouldSelectByJournalTimeInclusive()
    {
        final List<Integer> found = positions(new JournalFilter(Long.MIN_VALUE, Long.MAX_VALUE, 50_000, 60_000,
            List.of()));
        assertThat(found).containsExactly(50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60);
    }

    @Test
    void shouldSelectByTopicPrefixKeepingTheControlTopic()
    {
        final List<Integer> found = positions(new JournalFilter(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE, List.of("EUR")));
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++)
        {
            final String topic = frames.get(i).topicText();
            if (topic.startsWith("EUR") || topic.startsWith("\0"))
            {
                expected.add(i);
            }
        }
        assertThat(found).isEqualTo(expected);
    }

    @Test
    void shouldFindTheBatchesCoveringASequenceRange()
    {
        final List<Long> firsts = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.findBatches("GBPUSD", 77, 40, 60, e ->
            {
                assertThat(e.topic()).isEqualTo("GBPUSD");
                assertThat(e.sequence()).isLessThanOrEqualTo(60);
                assertThat(e.sequence() + e.updateCount() - 1).isGreaterThanOrEqualTo(40);
                firsts.add(e.sequence());
                return true;
            });
            assertThat(reader.findBatches("GBPUSD", 78, 40, 60, e -> true)).isZero();
        }
        assertThat(firsts).isNotEmpty().isSorted();
        final long[] covered = {Long.MAX_VALUE, Long.MIN_VALUE};
        try (JournalReader reader = JournalReader.open(dir))
        {
            reader.findBatches("GBPUSD", 77, 40, 60, e ->
            {
                covered[0] = Math.min(covered[0], e.sequence());
                covered[1] = Math.max(covered[1], e.sequence() + e.updateCount() - 1);
                return true;
            });
        }
        assertThat(covered[0]).isLessThanOrEqualTo(40);
        assertThat(covered[1]).isGreaterThanOrEqualTo(60);
    }

    @Test
    void shouldSeekToTheTopicsLastBatchBeforeTheRangeWithoutScanning()
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            final long start = reader.sessionStart(77, Long.MIN_VALUE);
            final boolean oneCycle = reader.queue().rollCycle().toCycle(start) ==
                reader.queue().rollCycle().toCycle(reader.lastIndex());
            for (final String topic : TestFrames.TOPICS)
            {
                final byte[] bytes = topic.getBytes(StandardCharsets.US_ASCII);
                // The topic's batches by brute force: index, first and last sequence.
                final List<long[]> batches = new ArrayList<>();
                reader.findBatches(topic, 77, 1, Long.MAX_VALUE, e ->
                    batches.add(new long[] {e.index(), e.sequence(), e.sequence() + e.updateCount() - 1}));
                assertThat(batches).hasSizeGreaterThan(10);
                for (int b = 0; b < batches.size(); b += 7)
                {
                    final long from = batches.get(b)[1] + (b % 3 == 0 ? 0 : batches.get(b)[2] - batches.get(b)[1]);
                    final long seek = reader.seekBatch(bytes, 77, from, start);
                    assertThat(seek).isBetween(start, batches.get(b)[0]);
                    if (oneCycle)
                    {
                        // Exactly the previous batch of the topic: nothing before the range is read.
                        assertThat(seek).isEqualTo(b == 0 ? start : batches.get(b - 1)[0]);
                    }
                    final List<Long> fromSeek = new ArrayList<>();
                    reader.findBatches(bytes, 77, from, from + 30, seek, e -> fromSeek.add(e.index()));
                    final List<Long> fromStart = new ArrayList<>();
                    reader.findBatches(bytes, 77, from, from + 30, start, e -> fromStart.add(e.index()));
                    assertThat(fromSeek).isNotEmpty().isEqualTo(fromStart);
                }
                // Past the topic's last sequence: somewhere at or after its last batch, never before the start.
                final long[] lastBatch = batches.get(batches.size() - 1);
                assertThat(reader.seekBatch(bytes, 77, lastBatch[2] + 1, start)).isGreaterThanOrEqualTo(
                    oneCycle ? lastBatch[0] : start);
            }
            // Another session's sequences: the lower bound back, never an index past what it could need.
            assertThat(reader.seekBatch("GBPUSD".getBytes(StandardCharsets.US_ASCII), 78, 5, start))
                .isGreaterThanOrEqualTo(start);
        }
    }
}
