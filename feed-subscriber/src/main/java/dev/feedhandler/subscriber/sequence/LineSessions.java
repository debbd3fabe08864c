package dev.feedhandler.subscriber.sequence;

import java.time.Instant;

/**
 * Whether identical lines publish the same session. Lines of one feed derive the same session epoch from their
 * {@code --feed-id} and {@code --feed-start} (the start to the millisecond, the id's hash below it); two lines that
 * go on publishing different sessions are not one feed: another id, another start, or a publisher that is not a line
 * at all. The subscriber would otherwise follow the newer session and drop the other line's frames as stale, using
 * one line where the user believes there are two.
 * <p>
 * A difference is tolerated for a grace period (a session rollover reaches the lines at slightly different times,
 * a restarted line is heard before its first frame of the feed's session); past it, the lines are reported not one
 * feed. Receiver thread only.
 */
final class LineSessions
{
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final long[] epochs;
    private long differSinceNs;

    LineSessions(final int lines)
    {
        this.epochs = new long[lines];
    }

    /**
     * A line brought a frame of a session.
     *
     * @param line  the line number.
     * @param epoch the frame's session epoch.
     */
    void onFrame(final int line, final long epoch)
    {
        epochs[line] = epoch;
    }

    /**
     * The last session a line brought.
     *
     * @param line the line number.
     * @return its epoch, 0 before any frame.
     */
    long epoch(final int line)
    {
        return epochs[line];
    }

    /**
     * Compares the sessions of the lines that are up.
     *
     * @param down    which lines are down (not compared).
     * @param nowNs   the time.
     * @param graceNs how long lines may differ before it is reported.
     * @param names   the lines' names, for the report.
     * @return a one-line report when lines up have differed for longer than the grace, else null.
     */
    String check(final boolean[] down, final long nowNs, final long graceNs, final String[] names)
    {
        int first = -1;
        int other = -1;
        for (int i = 0; i < epochs.length && other < 0; i++)
        {
            if (down[i] || epochs[i] == 0)
            {
                continue;
            }
            if (first < 0)
            {
                first = i;
            }
            else if (epochs[i] != epochs[first])
            {
                other = i;
            }
        }
        if (other < 0)
        {
            differSinceNs = 0;
            return null;
        }
        if (differSinceNs == 0)
        {
            differSinceNs = nowNs;
            return null;
        }
        if (nowNs - differSinceNs < graceNs)
        {
            return null;
        }
        return describe(first, other, names);
    }

    private String describe(final int a, final int b, final String[] names)
    {
        final long msA = Math.floorDiv(epochs[a], NANOS_PER_MILLI);
        final long msB = Math.floorDiv(epochs[b], NANOS_PER_MILLI);
        final String why = msA == msB ? "the same start, another --feed-id" :
            "another --feed-start, or a publisher that is not a line of the feed";
        return "the lines are not one feed: line " + (a + 1) + " (" + names[a] + ") publishes session " + epochs[a] +
            " (start " + Instant.ofEpochMilli(msA) + "), line " + (b + 1) + " (" + names[b] + ") session " + epochs[b] +
            " (start " + Instant.ofEpochMilli(msB) + "): " + why + "; start every line with the same --feed-id and " +
            "--feed-start";
    }
}
