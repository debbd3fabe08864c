package dev.feedhandler.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Roll and retention with a one-second roll cycle driven by a settable clock (so forty rolls take no wall time):
 * the oldest cycles are deleted down to the configured count, what is left reads back, and the process does not
 * accumulate open file handles or mappings of deleted files over the rolls.
 */
@Timeout(60)
class JournalRetentionTest
{
    private static final int KEEP = 3;
    private static final int ROLLS = 40;
    private static final int FRAMES_PER_CYCLE = 25;

    @TempDir
    Path dir;

    @Test
    void shouldDeleteOldCyclesDownToTheCountKeptWithoutLeakingFileHandles()
    {
        final SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-01-01T00:00:00Z"));
        final JournalConfiguration configuration = new JournalConfiguration(dir, TestRollCycles.TEST_SECONDLY, KEEP,
            FullPolicy.BLOCK, JournalConfiguration.MIN_RING_BYTES, time);
        final List<TestFrames.Frame> frames = TestFrames.session(9, 1, 1, FRAMES_PER_CYCLE * (ROLLS + 1));
        long fdsAfterTenRolls = -1;
        int next = 0;
        try (JournalRecorder recorder = JournalRecorder.open(configuration, Origin.SENT, "journal").start())
        {
            for (int roll = 0; roll <= ROLLS; roll++)
            {
                for (int i = 0; i < FRAMES_PER_CYCLE; i++, next++)
                {
                    final TestFrames.Frame frame = frames.get(next);
                    recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length,
                        roll);
                }
                final long expected = next;
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.written() == expected &&
                    JournalFiles.cycleFiles(dir).size() <= KEEP);
                if (roll == 10)
                {
                    await().atMost(Duration.ofSeconds(10)).until(() -> deletedMappings() == 0);
                    fdsAfterTenRolls = openFilesUnder(dir);
                }
                time.advanceMillis(1_000);
            }
            final int rolls = ROLLS;
            assertThat(recorder.cyclesDeleted()).isEqualTo(rolls + 1 - KEEP);
            final long settled = fdsAfterTenRolls;
            await().atMost(Duration.ofSeconds(10)).until(() -> openFilesUnder(dir) <= settled &&
                deletedMappings() == 0);
            assertThat(openFilesUnder(dir)).isLessThanOrEqualTo(KEEP + 1);
        }
        assertThat(JournalFiles.cycleFiles(dir)).hasSize(KEEP);

        // What is left is the newest cycles, whole.
        final List<JournalRecorderTest.Stored> stored = JournalRecorderTest.readAll(dir);
        assertThat(stored).hasSize(KEEP * FRAMES_PER_CYCLE);
        for (int i = 0; i < stored.size(); i++)
        {
            final int written = FRAMES_PER_CYCLE * (ROLLS + 1);
            assertThat(stored.get(i).payload()).isEqualTo(frames.get(written - stored.size() + i).payload());
            assertThat(stored.get(i).journalNs()).isEqualTo(ROLLS + 1 - KEEP + i / FRAMES_PER_CYCLE);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> openFilesUnder(dir) == 0);
    }

    @Test
    void shouldKeepEveryCycleByDefault()
    {
        final SetTimeProvider time = new SetTimeProvider(Instant.parse("2026-01-01T00:00:00Z"));
        final JournalConfiguration configuration = new JournalConfiguration(dir, TestRollCycles.TEST_SECONDLY, 0,
            FullPolicy.BLOCK, JournalConfiguration.MIN_RING_BYTES, time);
        final List<TestFrames.Frame> frames = TestFrames.session(10, 1, 1, 10);
        try (JournalRecorder recorder = JournalRecorder.open(configuration, Origin.SENT, "journal").start())
        {
            for (int i = 0; i < frames.size(); i++)
            {
                final TestFrames.Frame frame = frames.get(i);
                recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length, i);
                final long expected = i + 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.written() == expected);
                time.advanceMillis(1_000);
            }
        }
        assertThat(JournalFiles.cycleFiles(dir)).hasSize(frames.size());
        assertThat(JournalRecorderTest.readAll(dir)).hasSize(frames.size());
    }

    /** Open file descriptors of this process that point into a directory. */
    static long openFilesUnder(final Path directory)
    {
        final String prefix = directory.toAbsolutePath().toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.filter(fd ->
            {
                try
                {
                    return Files.readSymbolicLink(fd).toString().startsWith(prefix);
                }
                catch (final IOException ex)
                {
                    return false;
                }
            }).count();
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot list /proc/self/fd", ex);
        }
    }

    /** Memory mappings of files that have been deleted under the test directory. */
    private long deletedMappings()
    {
        final String prefix = dir.toAbsolutePath().toString();
        try
        {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains(prefix) && line.endsWith("(deleted)"))
                .count();
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot read /proc/self/maps", ex);
        }
    }
}
