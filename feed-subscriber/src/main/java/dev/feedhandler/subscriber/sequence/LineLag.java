package dev.feedhandler.subscriber.sequence;

/**
 * How far behind the first copies each line has been lately: the largest lag of its copies in the current period
 * and the one before ({@link #PERIOD_NS} each), so that a spike counts for one to two periods and then is forgotten.
 * The arbiter's wait for another line follows it ({@link LineArbiter#waitNs}): a gap seen on one line waits at least
 * the configured window and, when the line that may still bring the updates has lately been slower than that, twice
 * that line's recent lag, never longer than the silence that makes a line down. On a host where a line runs a few
 * hundred milliseconds behind (a loaded machine, a longer network path), its copies then fill the other line's gaps
 * instead of a recovery request racing them. Receiver thread only; allocation-free.
 */
final class LineLag
{
    /** The length of a period of the recent lag. */
    static final long PERIOD_NS = 1_000_000_000L;

    private final long[] currentMaxNs;
    private final long[] previousMaxNs;
    private final long[] periodStartNs;

    LineLag(final int lines)
    {
        currentMaxNs = new long[lines];
        previousMaxNs = new long[lines];
        periodStartNs = new long[lines];
    }

    /**
     * A copy came on a line this long after the first copy.
     *
     * @param line  the line number.
     * @param lagNs its lag.
     * @param nowNs the time.
     */
    void record(final int line, final long lagNs, final long nowNs)
    {
        roll(line, nowNs);
        if (lagNs > currentMaxNs[line])
        {
            currentMaxNs[line] = lagNs;
        }
    }

    /**
     * A line's largest lag in this period and the previous one.
     *
     * @param line  the line number.
     * @param nowNs the time.
     * @return nanoseconds, 0 if no copy came late lately.
     */
    long recentNs(final int line, final long nowNs)
    {
        roll(line, nowNs);
        return Math.max(currentMaxNs[line], previousMaxNs[line]);
    }

    /**
     * How long a gap waits for another line: the window, or twice the largest recent lag of a line that is up if
     * that is longer, at most {@code maxNs}.
     *
     * @param down     which lines are down (not waited for).
     * @param windowNs the configured window.
     * @param maxNs    the longest wait (the silence that makes a line down), at least the window.
     * @param nowNs    the time.
     * @return nanoseconds.
     */
    long waitNs(final boolean[] down, final long windowNs, final long maxNs, final long nowNs)
    {
        long waitNs = windowNs;
        for (int i = 0; i < down.length; i++)
        {
            if (!down[i])
            {
                waitNs = Math.max(waitNs, 2 * recentNs(i, nowNs));
            }
        }
        return Math.min(waitNs, Math.max(windowNs, maxNs));
    }

    private void roll(final int line, final long nowNs)
    {
        final long elapsed = nowNs - periodStartNs[line];
        if (elapsed < PERIOD_NS)
        {
            return;
        }
        previousMaxNs[line] = elapsed < 2 * PERIOD_NS ? currentMaxNs[line] : 0;
        currentMaxNs[line] = 0;
        periodStartNs[line] = nowNs;
    }
}
