package dev.feedhandler.common.shm;

import dev.feedhandler.common.testing.TestSeeds;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared-memory log on real files: frames in order across the ring's end, laps and where a lapped reader
 * resumes, topic filtering, joining at the end or the start, foreign and damaged files, permissions, a live or gone
 * publisher's file, closing; and a writer and a reader on two threads that never hand over a torn frame.
 */
@Timeout(60)
class ShmLogTest
{
    private static final int CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = open.size() - 1; i >= 0; i--)
        {
            open.get(i).close();
        }
    }

    private ShmLogWriter writer(final String name, final int capacity, final int maxPayload)
    {
        final ShmLogWriter writer = ShmLogWriter.create(new ShmLocation(name, dir), capacity, maxPayload, null, 42);
        open.add(writer);
        return writer;
    }

    private ShmLogReader reader(final String name, final List<String> topics, final boolean fromStart)
    {
        final ShmLogReader reader = ShmLogReader.open(dir.resolve(name), topics, fromStart);
        if (reader != null)
        {
            open.add(reader);
        }
        return reader;
    }

    /** A frame: topic "T" + (index mod 7), payload = index, length, random bytes, CRC of all before it. */
    private static int encode(final UnsafeBuffer buffer, final long index, final int length, final Random random)
    {
        buffer.putLong(0, index);
        buffer.putInt(8, length);
        for (int i = 12; i < length - 8; i++)
        {
            buffer.putByte(i, (byte)random.nextInt());
        }
        final CRC32 crc = new CRC32();
        for (int i = 0; i < length - 8; i++)
        {
            crc.update(buffer.getByte(i));
        }
        buffer.putLong(length - 8, crc.getValue());
        return length;
    }

    private static byte[] topic(final long index)
    {
        return ("T" + index % 7).getBytes(StandardCharsets.US_ASCII);
    }

    /** Keeps what it is handed: topic and payload, checked whole. */
    private static final class Recorder implements ShmFrameHandler
    {
        final List<Long> indexes = new ArrayList<>();
        final List<String> topics = new ArrayList<>();
        long torn;

        @Override
        public void onFrame(final DirectBuffer buffer, final int topicOffset, final int topicLength,
            final int payloadOffset, final int payloadLength)
        {
            topics.add(buffer.getStringWithoutLengthAscii(topicOffset, topicLength));
            if (payloadLength < 20 || buffer.getInt(payloadOffset + 8) != payloadLength)
            {
                torn++;
                return;
            }
            final CRC32 crc = new CRC32();
            for (int i = 0; i < payloadLength - 8; i++)
            {
                crc.update(buffer.getByte(payloadOffset + i));
            }
            if (crc.getValue() != buffer.getLong(payloadOffset + payloadLength - 8))
            {
                torn++;
                return;
            }
            indexes.add(buffer.getLong(payloadOffset));
        }
    }

    @Test
    void shouldDeliverEveryFrameInOrderAcrossTheRingsEnd()
    {
        final long seed = TestSeeds.seed("shouldDeliverEveryFrameInOrderAcrossTheRingsEnd");
        final Random random = new Random(seed);
        final ShmLogWriter writer = writer("feed", CAPACITY, 2048);
        final ShmLogReader reader = reader("feed", List.of(), true);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
        final Recorder recorder = new Recorder();
        long written = 0;
        for (int round = 0; round < 200; round++)
        {
            final int count = 1 + random.nextInt(20);
            for (int i = 0; i < count; i++)
            {
                final int length = encode(frame, written, 20 + random.nextInt(2000), random);
                assertThat(writer.write(topic(written), frame, 0, length)).isTrue();
                written++;
            }
            while (reader.poll(recorder, 1 + random.nextInt(8)) > 0)
            {
                // drain in small polls
            }
        }
        assertThat(writer.position()).as("the ring wrapped many times").isGreaterThan(10L * CAPACITY);
        assertThat(recorder.torn).isZero();
        assertThat(recorder.indexes).hasSize((int)written);
        for (int i = 0; i < written; i++)
        {
            assertThat(recorder.indexes.get(i)).isEqualTo(i);
        }
        assertThat(reader.laps()).isZero();
        assertThat(reader.caughtUp()).isTrue();
        assertThat(writer.summary()).containsEntry("frames", written).containsEntry("oversized", 0L);
    }

    @Test
    void shouldDetectALapAndResumeJustAheadOfTheWriter()
    {
        final long seed = TestSeeds.seed("shouldDetectALapAndResumeJustAheadOfTheWriter");
        final Random random = new Random(seed);
        final ShmLogWriter writer = writer("feed", CAPACITY, 512);
        final ShmLogReader reader = reader("feed", List.of(), true);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[512]);
        final List<Long> positions = new ArrayList<>();
        long written = 0;
        // A bit more than a ring and a half: the reader, still at 0, has been overwritten.
        while (writer.position() < CAPACITY * 3L / 2)
        {
            positions.add(writer.position());
            final int length = encode(frame, written, 20 + random.nextInt(400), random);
            writer.write(topic(written), frame, 0, length);
            written++;
        }
        final long end = writer.position();
        final Recorder recorder = new Recorder();
        while (reader.poll(recorder, 100) > 0)
        {
            // drain
        }
        assertThat(reader.laps()).isEqualTo(1);
        assertThat(recorder.torn).isZero();
        assertThat(recorder.indexes).isNotEmpty();
        final long first = recorder.indexes.get(0);
        // Everything from the first frame delivered on is there, in order: the loss is one contiguous range.
        for (int i = 0; i < recorder.indexes.size(); i++)
        {
            assertThat(recorder.indexes.get(i)).isEqualTo(first + i);
        }
        assertThat(first + recorder.indexes.size()).isEqualTo(written);
        // It resumed within three segments of the overwrite front, not at the newest frame.
        final long resumedAt = positions.get((int)first);
        final long front = end - CAPACITY;
        assertThat(resumedAt).isGreaterThan(front).isLessThanOrEqualTo(front + 3L * CAPACITY / 64);
        assertThat(reader.bytesSkipped()).isEqualTo(resumedAt);
    }

    @Test
    void shouldResumeAfterALapWithFramesLongerThanASegment()
    {
        // Frames as long as the max record: segments (1 KiB) are shorter than a frame, so most have no sync point.
        final ShmLogWriter writer = writer("feed", CAPACITY, CAPACITY / 8 - 80);
        final ShmLogReader reader = reader("feed", List.of(), true);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[CAPACITY / 8]);
        final Random random = new Random(1);
        long written = 0;
        while (writer.position() < 3L * CAPACITY)
        {
            final int length = encode(frame, written, CAPACITY / 8 - 80, random);
            writer.write(topic(written), frame, 0, length);
            written++;
        }
        final Recorder recorder = new Recorder();
        while (reader.poll(recorder, 100) > 0)
        {
            // drain
        }
        assertThat(reader.laps()).isEqualTo(1);
        assertThat(recorder.torn).isZero();
        assertThat(recorder.indexes).isNotEmpty().last().isEqualTo(written - 1);
        final long first = recorder.indexes.get(0);
        for (int i = 0; i < recorder.indexes.size(); i++)
        {
            assertThat(recorder.indexes.get(i)).isEqualTo(first + i);
        }
    }

    @Test
    void shouldDeliverOnlyTheTopicsAskedForAndAlwaysTheControlTopic()
    {
        final ShmLogWriter writer = writer("feed", CAPACITY, 256);
        final ShmLogReader eur = reader("feed", List.of("EUR", "GBPUSD"), true);
        final ShmLogReader all = reader("feed", List.of(""), true);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        for (final String topic : List.of("EURUSD", "USDJPY", "GBPUSD", "EURGBP", "GBPJPY", "EU",
            WireFormat.CONTROL_TOPIC))
        {
            writer.write(topic.getBytes(StandardCharsets.US_ASCII), payload, 0, 16);
        }
        final List<String> seenByEur = new ArrayList<>();
        final List<String> seenByAll = new ArrayList<>();
        eur.poll((buffer, to, tl, po, pl) -> seenByEur.add(buffer.getStringWithoutLengthAscii(to, tl)), 100);
        all.poll((buffer, to, tl, po, pl) -> seenByAll.add(buffer.getStringWithoutLengthAscii(to, tl)), 100);
        assertThat(seenByEur).containsExactly("EURUSD", "GBPUSD", "EURGBP", WireFormat.CONTROL_TOPIC);
        assertThat(seenByAll).hasSize(7);
        assertThat(eur.position()).as("filtered frames are consumed too").isEqualTo(all.position());
    }

    @Test
    void shouldJoinARunningLogAtItsEndUnlessAskedToStartAtItsBeginning()
    {
        final ShmLogWriter writer = writer("feed", CAPACITY, 256);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        writer.write("A".getBytes(StandardCharsets.US_ASCII), payload, 0, 16);
        final ShmLogReader late = reader("feed", List.of(), false);
        final ShmLogReader early = reader("feed", List.of(), true);
        writer.write("B".getBytes(StandardCharsets.US_ASCII), payload, 0, 16);
        final List<String> lateSaw = new ArrayList<>();
        final List<String> earlySaw = new ArrayList<>();
        late.poll((buffer, to, tl, po, pl) -> lateSaw.add(buffer.getStringWithoutLengthAscii(to, tl)), 10);
        early.poll((buffer, to, tl, po, pl) -> earlySaw.add(buffer.getStringWithoutLengthAscii(to, tl)), 10);
        assertThat(lateSaw).containsExactly("B");
        assertThat(earlySaw).containsExactly("A", "B");
        assertThat(early.sessionEpoch()).isEqualTo(42);
        assertThat(early.writerPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(early.writerAlive()).isTrue();
        assertThat(early.sameLog(late)).isTrue();
    }

    @Test
    void shouldSayThereIsNoLogYetWithoutAnError()
    {
        assertThat(ShmLogReader.open(dir.resolve("nothing"), List.of(), true)).isNull();
    }

    @Test
    void shouldRefuseForeignAndDamagedFilesWithOneLineNamingThem() throws IOException
    {
        final Path text = Files.writeString(dir.resolve("text"), "hello, not a log\n");
        final Path empty = Files.createFile(dir.resolve("empty"));
        final byte[] junk = new byte[ShmLogDescriptor.HEADER_LENGTH + CAPACITY];
        new Random(7).nextBytes(junk);
        final Path random = Files.write(dir.resolve("random"), junk);
        assertThatThrownBy(() -> ShmLogReader.open(text, List.of(), true)).isInstanceOf(ShmLogException.class)
            .hasMessage("shared memory " + text + " is not a feed shared-memory log (17 bytes, shorter than the " +
                "4096-byte header)");
        assertThatThrownBy(() -> ShmLogReader.open(empty, List.of(), true))
            .hasMessage("shared memory " + empty + " is not a feed shared-memory log (0 bytes, shorter than the " +
                "4096-byte header)");
        assertThatThrownBy(() -> ShmLogReader.open(random, List.of(), true))
            .hasMessage("shared memory " + random + " is not a feed shared-memory log (no FEEDSHM1 magic)");

        // A real log cut short: its header no longer matches its length.
        final ShmLogWriter writer = writer("cut", CAPACITY, 256);
        final Path cut = Files.copy(writer.path(), dir.resolve("cut-copy"));
        try (FileChannel channel = FileChannel.open(cut, StandardOpenOption.WRITE))
        {
            channel.truncate(ShmLogDescriptor.HEADER_LENGTH + 1000);
        }
        assertThatThrownBy(() -> ShmLogReader.open(cut, List.of(), true))
            .hasMessage("shared memory " + cut + " is a damaged feed shared-memory log (header length 4096, " +
                "capacity 65536, but 5096 bytes)");
        final Path future = Files.copy(writer.path(), dir.resolve("future"));
        patchInt(future, ShmLogDescriptor.VERSION_OFFSET, 2);
        assertThatThrownBy(() -> ShmLogReader.open(future, List.of(), true))
            .hasMessage("shared memory " + future + " is a feed shared-memory log of layout version 2, this " +
                "program reads version 1");
    }

    @Test
    void shouldNeverReplaceAFileThatIsNotALog() throws IOException
    {
        Files.writeString(dir.resolve("precious"), "someone's data");
        assertThatThrownBy(() -> writer("precious", CAPACITY, 256)).isInstanceOf(ShmLogException.class)
            .hasMessage("shared memory " + dir.resolve("precious") + " exists and is not a feed shared-memory log " +
                "(14 bytes, shorter than the 4096-byte header): refusing to replace it (remove it or give another " +
                "name)");
        assertThat(Files.readString(dir.resolve("precious"))).isEqualTo("someone's data");
        try (var files = Files.list(dir))
        {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("precious");
        }
    }

    @Test
    void shouldCountAndSkipADamagedRecordThenGoOn() throws IOException
    {
        final ShmLogWriter writer = writer("feed", CAPACITY, 256);
        final ShmLogReader reader = reader("feed", List.of(), true);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final Random random = new Random(3);
        for (int i = 0; i < 10; i++)
        {
            writer.write(topic(i), frame, 0, encode(frame, i, 100, random));
        }
        // Someone writes into the file: the 4th record's type becomes 99.
        final int aligned = ShmLogDescriptor.aligned(ShmLogDescriptor.RECORD_HEADER_LENGTH + 2 + 100);
        patchShort(writer.path(), ShmLogDescriptor.HEADER_LENGTH + 3 * aligned + ShmLogDescriptor.RECORD_TYPE_OFFSET,
            (short)99);
        final Recorder recorder = new Recorder();
        reader.poll(recorder, 100);
        assertThat(reader.damagedRecords()).isEqualTo(1);
        assertThat(reader.firstDamage()).isEqualTo("a damaged record at position " + 3 * aligned + " (ring offset " +
            3 * aligned + "): length 110, type 99, topic length 2");
        assertThat(recorder.indexes).startsWith(0L, 1L, 2L).doesNotContain(3L);
        assertThat(reader.caughtUp()).isTrue();
        for (int i = 10; i < 15; i++)
        {
            writer.write(topic(i), frame, 0, encode(frame, i, 100, random));
        }
        reader.poll(recorder, 100);
        assertThat(recorder.indexes).endsWith(10L, 11L, 12L, 13L, 14L);
        assertThat(recorder.torn).isZero();
    }

    @Test
    void shouldCreateTheFileForItsOwnerOnlyOrForAGroupToRead() throws IOException
    {
        final ShmLogWriter ownerOnly = writer("private", CAPACITY, 256);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ownerOnly.path())))
            .isEqualTo("rw-------");
        final String group = Files.readAttributes(dir, PosixFileAttributes.class).group().getName();
        final ShmLogWriter shared = ShmLogWriter.create(new ShmLocation("shared", dir), CAPACITY, 256, group, 1);
        open.add(shared);
        final PosixFileAttributes attributes = Files.readAttributes(shared.path(), PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(attributes.permissions())).isEqualTo("rw-r-----");
        assertThat(attributes.group().getName()).isEqualTo(group);
        assertThatThrownBy(() -> ShmLogWriter.create(new ShmLocation("other", dir), CAPACITY, 256,
            "no-such-group-xyz", 1)).hasMessage("shared memory " + dir.resolve("other") +
                ": no group 'no-such-group-xyz'");
    }

    @Test
    void shouldRefuseBadSettingsWithOneLine()
    {
        assertThatThrownBy(() -> writer("feed", 100_000, 256))
            .hasMessage("shared memory " + dir.resolve("feed") + ": capacity must be a power of two from 64 KiB to " +
                "1 GiB, was 100000");
        assertThatThrownBy(() -> writer("feed", CAPACITY, 16384))
            .hasMessage("shared memory " + dir.resolve("feed") + ": a capacity of 65536 bytes holds records of up " +
                "to 8192 bytes, batches of 16384 bytes need 16456 (a capacity of at least 262144)");
        assertThatThrownBy(() -> ShmLogWriter.create(new ShmLocation("feed", dir.resolve("missing")), CAPACITY, 256,
            null, 1)).hasMessage("shared memory " + dir.resolve("missing/feed") + ": no directory " +
                dir.resolve("missing"));
        assertThatThrownBy(() -> new ShmLocation("../etc/passwd", dir)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("bad shared-memory name '../etc/passwd'");
        assertThat(ShmLocation.of("feed").path()).isEqualTo(Path.of("/dev/shm/feed"));
    }

    @Test
    void shouldRefuseToReplaceTheLogOfALivePublisher()
    {
        writer("feed", CAPACITY, 256);
        assertThatThrownBy(() -> ShmLogWriter.create(new ShmLocation("feed", dir), CAPACITY, 256, null, 2))
            .isInstanceOf(ShmLogException.class)
            .hasMessage("shared memory " + dir.resolve("feed") + " is in use by process " +
                ProcessHandle.current().pid() + " (a publisher writing it): give another name");
    }

    @Test
    void shouldReplaceTheLogOfAPublisherThatIsGoneAndTellItsReaders() throws Exception
    {
        final ShmLogWriter first = writer("feed", CAPACITY, 256);
        final ShmLogReader oldReader = reader("feed", List.of(), true);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
        first.write("A".getBytes(StandardCharsets.US_ASCII), payload, 0, 16);
        // As if its publisher had been killed: the header names a process that has ended.
        final Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        patchLong(first.path(), ShmLogDescriptor.WRITER_PID_OFFSET, gone.pid());

        final ShmLogWriter second = ShmLogWriter.create(new ShmLocation("feed", dir), CAPACITY, 256, null, 43);
        open.add(second);
        assertThat(oldReader.state()).isEqualTo(ShmLogDescriptor.STATE_SUPERSEDED);
        assertThat(oldReader.finished()).as("not before it read what the old log holds").isFalse();
        final List<String> seen = new ArrayList<>();
        oldReader.poll((buffer, to, tl, po, pl) -> seen.add(buffer.getStringWithoutLengthAscii(to, tl)), 10);
        assertThat(seen).containsExactly("A");
        assertThat(oldReader.finished()).isTrue();
        final ShmLogReader newReader = reader("feed", List.of(), true);
        assertThat(newReader.sessionEpoch()).isEqualTo(43);
        assertThat(newReader.sameLog(oldReader)).isFalse();
    }

    @Test
    void shouldMarkTheLogClosedAndRemoveItOnClose()
    {
        final ShmLogWriter writer = ShmLogWriter.create(new ShmLocation("feed", dir), CAPACITY, 256, null, 1);
        final ShmLogReader reader = reader("feed", List.of(), true);
        writer.write("A".getBytes(StandardCharsets.US_ASCII), new UnsafeBuffer(new byte[16]), 0, 16);
        writer.close();
        writer.close();
        assertThat(Files.exists(dir.resolve("feed"))).isFalse();
        assertThat(reader.state()).isEqualTo(ShmLogDescriptor.STATE_CLOSED);
        assertThat(reader.finished()).isFalse();
        assertThat(reader.poll((buffer, to, tl, po, pl) -> { }, 10)).isEqualTo(1);
        assertThat(reader.finished()).isTrue();
    }

    @Test
    void shouldNeverHandOverATornFrameWhileTheWriterRunsAhead() throws Exception
    {
        final long seed = TestSeeds.seed("shouldNeverHandOverATornFrameWhileTheWriterRunsAhead");
        final ShmLogWriter writer = writer("feed", CAPACITY, 2048);
        final ShmLogReader reader = reader("feed", List.of(), true);
        final long frames = 400_000;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread writing = new Thread(() ->
        {
            try
            {
                final Random random = new Random(seed);
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
                for (long i = 0; i < frames; i++)
                {
                    writer.write(topic(i), frame, 0, encode(frame, i, 20 + random.nextInt(2000), random));
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
            finally
            {
                done.set(true);
            }
        }, "shm-writer");
        final Recorder recorder = new Recorder();
        writing.start();
        // The reader does more per frame than the writer (a CRC), so it is lapped now and then.
        while (!done.get() || reader.poll(recorder, 64) > 0)
        {
            reader.poll(recorder, 64);
        }
        writing.join();
        assertThat(failure.get()).isNull();
        assertThat(recorder.torn).as("torn frames handed over").isZero();
        long previous = -1;
        long gaps = 0;
        for (final long index : recorder.indexes)
        {
            assertThat(index).isGreaterThan(previous);
            if (index != previous + 1)
            {
                gaps++;
            }
            previous = index;
        }
        assertThat(previous).isEqualTo(frames - 1);
        assertThat(gaps).as("a gap only where the reader was lapped").isLessThanOrEqualTo(reader.laps() +
            (recorder.indexes.get(0) == 0 ? 0 : 1));
        System.out.println("torn-frame test: " + recorder.indexes.size() + " of " + frames + " frames read, " +
            reader.laps() + " laps");
    }

    private static void patchInt(final Path file, final int offset, final int value) throws IOException
    {
        patch(file, offset, buffer -> buffer.putInt(offset, value));
    }

    private static void patchShort(final Path file, final int offset, final short value) throws IOException
    {
        patch(file, offset, buffer -> buffer.putShort(offset, value));
    }

    private static void patchLong(final Path file, final int offset, final long value) throws IOException
    {
        patch(file, offset, buffer -> buffer.putLong(offset, value));
    }

    private static void patch(final Path file, final int offset, final java.util.function.Consumer<UnsafeBuffer> edit)
        throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            edit.accept(new UnsafeBuffer(mapped));
            org.agrona.IoUtil.unmap(mapped);
        }
    }
}
