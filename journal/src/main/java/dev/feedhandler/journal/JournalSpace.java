package dev.feedhandler.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The free space of the journal's file system, as the journal thread watches it. Chronicle Queue writes through
 * memory-mapped files, and a page the file system cannot back (a full disk) is a SIGBUS: the JVM turns it into an
 * {@link InternalError} in the writing thread (measured on a full tmpfs: the journal thread died and a publisher
 * under the {@code block} policy waited for it for ever), or crashes where it cannot. So the journal stops writing
 * before that: below {@link #MIN_FREE_BYTES} free it counts frames as not written, and it starts again once
 * {@link #RESUME_FREE_BYTES} are free. Journal thread only.
 */
final class JournalSpace
{
    /** Below this much free space the journal writes nothing: room for the frames of one check interval and more. */
    static final long MIN_FREE_BYTES = 64L << 20;
    /** Free space at which a journal stopped for lack of space writes again. */
    static final long RESUME_FREE_BYTES = 2 * MIN_FREE_BYTES;
    /** How often the free space is read (one statfs call): 6 MB of journal at 1M updates/s. */
    static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Free space unknown (the file system cannot say). */
    static final long UNKNOWN = -1;

    private static final Logger LOG = LoggerFactory.getLogger(JournalSpace.class);
    private static final double MIB = 1024.0 * 1024.0;

    private final LongSupplier freeBytes;
    private final String where;
    private long nextCheckNs;

    /**
     * Watches a supplier of free bytes (tests).
     *
     * @param freeBytes free bytes now, or {@link #UNKNOWN}.
     * @param where     the file system, as messages name it.
     */
    JournalSpace(final LongSupplier freeBytes, final String where)
    {
        this.freeBytes = freeBytes;
        this.where = where;
    }

    /**
     * Watches the file system a journal directory is on.
     *
     * @param directory the journal's directory (it exists).
     * @return the watch; one that never sees a shortage if the file system cannot be read.
     */
    static JournalSpace of(final Path directory)
    {
        try
        {
            final FileStore store = Files.getFileStore(directory);
            return new JournalSpace(() -> usable(store), directory + " (" + store.type() + ")");
        }
        catch (final IOException ex)
        {
            LOG.debug("cannot read the file system of {}; its free space is not watched", directory, ex);
            return new JournalSpace(() -> UNKNOWN, directory.toString());
        }
    }

    private static long usable(final FileStore store)
    {
        try
        {
            return store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            return UNKNOWN;
        }
    }

    /**
     * Whether it is time to read the free space again; if so, the next time is set.
     *
     * @param nowNs {@link System#nanoTime()}.
     * @return true once per {@link #CHECK_INTERVAL_NS}.
     */
    boolean due(final long nowNs)
    {
        if (nowNs - nextCheckNs < 0)
        {
            return false;
        }
        nextCheckNs = nowNs + CHECK_INTERVAL_NS;
        return true;
    }

    /**
     * Free bytes now.
     *
     * @return bytes, or {@link #UNKNOWN}.
     */
    long free()
    {
        return freeBytes.getAsLong();
    }

    /**
     * Why the journal must not write with this much free space.
     *
     * @param free free bytes, or {@link #UNKNOWN}.
     * @return the reason, or null if there is room (or the file system cannot say).
     */
    String shortage(final long free)
    {
        return free == UNKNOWN || free >= MIN_FREE_BYTES ? null : "disk full: " + mib(free) + " free on " + where +
            ", and the journal leaves " + mib(MIN_FREE_BYTES) + " free";
    }

    /**
     * The file system, for messages.
     *
     * @return the directory and the file system's type.
     */
    String where()
    {
        return where;
    }

    /**
     * Bytes in MiB, for messages.
     *
     * @param bytes a size, or {@link #UNKNOWN}.
     * @return such as "12.5 MiB", or "an unknown amount".
     */
    static String mib(final long bytes)
    {
        return bytes < 0 ? "an unknown amount" : String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }
}
