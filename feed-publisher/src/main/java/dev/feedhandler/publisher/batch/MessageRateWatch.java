package dev.feedhandler.publisher.batch;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Watches whether the linger, not the message budget, sets the publisher's message rate, and says so. Batches are
 * per topic, and a batch whose first update has waited the linger goes whatever the budget says, so a feed whose
 * topics with traffic outnumber what the budget serves within one linger (2,000 instruments at 200k updates/s: about
 * one update per instrument per linger) sends up to one message per update: 122,000 messages/s against a budget of
 * 20,000 on the development machine, with 1.6 updates each, more than a subscriber on a small host takes (its PUB
 * queue fills, updates are dropped and recovered). Nothing in the wire format lets one message carry several topics,
 * so the only setting that helps is a longer linger; this watch makes the cause visible instead of leaving an
 * operator to find it from a subscriber's losses.
 * <p>
 * Every {@link #WINDOW_NS} (one second) of housekeeping it compares the batches sent in the window with the budget:
 * a window over {@link #OVER_FACTOR} times the budget in which most batches were closed by the linger counts as a
 * second over the budget. Full batches are not counted against it: a flat-out source sends full batches by design,
 * whatever the budget ({@code batching.md}). Publisher thread only; no allocation but the returned message.
 */
public final class MessageRateWatch
{
    /** Length of a window. */
    public static final long WINDOW_NS = TimeUnit.SECONDS.toNanos(1);
    /**
     * Batches per second over the budget, as a multiple of it, that count as over the budget: twice, so that 1M
     * updates/s over 50 instruments, linger-bound at 1.1-1.3 times the budget and kept up with on the development
     * machine, says nothing, while 2,000 instruments at 200k/s (6 times) does.
     */
    public static final double OVER_FACTOR = 2.0;
    /** Shortest time between two warnings. */
    public static final long WARN_INTERVAL_NS = TimeUnit.MINUTES.toNanos(5);

    private final long budgetPerSecond;
    private long windowStartNs;
    private long windowBatches;
    private long windowLingerFlushes;
    private long windowUpdates;
    private boolean started;
    private long overSeconds;
    private long lastWarnNs;
    private boolean warned;

    /**
     * A watch of one publisher session's batching.
     *
     * @param configuration the batching settings: the budget (no watch when it is off).
     */
    public MessageRateWatch(final BatchConfiguration configuration)
    {
        this.budgetPerSecond = configuration.maxMessagesPerSecond();
    }

    /**
     * Publisher thread, from its housekeeping: takes the batcher's running totals.
     *
     * @param nowNs         {@link System#nanoTime()} now.
     * @param batches       batches published so far.
     * @param lingerFlushes of them, batches closed by the linger.
     * @param updates       updates published so far.
     * @param topics        topics of the session.
     * @param lingerNs      the linger now (it may have stretched, {@link LingerControl}).
     * @return a one-line warning to log when this window starts a spell over the budget (at most one every
     *         {@link #WARN_INTERVAL_NS}), else null.
     */
    public String onHousekeeping(
        final long nowNs, final long batches, final long lingerFlushes, final long updates, final int topics,
        final long lingerNs)
    {
        if (budgetPerSecond <= 0 || budgetPerSecond == Long.MAX_VALUE)
        {
            return null;
        }
        if (!started)
        {
            restart(nowNs, batches, lingerFlushes, updates);
            started = true;
            return null;
        }
        final long elapsedNs = nowNs - windowStartNs;
        if (elapsedNs < WINDOW_NS)
        {
            return null;
        }
        final long sent = batches - windowBatches;
        final long lingered = lingerFlushes - windowLingerFlushes;
        final long carried = updates - windowUpdates;
        restart(nowNs, batches, lingerFlushes, updates);
        final double perSecond = sent * 1e9 / elapsedNs;
        if (perSecond <= budgetPerSecond * OVER_FACTOR || lingered * 2 <= sent)
        {
            return null;
        }
        overSeconds++;
        if (warned && nowNs - lastWarnNs < WARN_INTERVAL_NS)
        {
            return null;
        }
        warned = true;
        lastWarnNs = nowNs;
        return String.format(Locale.ROOT,
            "sending %,d messages/s, %.1f times the message budget of %,d/s (--batch-max-rate): " +
            "%d%% of them were closed by the %s linger with %.1f updates each, so the topics with traffic, not the " +
            "rate, set the messages; a subscriber that cannot take that many falls behind and loses updates to " +
            "its PUB queue. --envelope (each duty cycle's frames, all topics, in one message; subscribers then " +
            "filter topics themselves), fewer instruments per publisher, or a longer --batch-linger-max (a linger " +
            "that stretches only while needed) or --batch-linger (each update may wait that long; with %,d topics " +
            "of similar activity about %s keeps to the budget), send fewer messages " +
            "(docs/batching.md#many-instruments)",
            Math.round(perSecond), perSecond / budgetPerSecond, budgetPerSecond, lingered * 100 / sent,
            duration(lingerNs), (double)carried / sent, topics, duration(topics * 1_000_000_000L / budgetPerSecond));
    }

    /**
     * Windows of one second spent over the budget because of the linger, this session.
     *
     * @return the count.
     */
    public long overBudgetSeconds()
    {
        return overSeconds;
    }

    private static String duration(final long ns)
    {
        if (ns >= 1_000_000_000L)
        {
            return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
        }
        return ns >= 1_000_000 ? ns / 1_000_000 + " ms" : ns / 1_000 + " µs";
    }

    private void restart(final long nowNs, final long batches, final long lingerFlushes, final long updates)
    {
        windowStartNs = nowNs;
        windowBatches = batches;
        windowLingerFlushes = lingerFlushes;
        windowUpdates = updates;
    }
}
