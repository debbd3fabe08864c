package dev.feedhandler.journal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The page cache release on real files: a journal written far past {@code cachedBytes} (320 MiB against 8 MiB) leaves
 * its older pages out of the page cache (asked of the kernel with {@code mincore}), and every entry reads back byte
 * for byte afterwards.
 */
@Timeout(120)
class PageCacheReleaseTest
{
    private static final int PAYLOAD_BYTES = 8 * 1024;
    private static final int FRAMES = 40_000;
    private static final long KEEP_BYTES = 8L << 20;
    /**
     * The range checked: Chronicle keeps the start of a cycle file mapped (its header and first index, 80 MiB in
     * a 320 MiB file here) and the chunk it writes, and the kernel cannot release a mapped page.
     */
    private static final long CHECKED_FROM = 96L << 20;
    private static final long CHECKED_BYTES = 128L << 20;
    private static final byte[] TOPIC = "EURUSD".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /** What the test asks the kernel directly. */
    interface Kernel extends Library
    {
        int open(String path, int flags);

        int close(int fd);

        Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset);

        int munmap(Pointer address, long length);

        int mincore(Pointer address, long length, byte[] vector);
    }

    @BeforeEach
    void needsAFileSystemWithAPageCache() throws IOException
    {
        assumeThat(Platform.isLinux()).as("posix_fadvise is Linux's here").isTrue();
        assumeThat(PageCacheRelease.available()).as("JNA binds the C library").isTrue();
        // tmpfs pages are the file itself: nothing can be released there.
        assumeThat(Files.getFileStore(dir).type().toLowerCase(Locale.ROOT)).isNotIn("tmpfs", "ramfs");
    }

    private static byte[] payload(final int frame)
    {
        final byte[] payload = new byte[PAYLOAD_BYTES];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(frame * 31 + i);
        }
        return payload;
    }

    private static void record(final JournalRecorder recorder, final int frame)
    {
        final byte[] payload = payload(frame);
        recorder.record(TOPIC, TOPIC.length, new UnsafeBuffer(payload), 0, payload.length, frame);
    }

    @Test
    void shouldReleaseThePagesBehindTheWriterAndLoseNothing()
    {
        final JournalRecorder recorder = JournalRecorder.open(
            JournalConfiguration.defaults(dir).withCachedBytes(KEEP_BYTES), Origin.SENT, "journal").start();
        for (int i = 0; i < FRAMES; i++)
        {
            record(recorder, i);
        }
        final Path cycle = JournalFiles.cycleFiles(dir).get(0);
        // Passes run while the journal writes (one a 100 ms at most): a trickle of frames lets them find the pages
        // that were still dirty at the first pass, now written back.
        final AtomicInteger next = new AtomicInteger(FRAMES);
        final Kernel kernel = Native.load(Platform.C_LIBRARY_NAME, Kernel.class);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
        {
            record(recorder, next.getAndIncrement());
            return residentFraction(kernel, cycle, CHECKED_FROM, CHECKED_BYTES) < 0.25;
        });
        recorder.close();

        assertThat(recorder.summary()).containsEntry("cachedBytes", KEEP_BYTES);
        assertThat((long)recorder.summary().get("releasedBytes")).isGreaterThanOrEqualTo(CHECKED_BYTES);
        final List<JournalRecorderTest.Stored> stored = JournalRecorderTest.readAll(dir);
        assertThat(stored).hasSize(next.get());
        for (int i = 0; i < stored.size(); i++)
        {
            assertThat(stored.get(i).payload()).as("frame %d", i).isEqualTo(payload(i));
            assertThat(stored.get(i).journalNs()).isEqualTo(i);
        }
    }

    @Test
    void shouldReleaseNothingWhenEverythingStaysCached()
    {
        final JournalRecorder recorder = JournalRecorder.open(
            JournalConfiguration.defaults(dir).withCachedBytes(JournalConfiguration.CACHED_ALL), Origin.SENT,
            "journal").start();
        for (int i = 0; i < FRAMES / 20; i++)
        {
            record(recorder, i);
        }
        recorder.close();

        assertThat(recorder.summary()).containsEntry("cachedBytes", "all").containsEntry("releasedBytes", 0L);
        assertThat(JournalRecorderTest.readAll(dir)).hasSize(FRAMES / 20);
    }

    @Test
    void shouldRejectANegativeAmountOtherThanAll()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournalConfiguration.defaults(dir)
            .withCachedBytes(-2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("the journal's cached bytes must not be negative, was -2");
        assertThat(JournalConfiguration.defaults(dir).cachedBytes())
            .isEqualTo(JournalConfiguration.DEFAULT_CACHED_BYTES);
    }

    /** The fraction of a range of the file in the page cache, from {@code mincore} on a mapping of it. */
    private static double residentFraction(final Kernel kernel, final Path file, final long offset, final long bytes)
    {
        final int fd = kernel.open(file.toString(), 0);
        assertThat(fd).isNotNegative();
        try
        {
            final int protRead = 1;
            final int mapShared = 1;
            final Pointer map = kernel.mmap(null, bytes, protRead, mapShared, fd, offset);
            assertThat(Pointer.nativeValue(map)).isNotEqualTo(-1L);
            try
            {
                final byte[] vector = new byte[(int)(bytes / 4096)];
                assertThat(kernel.mincore(map, bytes, vector)).isZero();
                int resident = 0;
                for (final byte page : vector)
                {
                    resident += page & 1;
                }
                return resident / (double)vector.length;
            }
            finally
            {
                kernel.munmap(map, bytes);
            }
        }
        finally
        {
            kernel.close(fd);
        }
    }
}
