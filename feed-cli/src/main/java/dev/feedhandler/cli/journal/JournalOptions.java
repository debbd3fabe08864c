package dev.feedhandler.cli.journal;

import dev.feedhandler.cli.options.ByteSizes;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.journal.FullPolicy;
import dev.feedhandler.journal.JournalConfiguration;
import dev.feedhandler.journal.JournalRollCycles;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The journal flags of {@code feed publish}, as a picocli mixin: {@code --journal DIR} turns the journal on;
 * {@code --journal-roll}, {@code --journal-keep}, {@code --journal-full}, {@code --journal-ring} and
 * {@code --journal-cached} tune it.
 */
public final class JournalOptions
{
    @Option(names = "--journal", paramLabel = "DIR",
        description = "Journal every frame sent to this Chronicle Queue directory, created if missing " +
            "(default: no journal).")
    Path directory;

    @Option(names = "--journal-roll", paramLabel = "CYCLE",
        description = "How often a new journal file starts: " + JournalRollCycles.ALIASES + ", or a Chronicle " +
            "roll cycle such as FAST_HOURLY or TEN_MINUTELY (default: ${DEFAULT-VALUE}).")
    String roll;

    @Option(names = "--journal-keep", paramLabel = "N",
        description = "Keep the N newest journal files (cycles), deleting older ones; 0 keeps all " +
            "(default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--journal-full", paramLabel = "POLICY",
        description = "When the journal thread is a whole ring behind: block (wait for room, never for the disk; " +
            "the journal stays complete) or drop (drop from the journal and count) (default: ${DEFAULT-VALUE}).")
    FullPolicy full;

    @Option(names = "--journal-ring", paramLabel = "BYTES", converter = ByteSizes.class,
        description = "Handoff ring between the publisher and the journal thread, rounded up to a power of two " +
            "and to at least 8 largest batches (default: ${DEFAULT-VALUE}).")
    long ring;

    @Option(names = "--journal-cached", paramLabel = "BYTES",
        description = "How much of the newest journal data stays in the page cache: older pages are released once " +
            "written back, so the journal's memory stays flat (0 releases all it can; 'all' leaves it to the " +
            "kernel) (default: ${DEFAULT-VALUE}).")
    String cached;

    /**
     * Whether {@code --journal} was given.
     *
     * @return true if the journal is on.
     */
    public boolean enabled()
    {
        return directory != null;
    }

    /**
     * The directory of {@code --journal}.
     *
     * @return the directory, or null.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * The journal settings, with a ring large enough for the largest frame.
     *
     * @param largestFrameBytes the largest topic plus payload that will be recorded.
     * @return the configuration, or null if {@code --journal} was not given.
     * @throws CliException (usage) for an invalid value.
     */
    public JournalConfiguration configuration(final int largestFrameBytes)
    {
        if (directory == null)
        {
            return null;
        }
        final long cachedBytes = cachedBytes(cached, "--journal-cached");
        return configuration(directory, roll, keep, full, ring, largestFrameBytes, "--journal")
            .withCachedBytes(cachedBytes);
    }

    /**
     * Reads {@code --journal-cached} or {@code --record-cached}: a size, {@code 0}, or {@code all}.
     *
     * @param value the flag's value.
     * @param flag  the flag, as the message names it.
     * @return bytes, or {@link JournalConfiguration#CACHED_ALL}.
     * @throws CliException (usage) if it is none of these.
     */
    static long cachedBytes(final String value, final String flag)
    {
        if (value == null)
        {
            return JournalConfiguration.DEFAULT_CACHED_BYTES;
        }
        final String text = value.trim();
        if (text.equalsIgnoreCase("all"))
        {
            return JournalConfiguration.CACHED_ALL;
        }
        if (text.equals("0"))
        {
            return 0;
        }
        try
        {
            return ByteSizes.parse(text);
        }
        catch (final RuntimeException ex)
        {
            throw new CliException(CliException.USAGE, flag + ": '" + value +
                "' is not a size in bytes, 0 or 'all' (examples: 256m, 1g)");
        }
    }

    static JournalConfiguration configuration(final Path directory, final String roll, final int keep,
        final FullPolicy policy, final long ring, final int largestFrameBytes, final String flag)
    {
        try
        {
            if (keep < 0)
            {
                throw new IllegalArgumentException(flag + "-keep must not be negative, was " + keep);
            }
            // An Agrona ring takes messages up to an eighth of its capacity.
            final long needed = Math.max(ring, 8L * (largestFrameBytes + 64));
            return new JournalConfiguration(directory, JournalRollCycles.of(roll), keep, policy,
                JournalConfiguration.ringBytesFor(needed), null);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }
}
