package dev.feedhandler.publisher.batch;

import java.util.concurrent.TimeUnit;

/**
 * A linger that stretches while it, not the message budget, sets the message rate ({@code --batch-linger-max}).
 * Batches are per topic, so when many instruments each have about one update per linger, every update lingers and
 * goes alone and the budget cannot hold the rate (docs/batching.md, "Many instruments"): 2,000 instruments at 200k
 * updates/s sent 113,000-151,000 messages/s against a budget of 20,000 on the development machine, and a subscriber
 * there lost up to a quarter of the feed; with a 100 ms linger, 16,000-19,000 messages/s and nothing lost. A fixed
 * long linger makes every quiet period pay it too; this one pays it only while needed.
 * <p>
 * Every {@link #WINDOW_NS} of duty cycles it compares the batches sent in the window with the budget: more than
 * {@link #GROW_OVER} times the budget, most of them closed by the linger, doubles the linger (up to the most);
 * less than {@link #SHRINK_UNDER} times the budget halves it (down to the configured one). Between the two it
 * stays, so a stretched linger that brought the rate back to the budget keeps it there. Off (the linger never
 * changes) when the most equals the linger or there is no budget. Publisher thread only; allocation-free.
 */
public final class LingerControl
{
    /** Length of a window. */
    public static final long WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Batches per window over the budget, as a multiple of it, that stretch the linger. */
    public static final double GROW_OVER = 1.1;
    /** Batches per window under the budget, as a multiple of it, that shorten a stretched linger. */
    public static final double SHRINK_UNDER = 0.6;

    private final long baseNs;
    private final long maxNs;
    private final double budgetPerNs;
    private final boolean enabled;
    private long currentNs;
    private long longestNs;
    private long windowStartNs;
    private long windowBatches;
    private long windowLingered;
    private boolean started;

    /**
     * A control for one session's batching.
     *
     * @param configuration the linger, its most and the budget.
     */
    public LingerControl(final BatchConfiguration configuration)
    {
        this.baseNs = configuration.lingerNs();
        this.maxNs = configuration.maxLingerNs();
        final long budget = configuration.maxMessagesPerSecond();
        final boolean limited = budget > 0 && budget != Long.MAX_VALUE;
        this.budgetPerNs = limited ? budget / 1e9 : 0;
        this.enabled = limited && baseNs > 0 && maxNs > baseNs;
        this.currentNs = baseNs;
        this.longestNs = baseNs;
    }

    /**
     * The linger now.
     *
     * @return nanoseconds; 0 when there is none.
     */
    public long nanos()
    {
        return currentNs;
    }

    /**
     * Whether the linger may still stretch further: a rate over the budget is then being dealt with.
     *
     * @return true while below the most.
     */
    public boolean canStretch()
    {
        return enabled && currentNs < maxNs;
    }

    /**
     * The longest linger of the session so far.
     *
     * @return nanoseconds.
     */
    public long longestNanos()
    {
        return longestNs;
    }

    /**
     * The longest the linger stretched to this session.
     *
     * @return nanoseconds; 0 if it never stretched.
     */
    public long stretchedNanos()
    {
        return longestNs > baseNs ? longestNs : 0;
    }

    /**
     * Each duty cycle's flush decision, before it: takes the batcher's running totals and, at the end of a window,
     * stretches or shortens the linger.
     *
     * @param nowNs         {@link System#nanoTime()} now.
     * @param batches       batches published so far.
     * @param lingerFlushes of them, batches closed by the linger.
     */
    public void onFlushDecision(final long nowNs, final long batches, final long lingerFlushes)
    {
        if (!enabled)
        {
            return;
        }
        if (!started)
        {
            started = true;
            restart(nowNs, batches, lingerFlushes);
            return;
        }
        final long elapsedNs = nowNs - windowStartNs;
        if (elapsedNs < WINDOW_NS)
        {
            return;
        }
        final long sent = batches - windowBatches;
        final long lingered = lingerFlushes - windowLingered;
        final double budget = budgetPerNs * elapsedNs;
        restart(nowNs, batches, lingerFlushes);
        if (sent > budget * GROW_OVER && lingered * 2 > sent)
        {
            currentNs = Math.min(maxNs, currentNs * 2);
            longestNs = Math.max(longestNs, currentNs);
        }
        else if (sent < budget * SHRINK_UNDER)
        {
            currentNs = Math.max(baseNs, currentNs / 2);
        }
    }

    private void restart(final long nowNs, final long batches, final long lingerFlushes)
    {
        windowStartNs = nowNs;
        windowBatches = batches;
        windowLingered = lingerFlushes;
    }
}
