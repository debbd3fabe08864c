package dev.feedhandler.journal;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;

import java.nio.file.Path;

/**
 * Where and how a journal is written, validated once at start-up.
 *
 * @param directory    the Chronicle Queue directory; created if missing.
 * @param rollCycle    how often a new cycle file starts.
 * @param keepCycles   how many cycle files to keep, the current one included; 0 keeps them all.
 * @param fullPolicy   what the producer does when the handoff ring is full.
 * @param ringBytes    capacity of the handoff ring in bytes, a power of two.
 * @param timeProvider Chronicle's clock, which decides the cycle; null for the system clock (tests roll faster).
 * @param cachedBytes  how much of the newest journal data stays in the page cache: older pages are released once
 *                     written back ({@link #CACHED_ALL}: the kernel keeps them as long as it likes).
 */
public record JournalConfiguration(
    Path directory,
    RollCycle rollCycle,
    int keepCycles,
    FullPolicy fullPolicy,
    int ringBytes,
    TimeProvider timeProvider,
    long cachedBytes)
{
    /** Default page cache kept behind the journal's writer: 256 MiB (docs/journal.md, "The page cache"). */
    public static final long DEFAULT_CACHED_BYTES = PageCacheRelease.DEFAULT_KEEP_BYTES;

    /** {@link #cachedBytes()} that releases nothing. */
    public static final long CACHED_ALL = PageCacheRelease.KEEP_ALL;

    /** Default handoff ring capacity: 16 MiB, room for over a thousand full 16 KiB batches. */
    public static final int DEFAULT_RING_BYTES = 16 * 1024 * 1024;

    /** Default number of cycle files kept: 0, all of them. */
    public static final int DEFAULT_KEEP_CYCLES = 0;

    /** Default when the journal thread is a whole ring behind: wait for room, so the journal stays complete. */
    public static final FullPolicy DEFAULT_FULL_POLICY = FullPolicy.BLOCK;

    /** Smallest ring accepted. */
    public static final int MIN_RING_BYTES = 64 * 1024;

    /** Largest ring accepted. */
    public static final int MAX_RING_BYTES = 1 << 30;

    /**
     * Validates the settings.
     */
    public JournalConfiguration
    {
        if (directory == null)
        {
            throw new IllegalArgumentException("a journal directory is required");
        }
        if (rollCycle == null)
        {
            throw new IllegalArgumentException("a roll cycle is required");
        }
        if (keepCycles < 0)
        {
            throw new IllegalArgumentException("the number of cycles to keep must not be negative, was " +
                keepCycles);
        }
        if (fullPolicy == null)
        {
            throw new IllegalArgumentException("a full policy is required");
        }
        if (ringBytes < MIN_RING_BYTES || ringBytes > MAX_RING_BYTES || Integer.bitCount(ringBytes) != 1)
        {
            throw new IllegalArgumentException("the journal ring must be a power of two between " + MIN_RING_BYTES +
                " and " + MAX_RING_BYTES + " bytes, was " + ringBytes);
        }
        if (cachedBytes < 0 && cachedBytes != CACHED_ALL)
        {
            throw new IllegalArgumentException("the journal's cached bytes must not be negative, was " + cachedBytes);
        }
    }

    /**
     * Settings with the default page cache kept behind the writer.
     *
     * @param directory    the Chronicle Queue directory.
     * @param rollCycle    how often a new cycle file starts.
     * @param keepCycles   how many cycle files to keep.
     * @param fullPolicy   what the producer does when the handoff ring is full.
     * @param ringBytes    capacity of the handoff ring.
     * @param timeProvider Chronicle's clock, or null.
     */
    public JournalConfiguration(final Path directory, final RollCycle rollCycle, final int keepCycles,
        final FullPolicy fullPolicy, final int ringBytes, final TimeProvider timeProvider)
    {
        this(directory, rollCycle, keepCycles, fullPolicy, ringBytes, timeProvider, DEFAULT_CACHED_BYTES);
    }

    /**
     * Defaults for a directory: daily cycles, all kept, {@link FullPolicy#BLOCK}, a 16 MiB ring.
     *
     * @param directory the journal directory.
     * @return the configuration.
     */
    public static JournalConfiguration defaults(final Path directory)
    {
        return new JournalConfiguration(directory, JournalRollCycles.of(JournalRollCycles.DEFAULT),
            DEFAULT_KEEP_CYCLES, DEFAULT_FULL_POLICY, DEFAULT_RING_BYTES, null);
    }

    /**
     * The smallest power of two that is at least {@code bytes} and at least {@link #MIN_RING_BYTES}.
     *
     * @param bytes wanted capacity.
     * @return a valid ring capacity.
     */
    public static int ringBytesFor(final long bytes)
    {
        long size = MIN_RING_BYTES;
        while (size < bytes && size < MAX_RING_BYTES)
        {
            size <<= 1;
        }
        return (int)size;
    }

    /**
     * A copy with another ring capacity.
     *
     * @param bytes the capacity.
     * @return the new configuration.
     */
    public JournalConfiguration withRingBytes(final int bytes)
    {
        return new JournalConfiguration(directory, rollCycle, keepCycles, fullPolicy, bytes, timeProvider,
            cachedBytes);
    }

    /**
     * A copy with another clock.
     *
     * @param clock Chronicle's time provider.
     * @return the new configuration.
     */
    public JournalConfiguration withTimeProvider(final TimeProvider clock)
    {
        return new JournalConfiguration(directory, rollCycle, keepCycles, fullPolicy, ringBytes, clock, cachedBytes);
    }

    /**
     * A copy that keeps another amount of the journal in the page cache.
     *
     * @param bytes bytes kept behind the writer, or {@link #CACHED_ALL}.
     * @return the new configuration.
     */
    public JournalConfiguration withCachedBytes(final long bytes)
    {
        return new JournalConfiguration(directory, rollCycle, keepCycles, fullPolicy, ringBytes, timeProvider, bytes);
    }
}
