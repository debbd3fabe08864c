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

    @Test
    void shouldGoOnWhereEachInterleavedPageStoppedWithoutMovingATailerAgain()
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            final long start = reader.sessionStart(77, Long.MIN_VALUE);
            final int streams = TestFrames.TOPICS.length;
            final List<List<Long>> expected = new ArrayList<>();
            final List<List<Long>> paged = new ArrayList<>();
            final long[] next = new long[streams];
            for (int t = 0; t < streams; t++)
            {
                final List<Long> all = new ArrayList<>();
                reader.findBatches(TestFrames.TOPICS[t], 77, 1, Long.MAX_VALUE, e -> all.add(e.index()));
                expected.add(all);
                paged.add(new ArrayList<>());
                next[t] = start;
            }
            final long movesBefore = reader.moves();
            // The streams take turns, a page of at most 7 batches each; a page goes on at the batch the previous
            // one could not take (what a catch-up stream does).
            boolean more = true;
            while (more)
            {
                more = false;
                for (int t = 0; t < streams; t++)
                {
                    if (next[t] == Long.MAX_VALUE)
                    {
                        continue;
                    }
                    final int stream = t;
                    final List<Long> page = new ArrayList<>();
                    final long[] stoppedAt = {Long.MAX_VALUE};
                    reader.findBatches(TestFrames.TOPICS[t].getBytes(StandardCharsets.US_ASCII), 77, 1,
                        Long.MAX_VALUE, next[t], e ->
                        {
                            if (page.size() == 7)
                            {
                                stoppedAt[0] = e.index();
                                return false;
                            }
                            if (paged.get(stream).isEmpty() ||
                                e.index() > paged.get(stream).get(paged.get(stream).size() - 1))
                            {
                                page.add(e.index());
                            }
                            return true;
                        });
                    paged.get(t).addAll(page);
                    next[t] = stoppedAt[0];
                    more |= next[t] != Long.MAX_VALUE;
                }
            }
            assertThat(paged).isEqualTo(expected);
            // At most one move per stream, for its first page: every later page went on with the tailer that stopped
            // there (without cursors it was one per page).
            assertThat(paged.stream().mapToInt(List::size).sum()).isGreaterThan(10 * streams * 7);
            assertThat(reader.moves() - movesBefore).isBetween(1L, (long)streams);

            // Released (no stream is open): nothing stays mapped for them, and reads go on with new tailers.
            assertThat(reader.openTailers()).isPositive();
            reader.releaseTailers();
            assertThat(reader.openTailers()).isZero();
            final List<Long> again = new ArrayList<>();
            reader.findBatches(TestFrames.TOPICS[0], 77, 1, Long.MAX_VALUE, e -> again.add(e.index()));
            assertThat(again).isEqualTo(expected.get(0));
        }
    }

    @Test
    void shouldCloseATailerThatNoReadUsedForAWhile()
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            for (int r = 0; r < 5; r++)
            {
                reader.read(new JournalFilter(indexes.get(10 * r), Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
                    List.of()), e -> false);
            }
            assertThat(reader.openTailers()).isEqualTo(5);
            long next = indexes.get(100);
            final List<Long> read = new ArrayList<>();
            for (int r = 0; r <= JournalReader.IDLE_READS + 1; r++)
            {
                final long[] stoppedAt = {0};
                final int[] taken = {0};
                reader.read(new JournalFilter(next, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, List.of()), e ->
                {
                    if (taken[0]++ == 1)
                    {
                        stoppedAt[0] = e.index();
                        return false;
                    }
                    read.add(e.index());
                    return true;
                });
                next = stoppedAt[0];
            }
            assertThat(read).isEqualTo(indexes.subList(100, 100 + read.size()));
            assertThat(reader.openTailers()).as("the five that no read used were closed").isEqualTo(1);
        }
    }

    @Test
    void shouldReadCorrectlyWithMoreInterleavedReadsThanTailers()
    {
        try (JournalReader reader = JournalReader.open(dir))
        {
            final int readers = JournalReader.CURSORS + 3;
            final long[] next = new long[readers];
            final List<List<Long>> seen = new ArrayList<>();
            for (int r = 0; r < readers; r++)
            {
                next[r] = indexes.get(r);
                seen.add(new ArrayList<>());
            }
            for (int round = 0; round < 20; round++)
            {
                for (int r = 0; r < readers; r++)
                {
                    final List<Long> got = seen.get(r);
                    final int[] taken = {0};
                    final long[] stoppedAt = {0};
                    reader.read(new JournalFilter(next[r], Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
                        List.of()), e ->
                        {
                            if (taken[0]++ == 5)
                            {
                                stoppedAt[0] = e.index();
                                return false;
                            }
                            got.add(e.index());
                            return true;
                        });
                    next[r] = stoppedAt[0];
                }
            }
            for (int r = 0; r < readers; r++)
            {
                assertThat(seen.get(r)).isEqualTo(indexes.subList(r, r + 100));
            }
        }
    }
}
