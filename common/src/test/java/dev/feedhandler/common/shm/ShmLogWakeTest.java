package dev.feedhandler.common.shm;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Readers of the shared-memory log woken by its writer through the futex word: a sleeping reader wakes when the
 * writer signals (long before its timeout), a write between a reader's look and its sleep is never slept through,
 * closing and superseding a log wake its readers, and a log made without waking tells its readers to use their
 * timer. The waits are given an hour, so a reader that was not woken fails the test by its timeout.
 */
@Timeout(60)
class ShmLogWakeTest
{
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);
    private static final byte[] TOPIC = "EURUSD".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);

    @BeforeEach
    void onLinux()
    {
        assumeThat(System.getProperty("os.name").toLowerCase(Locale.ROOT)).startsWith("linux");
    }

    @AfterEach
    void closeAll() throws Exception
    {
        for (int i = open.size() - 1; i >= 0; i--)
        {
            open.get(i).close();
        }
    }

    private ShmLogWriter writer(final boolean wakeReaders)
    {
        final ShmLogWriter writer = ShmLogWriter.create(new ShmLocation("wake", dir), ShmLogDescriptor.MIN_CAPACITY,
            1024, null, 7, wakeReaders);
        open.add(writer);
        return writer;
    }

    private ShmLogReader reader()
    {
        final ShmLogReader reader = ShmLogReader.open(dir.resolve("wake"), List.of(), false);
        open.add(reader);
        return reader;
    }

    private static int count(final ShmLogReader reader)
    {
        final int[] frames = new int[1];
        reader.poll((buffer, topicOffset, topicLength, payloadOffset, payloadLength) -> frames[0]++, 256);
        return frames[0];
    }

    @Test
    void shouldBindFutexesOnLinux()
    {
        assertThat(Futex.available()).isTrue();
    }

    @Test
    void shouldWakeASleepingReaderWhenTheWriterSignals() throws Exception
    {
        final ShmLogWriter writer = writer(true);
        final ShmLogReader reader = reader();
        assertThat(writer.wakesReaders()).isTrue();
        assertThat(reader.wokenByWriter()).isTrue();
        assertThat(count(reader)).isZero();

        final CompletableFuture<Integer> woken = CompletableFuture.supplyAsync(() ->
        {
            final boolean waited = reader.awaitRecords(HOUR_NS);
            return waited ? count(reader) : -1;
        });
        // Signals until the reader is up: a signal before it sleeps changes the word, which it then does not sleep on.
        writer.write(TOPIC, payload, 0, 16);
        writer.signal();
        assertThat(woken.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(writer.summary()).containsEntry("wakeCalls", 1L);
    }

    @Test
    void shouldNotSleepThroughAWriteBetweenTheLookAndTheSleep()
    {
        final ShmLogWriter writer = writer(true);
        final ShmLogReader reader = reader();
        assertThat(count(reader)).isZero();
        writer.write(TOPIC, payload, 0, 16);
        writer.signal();

        assertThat(reader.awaitRecords(HOUR_NS)).isTrue();
        assertThat(count(reader)).isEqualTo(1);
    }

    @Test
    void shouldReturnFromASleepThatTimesOut()
    {
        writer(true);
        final ShmLogReader reader = reader();
        assertThat(count(reader)).isZero();

        assertThat(reader.awaitRecords(TimeUnit.MILLISECONDS.toNanos(1))).isTrue();
        assertThat(count(reader)).isZero();
    }

    @Test
    void shouldSignalOnlyAfterNewWrites()
    {
        final ShmLogWriter writer = writer(true);
        writer.signal();
        writer.write(TOPIC, payload, 0, 16);
        writer.write(TOPIC, payload, 0, 16);
        writer.signal();
        writer.signal();

        assertThat(writer.summary()).containsEntry("wakeCalls", 1L).containsEntry("frames", 2L);
    }

    @Test
    void shouldWakeASleepingReaderWhenTheLogCloses() throws Exception
    {
        final ShmLogWriter writer = writer(true);
        final ShmLogReader reader = reader();
        assertThat(count(reader)).isZero();
        final CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> reader.awaitRecords(HOUR_NS));

        writer.close();

        assertThat(woken.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reader.finished()).isTrue();
    }

    @Test
    void shouldWakeTheReadersOfALogANewPublisherReplaces() throws Exception
    {
        final ShmLogWriter first = writer(true);
        final ShmLogReader reader = reader();
        assertThat(count(reader)).isZero();
        final CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> reader.awaitRecords(HOUR_NS));
        // As if its publisher had been killed: the header names a process that has ended.
        final Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (FileChannel channel = FileChannel.open(first.path(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            new UnsafeBuffer(mapped).putLong(ShmLogDescriptor.WRITER_PID_OFFSET, gone.pid());
            IoUtil.unmap(mapped);
        }

        open.add(ShmLogWriter.create(new ShmLocation("wake", dir), ShmLogDescriptor.MIN_CAPACITY, 1024, null, 8));

        assertThat(woken.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reader.state()).isEqualTo(ShmLogDescriptor.STATE_SUPERSEDED);
    }

    @Test
    void shouldTellReadersOfALogMadeWithoutWakingToUseTheirTimer()
    {
        final ShmLogWriter writer = writer(false);
        final ShmLogReader reader = reader();
        assertThat(writer.wakesReaders()).isFalse();
        assertThat(reader.wokenByWriter()).isFalse();
        assertThat(count(reader)).isZero();

        assertThat(reader.awaitRecords(HOUR_NS)).isFalse();
        writer.write(TOPIC, payload, 0, 16);
        writer.signal();
        assertThat(writer.summary()).containsEntry("wakeCalls", 0L);
    }
}
