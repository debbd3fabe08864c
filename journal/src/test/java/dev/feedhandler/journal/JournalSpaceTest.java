package dev.feedhandler.journal;

import dev.feedhandler.common.counters.ProcessCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A journal whose file system runs out of room stops writing before a mapped page faults, counts what it could not
 * write, never holds up its producer (the default block policy included), and writes again once there is room; on
 * real files, with the free space supplied by the test.
 */
@Timeout(60)
class JournalSpaceTest
{
    private static final long EPOCH = 1_767_258_000_000_000_000L;
    private static final long PLENTY = 1L << 40;
    private static final long SHORT = 10L << 20;

    @TempDir
    Path dir;

    private final AtomicLong free = new AtomicLong(PLENTY);

    private JournalRecorder open(final int ringBytes)
    {
        final JournalConfiguration configuration = JournalConfiguration.defaults(dir).withRingBytes(ringBytes);
        assertThat(configuration.fullPolicy()).isEqualTo(FullPolicy.BLOCK);
        return JournalRecorder.open(configuration, Origin.SENT, "journal", ProcessCounters.inMemory("journal"),
            new JournalSpace(free::get, dir + " (test)")).start();
    }

    private static void record(final JournalRecorder recorder, final List<TestFrames.Frame> frames)
    {
        for (final TestFrames.Frame frame : frames)
        {
            recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length, 1);
        }
    }

    @Test
    void shouldWriteNothingAndHoldNothingUpWhenThereIsNoRoomFromTheStart()
    {
        free.set(SHORT);
        // Far more than the smallest ring holds: under the block policy a journal that never drains would hang here.
        final List<TestFrames.Frame> frames = TestFrames.session(1, EPOCH, EPOCH + 1_000, 5_000);
        final JournalRecorder recorder = open(JournalConfiguration.MIN_RING_BYTES);

        record(recorder, frames);
        recorder.close();

        assertThat(recorder.written()).isZero();
        assertThat(recorder.dropped()).isZero();
        assertThat(recorder.failed()).isEqualTo(frames.size());
        assertThat((String)recorder.summary().get("error"))
            .startsWith("journal " + dir + ": disk full: 10.0 MiB free on " + dir + " (test), and the journal " +
                "leaves 64.0 MiB free; frames are not journaled (counted as failed) until 128.0 MiB are free")
            .doesNotContain("\n");
        assertThat(JournalRecorderTest.readAll(dir)).isEmpty();
    }

    @Test
    void shouldStopWhenTheDiskFillsAndWriteAgainOnceThereIsRoom()
    {
        final List<TestFrames.Frame> before = TestFrames.session(1, EPOCH, EPOCH + 1_000, 300);
        final List<TestFrames.Frame> during = TestFrames.session(2, EPOCH, EPOCH + 2_000, 200);
        final List<TestFrames.Frame> after = TestFrames.session(3, EPOCH, EPOCH + 3_000, 100);
        final JournalRecorder recorder = open(JournalConfiguration.MIN_RING_BYTES);

        record(recorder, before);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.written() == before.size());
        free.set(SHORT);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.stoppedReason() != null);
        assertThat(recorder.stoppedReason()).startsWith("disk full: 10.0 MiB free");
        record(recorder, during);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.failed() == during.size());
        // Between the stop and the 128 MiB that start it again, it stays stopped.
        free.set(100L << 20);
        record(recorder, during);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.failed() == 2L * during.size());
        assertThat(recorder.stoppedReason()).isNotNull();
        free.set(PLENTY);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.stoppedReason() == null);
        record(recorder, after);
        recorder.close();

        assertThat(recorder.written()).isEqualTo(before.size() + after.size());
        assertThat(recorder.failed()).isEqualTo(2L * during.size());
        assertThat(recorder.dropped()).isZero();
        final List<JournalRecorderTest.Stored> stored = JournalRecorderTest.readAll(dir);
        assertThat(stored).hasSize(before.size() + after.size());
        for (int i = 0; i < stored.size(); i++)
        {
            final TestFrames.Frame frame = i < before.size() ? before.get(i) : after.get(i - before.size());
            assertThat(stored.get(i).payload()).as("entry %d", i).isEqualTo(frame.payload());
        }
    }
}
