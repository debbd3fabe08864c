package dev.feedhandler.cli.journal;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.journal.FullPolicy;
import dev.feedhandler.journal.JournalConfiguration;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.journal.JournalRollCycles;
import dev.feedhandler.journal.Origin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The recording flags of {@code feed subscribe}, as a picocli mixin: {@code --record DIR} keeps a journal of every
 * frame received, in the publisher's journal format; {@code --record-roll}, {@code --record-keep},
 * {@code --record-full} and {@code --record-cached} tune it as their {@code --journal-*} counterparts do.
 */
public final class RecordOptions
{
    @Option(names = "--record", paramLabel = "DIR",
        description = "Record every frame received, byte for byte, to this journal directory (created if missing), " +
            "to audit or replay later (default: no recording).")
    Path directory;

    @Option(names = "--record-roll", paramLabel = "CYCLE",
        description = "How often a new recording file starts: " + JournalRollCycles.ALIASES +
            ", or a Chronicle roll cycle (default: ${DEFAULT-VALUE}).")
    String roll;

    @Option(names = "--record-keep", paramLabel = "N",
        description = "Keep the N newest recording files, deleting older ones; 0 keeps all " +
            "(default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--record-full", paramLabel = "POLICY",
        description = "When the recording thread is a whole ring behind: block (the receiver waits; the recording " +
            "stays complete) or drop (drop from the recording and count) (default: ${DEFAULT-VALUE}).")
    FullPolicy full;

    @Option(names = "--record-cached", paramLabel = "BYTES",
        description = "How much of the newest recorded data stays in the page cache: older pages are released " +
            "once written back (0 releases all it can; 'all' leaves it to the kernel) (default: ${DEFAULT-VALUE}).")
    String cached;

    /**
     * Whether {@code --record} was given.
     *
     * @return true if recording is on.
     */
    public boolean enabled()
    {
        return directory != null;
    }

    /**
     * The recording settings, with a ring large enough for the largest frame accepted.
     *
     * @param largestFrameBytes the largest topic plus payload that will be recorded.
     * @return the configuration, or null if {@code --record} was not given.
     * @throws CliException (usage) for an invalid value.
     */
    public JournalConfiguration configuration(final int largestFrameBytes)
    {
        return directory == null ? null : JournalOptions.configuration(directory, roll, keep, full,
            JournalConfiguration.DEFAULT_RING_BYTES, largestFrameBytes, "--record")
            .withCachedBytes(JournalOptions.cachedBytes(cached, "--record-cached"));
    }

    /**
     * Opens and starts the recording, if {@code --record} was given.
     *
     * @param largestFrameBytes the largest topic plus payload that will be recorded.
     * @param counters          the process's counters, where the recording counts too.
     * @return the started recorder, to close after the last frame; null without {@code --record}.
     * @throws CliException (usage) for an invalid value or a directory that cannot be a journal.
     */
    public JournalRecorder open(final int largestFrameBytes, final ProcessCounters counters)
    {
        if (!enabled())
        {
            return null;
        }
        try
        {
            return JournalRecorder.open(configuration(largestFrameBytes), Origin.RECEIVED, "record", counters).start();
        }
        catch (final JournalException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }
}
