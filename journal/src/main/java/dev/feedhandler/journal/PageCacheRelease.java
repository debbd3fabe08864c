package dev.feedhandler.journal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * Releases the journal file's pages from the page cache once they lie far enough behind the writer
 * ({@code posix_fadvise(POSIX_FADV_DONTNEED)}), so the journal's memory stops growing with the file and the kernel
 * hands the writer's next faults the pages it released instead of memory nobody has touched.
 * <p>
 * Why: Chronicle Queue writes through a memory-mapped file, and every new page of it is a fault that takes a page of
 * free memory and zero-fills it. On a virtual machine whose host takes freed memory back (this project's 2-core
 * development VM: memory freed for a while costs 2.8 s a GiB to touch again against 0.5 s for memory in use), that
 * zeroing was three quarters of the journal thread's time at 1M updates/s, in runs of up to 21 ms that kept threads
 * of the data path off the vCPU they shared (docs/journal.md, "What it costs"). With the pages released behind the
 * writer the journal holds about {@code keepBytes} of page cache plus Chronicle's mapped chunks, and a site's other
 * files keep the rest of the cache.
 * <p>
 * Safe by construction: {@code POSIX_FADV_DONTNEED} starts the writeback of dirty pages in the range and drops only
 * pages that are clean and mapped by no process, so nothing written is lost and a reader with the chunk mapped keeps
 * it. Every pass (one every {@link #PERIOD_NS}) offers the last {@link #SWEEP_BYTES} before its end again, so a page
 * still dirty or mapped at one pass goes at a later one; what is left behind that the kernel writes back and reclaims
 * as it always does. A reader of older entries (replay, catch-up from the journal) reads them from the disk again.
 * <p>
 * Linux only (elsewhere, or without a C library JNA can load, it does nothing and says so once). Journal thread only.
 */
final class PageCacheRelease
{
    /** Releases nothing: the kernel keeps the journal's pages as long as it likes. */
    static final long KEEP_ALL = -1;
    /** Default kept behind the writer: 256 MiB, about 4.5 s of a 1M updates/s feed, for catch-ups from the journal. */
    static final long DEFAULT_KEEP_BYTES = 256L << 20;
    /** How often a pass runs: every 100 ms of writing, 6 MB of journal at 1M updates/s. */
    static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final Logger LOG = LoggerFactory.getLogger(PageCacheRelease.class);
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final long PAGE_BYTES = 4096;
    /** What every pass offers again behind its end: more than Chronicle keeps mapped behind the writer. */
    static final long SWEEP_BYTES = 512L << 20;

    /** The calls it makes, bound by JNA. */
    interface LibC extends Library
    {
        int open(String path, int flags);

        int close(int fd);

        int posix_fadvise(int fd, long offset, long length, int advice);
    }

    private static LibC libc;
    private static boolean loaded;

    private final long keepBytes;
    private final AtomicCounter released;
    /** Releases at all: a size was asked for and the C library is bound. */
    private final boolean active;
    private File file;
    private int fd = -1;
    /** The end of the range passes advise: {@code keepBytes} behind the furthest write position seen. */
    private long upTo;
    private long nextPassNs;
    private boolean failed;

    /**
     * A release that keeps the newest {@code keepBytes} of the file.
     *
     * @param keepBytes bytes kept behind the write position, or {@link #KEEP_ALL}.
     * @param released  counts the bytes behind the writer offered for release, each once.
     */
    PageCacheRelease(final long keepBytes, final AtomicCounter released)
    {
        this.keepBytes = keepBytes;
        this.released = released;
        // Binds the C library now, on the thread that opens the journal, not on the journal thread's first pass.
        this.active = keepBytes != KEEP_ALL && available();
    }

    /**
     * Whether this platform can release pages: Linux with a C library JNA loads.
     *
     * @return true if {@code posix_fadvise} is bound.
     */
    static synchronized boolean available()
    {
        if (!loaded)
        {
            loaded = true;
            if (Platform.isLinux())
            {
                try
                {
                    libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
                }
                catch (final LinkageError | RuntimeException ex)
                {
                    LOG.info("journal pages are not released from the page cache: cannot bind posix_fadvise ({})",
                        ex.toString());
                }
            }
        }
        return libc != null;
    }

    /**
     * Whether a pass is due: it releases at all, and {@link #PERIOD_NS} have gone since the last pass. The journal
     * thread asks after every duty cycle that wrote, and reads the write position only when it is.
     *
     * @param nowNs {@link System#nanoTime()}.
     * @return true if {@link #afterWrite} should run now.
     */
    boolean due(final long nowNs)
    {
        return active && !failed && nowNs - nextPassNs >= 0;
    }

    /**
     * A pass, when {@link #due} says so: advises the kernel to drop the range of {@code currentFile} that ends
     * {@code keepBytes} before {@code writePosition}.
     *
     * @param currentFile   the cycle file being written.
     * @param writePosition the end of the last entry in it.
     * @param nowNs         {@link System#nanoTime()}.
     */
    void afterWrite(final File currentFile, final long writePosition, final long nowNs)
    {
        nextPassNs = nowNs + PERIOD_NS;
        if (currentFile == null)
        {
            return;
        }
        if (!currentFile.equals(file))
        {
            switchTo(currentFile);
        }
        if (fd < 0)
        {
            return;
        }
        final long next = Math.max(upTo, (writePosition - keepBytes) & ~(PAGE_BYTES - 1));
        // Every pass offers the last SWEEP_BYTES again: pages dirty at one pass (it starts their writeback) or still
        // in a chunk Chronicle has mapped are dropped by a later one.
        final long from = Math.max(0, next - SWEEP_BYTES);
        if (next > from && advise(from, next - from))
        {
            released.getAndAddRelease(next - upTo);
            upTo = next;
        }
    }

    private void switchTo(final File next)
    {
        if (fd >= 0)
        {
            // The cycle ended: all of it may go now, but for the pages still dirty or mapped.
            advise(Math.max(0, upTo - SWEEP_BYTES), 0);
            close();
        }
        file = next;
        upTo = 0;
        fd = libc.open(next.getPath(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
        {
            fail("cannot open " + next + " to release its pages from the page cache (errno " +
                Native.getLastError() + ")");
        }
    }

    private boolean advise(final long offset, final long length)
    {
        final int error = libc.posix_fadvise(fd, offset, length, POSIX_FADV_DONTNEED);
        if (error != 0)
        {
            fail("posix_fadvise on " + file + " failed (error " + error + ")");
            return false;
        }
        return true;
    }

    private void fail(final String message)
    {
        failed = true;
        close();
        LOG.warn("journal: {}; its pages stay in the page cache as long as the kernel likes (the journal goes on)",
            message);
    }

    /** Closes the file it holds open; called when the journal closes. */
    void close()
    {
        if (fd >= 0)
        {
            libc.close(fd);
            fd = -1;
        }
    }
}
