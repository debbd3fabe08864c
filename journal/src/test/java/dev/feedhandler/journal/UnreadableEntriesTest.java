package dev.feedhandler.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An entry that is not one this version reads, inside sound framing, is skipped and the entries after it are read,
 * by the reader and by the tailer; a length no entry can have ends reading with the index where the journal is
 * damaged.
 */
@Timeout(30)
class UnreadableEntriesTest
{
    @TempDir
    Path dir;

    private void record(final List<TestFrames.Frame> frames)
    {
        try (JournalRecorder recorder = JournalRecorder.open(JournalConfiguration.defaults(dir), Origin.SENT,
            "journal").start())
        {
            for (final TestFrames.Frame frame : frames)
            {
                recorder.record(frame.topic(), frame.topic().length, frame.buffer(), 0, frame.payload().length, 1);
            }
        }
    }

    @Test
    void shouldSkipAnEntryItCannotReadAndReadTheOnesAfterIt()
    {
        final List<TestFrames.Frame> frames = TestFrames.session(5, 11, 1_000, 100);
        record(frames.subList(0, 50));
        try (SingleChronicleQueue queue = JournalFiles.openForWriting(JournalConfiguration.defaults(dir));
            ExcerptAppender appender = queue.createAppender();
            DocumentContext dc = appender.writingDocument())
        {
            // Sound framing, but not a feed journal entry: version 9, and too short for the entry's header.
            dc.wire().bytes().write(new byte[] {9, 1, 1, 6, 0, 0, 0, 0, 1, 2, 3});
        }
        record(frames.subList(50, frames.size()));

        final List<byte[]> read = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(dir))
        {
            assertThat(reader.read(e -> read.add(e.payloadBytes()))).isEqualTo(frames.size());
        }
        final List<byte[]> tailed = new ArrayList<>();
        try (JournalTailer tailer = JournalTailer.open(dir))
        {
            while (tailer.poll(e -> tailed.add(e.payloadBytes()), 1000) > 0)
            {
                assertThat(tailed.size()).isLessThanOrEqualTo(frames.size());
            }
        }
        for (int i = 0; i < frames.size(); i++)
        {
            assertThat(read.get(i)).as("read %d", i).isEqualTo(frames.get(i).payload());
            assertThat(tailed.get(i)).as("tailed %d", i).isEqualTo(frames.get(i).payload());
        }
    }

    @Test
    void shouldSayWhereTheJournalIsDamagedWhenAnEntryIsLongerThanAnyItWrites()
    {
        final UnreadableEntries unreadable = new UnreadableEntries(dir);
        unreadable.onMalformed(7, 100, 9);
        assertThat(unreadable.skipped()).isEqualTo(1);
        assertThatThrownBy(() -> unreadable.onMalformed(8, UnreadableEntries.MAX_ENTRY_BYTES + 1, 1))
            .isInstanceOf(JournalException.class)
            .hasMessage("journal " + dir + " is damaged at index 8: an entry of " +
                (UnreadableEntries.MAX_ENTRY_BYTES + 1) + " bytes, more than any the journal writes, so nothing " +
                "after it can be read (what comes before it can)");
    }
}
