package dev.feedhandler.journal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
}
