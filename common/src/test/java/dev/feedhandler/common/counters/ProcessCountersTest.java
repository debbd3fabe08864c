package dev.feedhandler.common.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The counters file on a real file system: what one side writes the other reads, with the header saying which
 * process; a clean close deletes it; a file whose process is gone, a foreign file, or one of another version is a
 * one-line error for a reader, and a running owner's file is never taken over.
 */
@Timeout(30)
class ProcessCountersTest
{
    @TempDir
    Path dir;

    @Test
    void shouldShowCountersAndHeaderToAReaderAndDeleteTheFileOnClose()
    {
        final Path file;
        try (ProcessCounters counters = ProcessCounters.createFile(dir, "pub-test", "publish", "feed publish --x"))
        {
            file = counters.file();
            assertThat(file).isEqualTo(dir.resolve("pub-test.counters")).exists();
            final AtomicCounter updates = counters.newCounter(CounterTypes.PUBLISHER, "updates published");
            final AtomicCounter topic = counters.newCounter(CounterTypes.PUBLISHER_TOPIC, "topic: EURUSD", 7);
            updates.getAndAddRelease(12_345);
            topic.incrementRelease();

            try (CountersFileReader reader = CountersFileReader.open(file, true))
            {
                final CountersFileReader.Header header = reader.header();
                assertThat(header.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(header.role()).isEqualTo("publish");
                assertThat(header.name()).isEqualTo("pub-test");
                assertThat(header.description()).isEqualTo("feed publish --x");
                assertThat(header.isRunning()).isTrue();
                assertThat(values(reader)).containsExactly(
                    Map.entry("updates published", 12_345L), Map.entry("topic: EURUSD", 1L));
                reader.counters().forEach((id, typeId, key, label) ->
                {
                    if (typeId == CounterTypes.PUBLISHER_TOPIC)
                    {
                        assertThat(key.getInt(0)).isEqualTo(7);
                    }
                });

                // Live: the reader sees later writes through the same mapping.
                updates.incrementRelease();
                assertThat(values(reader)).containsEntry("updates published", 12_346L);
            }
        }
        assertThat(file).doesNotExist();
        assertThat(CountersDirectory.list(dir)).isEmpty();
    }

    @Test
    void shouldRefuseToTakeOverTheFileOfARunningProcess()
    {
        try (ProcessCounters first = ProcessCounters.createFile(dir, "same", "subscribe", ""))
        {
            assertThatThrownBy(() -> ProcessCounters.createFile(dir, "same", "subscribe", ""))
                .isInstanceOf(CountersFileException.class)
                .hasMessage("counters file " + first.file() + " belongs to running process " +
                    ProcessHandle.current().pid() + " (subscribe); give another name");
        }
    }

    @Test
    void shouldReportAFileLeftBehindByAGoneProcessAsStaleAndReplaceIt() throws Exception
    {
        final long deadPid = deadPid();
        final Path file = leftBehind("crashed", deadPid);

        assertThatThrownBy(() -> CountersFileReader.open(file, true))
            .isInstanceOf(CountersFileException.class)
            .hasMessage(file + " is stale: process " + deadPid + " is not running; the process crashed or was " +
                "killed (a clean exit deletes its file): remove it");
        try (CountersFileReader reader = CountersFileReader.open(file, false))
        {
            assertThat(reader.header().isRunning()).isFalse();
            assertThat(values(reader)).containsEntry("updates received", 99L);
        }

        try (ProcessCounters replacement = ProcessCounters.createFile(dir, "crashed", "subscribe", ""))
        {
            try (CountersFileReader reader = CountersFileReader.open(file, true))
            {
                assertThat(reader.header().pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(values(reader)).isEmpty();
            }
        }
    }

    @Test
    void shouldReportAPidNowUsedByAProcessStartedAtAnotherTimeAsStale() throws Exception
    {
        final Path file = leftBehind("reused", ProcessHandle.current().pid());
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw"))
        {
            raw.seek(CountersFileLayout.PROCESS_START_OFFSET);
            raw.write(littleEndian(ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() -
                3_600_000L));
        }

        assertThatThrownBy(() -> CountersFileReader.open(file, true))
            .isInstanceOf(CountersFileException.class)
            .hasMessageStartingWith(file + " is stale: pid " + ProcessHandle.current().pid() +
                " now belongs to another process");
    }

    @Test
    void shouldNameWhatIsWrongWithAForeignAShortOrANewerFile() throws Exception
    {
        final Path text = dir.resolve("notes.counters");
        Files.write(text, new byte[4096]);
        assertThatThrownBy(() -> CountersFileReader.open(text, false))
            .hasMessage(text + ": not a feed counters file (no FEEDCNTR mark)");

        final Path shortFile = dir.resolve("short.counters");
        Files.writeString(shortFile, "hello");
        assertThatThrownBy(() -> CountersFileReader.open(shortFile, false))
            .hasMessage(shortFile + ": not a feed counters file (5 bytes, too short)");

        final Path newer = leftBehind("newer", ProcessHandle.current().pid());
        try (RandomAccessFile raw = new RandomAccessFile(newer.toFile(), "rw"))
        {
            raw.seek(CountersFileLayout.VERSION_OFFSET);
            raw.write(new byte[] {2, 0, 0, 0});
        }
        assertThatThrownBy(() -> CountersFileReader.open(newer, false))
            .hasMessage(newer + ": counters file version 2, this feed reads version 1");

        final Path missing = dir.resolve("missing.counters");
        assertThatThrownBy(() -> CountersFileReader.open(missing, false))
            .hasMessage(missing + ": no such counters file");
    }

    @Test
    void shouldSayADirectoryThatIsAFileIsNotADirectory() throws Exception
    {
        final Path notDirectory = Files.writeString(dir.resolve("counters"), "x");
        assertThatThrownBy(() -> ProcessCounters.createFile(notDirectory, "desk-1", "subscribe", ""))
            .isInstanceOf(CountersFileException.class)
            .hasMessage("cannot create counters file " + notDirectory.resolve("desk-1.counters") + ": " +
                notDirectory + " is not a directory");
    }

    @Test
    void shouldRejectNamesThatAreNotPlainFileNames()
    {
        assertThatThrownBy(() -> ProcessCounters.createFile(dir, "../escape", "publish", ""))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("counters name '../escape' must be");
        assertThatThrownBy(() -> CountersDirectory.checkName(".hidden"))
            .isInstanceOf(IllegalArgumentException.class);
        CountersDirectory.checkName("publish-1234_b.v2");
    }

    @Test
    void shouldKeepCountersInMemoryWithoutAFile()
    {
        try (ProcessCounters counters = ProcessCounters.inMemory("subscribe"))
        {
            final AtomicCounter counter = counters.newCounter(CounterTypes.SUBSCRIBER, "gaps detected");
            counter.incrementRelease();
            assertThat(counters.file()).isNull();
            assertThat(counters.reader().getCounterValue(counter.id())).isEqualTo(1);
            assertThat(counters.reader().getCounterLabel(counter.id())).isEqualTo("gaps detected");
        }
    }

    /**
     * A counters file as a crashed process leaves it: written, never closed, its pid set to {@code pid}.
     */
    private Path leftBehind(final String name, final long pid) throws IOException
    {
        final ProcessCounters counters = ProcessCounters.createFile(dir, name, "subscribe", "");
        counters.newCounter(CounterTypes.SUBSCRIBER, "updates received").getAndAddRelease(99);
        final Path file = counters.file();
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw"))
        {
            raw.seek(CountersFileLayout.PID_OFFSET);
            raw.write(littleEndian(pid));
        }
        return file;
    }

    private static long deadPid() throws Exception
    {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private static byte[] littleEndian(final long value)
    {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static Map<String, Long> values(final CountersFileReader reader)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        reader.counters().forEach((value, id, label) -> values.put(label, value));
        return values;
    }

    @Test
    void shouldGiveEveryPageOfTheFileItsBlockWhenCreatingIt() throws Exception
    {
        // Not sparse: a page first touched later in a full /dev/shm would be a SIGBUS in the thread that counts.
        try (ProcessCounters counters = ProcessCounters.createFile(dir, "blocks", "publish", ""))
        {
            final Path file = dir.resolve("blocks" + CountersFileLayout.SUFFIX);
            final Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
            final String[] blocks = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
            assertThat(stat.waitFor()).isZero();
            assertThat(Long.parseLong(blocks[0]) * Long.parseLong(blocks[1])).isGreaterThanOrEqualTo(Files.size(file));
        }
    }

    @Test
    void shouldMakeTheSharedDefaultDirectoryEveryUsersAsTmpIsAndNoOther() throws Exception
    {
        // Created 0755 by whoever ran first, the default directory kept every other user's processes from starting.
        final String tmp = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", dir.toString());
        try
        {
            final Path shared = dir.resolve(CountersDirectory.DIRECTORY_NAME);
            final Path own = dir.resolve("mine");
            CountersDirectory.create(shared);
            CountersDirectory.create(own);
            assertThat((int)Files.getAttribute(shared, "unix:mode") & 07777).isEqualTo(01777);
            assertThat((int)Files.getAttribute(own, "unix:mode") & 07777).isNotEqualTo(01777);
        }
        finally
        {
            System.setProperty("java.io.tmpdir", tmp);
        }
    }
}
