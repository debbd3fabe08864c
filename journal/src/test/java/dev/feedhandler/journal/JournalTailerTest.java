package dev.feedhandler.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tailer follows a journal as it grows, resumes after a given index, and counts what it has not read yet: what
 * {@code feed kafka-sink} stands on.
 */
@Timeout(30)
class JournalTailerTest
{
    @TempDir
    Path dir;

    @Test
    void shouldFollowTheJournalAsItGrowsAndCountWhatIsUnread()
    {
        final List<TestFrames.Frame> frames = TestFrames.session(3, 11, 1_000, 300);
        try (JournalRecorder recorder = JournalRecorder.open(JournalConfiguration.defaults(dir), Origin.SENT,
            "journal").start())
        {
            write(recorder, frames.subList(0, 100), 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.written() == 100);
            try (JournalTailer tailer = JournalTailer.open(dir))
            {
                assertThat(tailer.remaining()).isEqualTo(100);
                final List<Long> read = new ArrayList<>();
                assertThat(tailer.poll(e -> read.add(e.index()), 40)).isEqualTo(40);
                assertThat(tailer.remaining()).isEqualTo(60);
                assertThat(tailer.poll(e -> read.add(e.index()), 1000)).isEqualTo(60);
                assertThat(tailer.poll(e -> read.add(e.index()), 1000)).as("at the end").isZero();
                assertThat(tailer.remaining()).isZero();

                write(recorder, frames.subList(100, frames.size()), 100);
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.written() == frames.size());
                assertThat(tailer.remaining()).isEqualTo(frames.size() - 100);
                while (tailer.poll(e -> read.add(e.index()), 1000) > 0)
                {
                    assertThat(read.size()).isLessThanOrEqualTo(frames.size());
                }
                assertThat(read).hasSize(frames.size()).isSorted().doesNotHaveDuplicates();
                assertThat(tailer.lastIndex()).isEqualTo(read.get(read.size() - 1));

                // Resuming after an index hands out exactly the entries after it.
                assertThat(tailer.moveAfter(read.get(149))).isTrue();
                final List<Long> after = new ArrayList<>();
                tailer.poll(e -> after.add(e.index()), 10_000);
                assertThat(after).isEqualTo(read.subList(150, read.size()));

                // An index the journal does not hold: back to the start.
                assertThat(tailer.moveAfter(read.get(read.size() - 1) + 1_000)).isFalse();
                final List<Long> all = new ArrayList<>();
                tailer.poll(e -> all.add(e.index()), 10_000);
                assertThat(all).isEqualTo(read);
            }
        }
    }

    private static void write(final JournalRecorder recorder, final List<TestFrames.Frame> frames, final int offset)
    {
        for (int i = 0; i < frames.size(); i++)
        {
            final TestFrames.Frame frame = frames.get(i);
            recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length,
                1_000L * (offset + i));
        }
    }
}
