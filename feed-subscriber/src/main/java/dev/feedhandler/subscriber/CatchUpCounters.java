package dev.feedhandler.subscriber;

import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The subscriber's catch-up figures (part of {@link SubscriberCounters}): topics switched to a stream from the
 * recovery service, live updates let go meanwhile, what the streams brought and how long catching up took. Written
 * by the receiver thread only, read from any thread.
 */
public final class CatchUpCounters
{
    private final AtomicCounter catchUps;
    private final AtomicCounter catchUpDrops;
    private final AtomicCounter catchUpUpdates;
    private final AtomicCounter catchUpNanos;
    private final AtomicCounter catchUpLongestNanos;
    private final AtomicCounter catchUpLastEndNs;
    private final AtomicCounter spells;
    private final AtomicCounter firstSpellNanos;
    private final AtomicCounter firstSpellUpdates;
    private final AtomicCounter firstSpellEndNs;
    private final AtomicCounter lastSpellNanos;
    private final AtomicCounter lastSpellUpdates;
    private long updatesAtLastSpellEnd;

    CatchUpCounters(final ProcessCounters process)
    {
        catchUps = process.newCounter(CounterTypes.SUBSCRIBER, "catch-ups");
        catchUpDrops = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up live updates let go");
        catchUpUpdates = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up updates");
        catchUpNanos = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up time ns");
        catchUpLongestNanos = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up longest ns");
        catchUpLastEndNs = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up last end ns");
        spells = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up spells");
        firstSpellNanos = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up first spell ns");
        firstSpellUpdates = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up first spell updates");
        firstSpellEndNs = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up first spell end ns");
        lastSpellNanos = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up last spell ns");
        lastSpellUpdates = process.newCounter(CounterTypes.SUBSCRIBER, "catch-up last spell updates");
    }

    /**
     * Receiver thread: a topic switched to catch-up (a stream from the recovery service, merged into the live feed)
     * instead of holding more live updates back or asking for a gap page by page.
     */
    public void onStart()
    {
        catchUps.incrementRelease();
    }

    /**
     * Receiver thread: live updates of a topic catching up were let go (its stream brings them), to keep the memory
     * held back bounded.
     *
     * @param updates how many.
     */
    public void onLiveDrop(final long updates)
    {
        catchUpDrops.getAndAddRelease(updates);
    }

    /**
     * Receiver thread: updates of a catching-up topic came from its stream.
     *
     * @param updates how many.
     */
    public void onRecovered(final long updates)
    {
        catchUpUpdates.getAndAddRelease(updates);
    }

    /**
     * Receiver thread: a spell of catching up is over (every topic that caught up merged into the live feed). The
     * first and the last spell are kept apart: a process's first catch-up runs code the JIT compiles meanwhile, a
     * later one runs it compiled.
     *
     * @param durationNs how long it lasted.
     * @param endNs      when it ended ({@link System#nanoTime()}).
     */
    public void onSpell(final long durationNs, final long endNs)
    {
        final long total = catchUpUpdates.get();
        final long updates = total - updatesAtLastSpellEnd;
        updatesAtLastSpellEnd = total;
        if (spells.get() == 0)
        {
            firstSpellNanos.setRelease(durationNs);
            firstSpellUpdates.setRelease(updates);
            firstSpellEndNs.setRelease(endNs);
        }
        lastSpellNanos.setRelease(durationNs);
        lastSpellUpdates.setRelease(updates);
        spells.incrementRelease();
        catchUpNanos.getAndAddRelease(durationNs);
        if (durationNs > catchUpLongestNanos.get())
        {
            catchUpLongestNanos.setRelease(durationNs);
        }
        catchUpLastEndNs.setRelease(endNs);
    }

    /**
     * Times a topic switched to catch-up.
     *
     * @return the count.
     */
    public long count()
    {
        return catchUps.get();
    }

    /**
     * Live updates let go while their topic caught up (its stream brought them again).
     *
     * @return the count.
     */
    public long liveDrops()
    {
        return catchUpDrops.get();
    }

    /**
     * Updates that catching-up topics got from their streams.
     *
     * @return the count.
     */
    public long updates()
    {
        return catchUpUpdates.get();
    }

    /**
     * Time some topic was catching up, all spells together.
     *
     * @return nanoseconds.
     */
    public long nanos()
    {
        return catchUpNanos.get();
    }

    /**
     * The longest spell of catching up: from the first topic's switch to the last one's merge.
     *
     * @return nanoseconds.
     */
    public long longestNanos()
    {
        return catchUpLongestNanos.get();
    }

    /**
     * When the last spell of catching up ended ({@link System#nanoTime()}), 0 if none has.
     *
     * @return the time.
     */
    public long lastEndNs()
    {
        return catchUpLastEndNs.get();
    }

    /**
     * Spells of catching up that ended: periods from a first topic's switch to catch-up to the moment every
     * catching-up topic merged into the live feed.
     *
     * @return the count.
     */
    public long spells()
    {
        return spells.get();
    }

    /**
     * The first spell's length.
     *
     * @return nanoseconds, 0 if none ended.
     */
    public long firstSpellNanos()
    {
        return firstSpellNanos.get();
    }

    /**
     * Updates the streams delivered during the first spell.
     *
     * @return the count.
     */
    public long firstSpellUpdates()
    {
        return firstSpellUpdates.get();
    }

    /**
     * When the first spell ended ({@link System#nanoTime()}), 0 if none has.
     *
     * @return the time.
     */
    public long firstSpellEndNs()
    {
        return firstSpellEndNs.get();
    }

    /**
     * The last spell's length.
     *
     * @return nanoseconds, 0 if none ended.
     */
    public long lastSpellNanos()
    {
        return lastSpellNanos.get();
    }

    /**
     * Updates the streams delivered during the last spell.
     *
     * @return the count.
     */
    public long lastSpellUpdates()
    {
        return lastSpellUpdates.get();
    }
}
