package dev.feedhandler.publisher.replay;

import dev.feedhandler.publisher.source.ReplaySpeed;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Paces a replay of journal entries by their recorded timestamps: the first entry is due at once, each later one
 * when its offset from the first, divided by the speed, has passed since the first was due. Flat out, every entry is
 * due at once. {@link JournalReplay} and {@code feed replay}'s printing both pace with it, so {@code --speed} means
 * the same whether the journal goes to a socket or to stdout.
 * <p>
 * A wait parks in slices of at most {@link #MAX_PARK_NS}, running the caller's idle work after each and giving up
 * once the replay no longer runs; its last {@link #SPIN_BELOW_NS} are spun, because a park overshoots by tens of
 * microseconds.
 */
public final class ReplayPacer
{
    /** Longest single park: while waiting, the idle work runs and a stop is seen at least this often. */
    static final long MAX_PARK_NS = 1_000_000;

    /** A wait shorter than this spins instead of parking. */
    static final long SPIN_BELOW_NS = 50_000;

    /** A park ends this long before the entry is due, so that its overshoot does not make the entry late. */
    static final long PARK_EARLY_NS = 20_000;

    private final double speed;
    private final BooleanSupplier running;
    private final Runnable idleWork;
    private final NanoClock clock;
    private final LongConsumer parker;
    private boolean started;
    private long firstRecordedNs;
    private long firstDueNs;

    /**
     * A pacer on the system's monotonic clock.
     *
     * @param speed    1 for the recorded pace, N for N times faster (within {@link ReplaySpeed}'s bounds), 0 (or
     *                 infinity) for flat out.
     * @param running  ends a wait early when it turns false.
     * @param idleWork run after each park of a wait (reads subscriptions, flushes output), or a no-op.
     * @throws IllegalArgumentException if the speed is out of bounds.
     */
    public ReplayPacer(final double speed, final BooleanSupplier running, final Runnable idleWork)
    {
        this(speed, running, idleWork, SystemNanoClock.INSTANCE, LockSupport::parkNanos);
    }

    /**
     * A pacer on a given clock (tests).
     *
     * @param speed    as for {@link #ReplayPacer(double, BooleanSupplier, Runnable)}.
     * @param running  ends a wait early when it turns false.
     * @param idleWork run after each park of a wait.
     * @param clock    monotonic nanoseconds.
     * @param parker   parks the thread for about the nanoseconds given.
     * @throws IllegalArgumentException if the speed is out of bounds.
     */
    ReplayPacer(final double speed, final BooleanSupplier running, final Runnable idleWork, final NanoClock clock,
        final LongConsumer parker)
    {
        if (speed != 0 && speed != Double.POSITIVE_INFINITY && !ReplaySpeed.isValid(speed))
        {
            throw new IllegalArgumentException("replay speed must be at least " + ReplaySpeed.MIN_SPEED_TEXT +
                ", or 0 or infinity for flat out, was " + speed);
        }
        this.speed = Double.isInfinite(speed) ? 0 : speed;
        this.running = running;
        this.idleWork = idleWork;
        this.clock = clock;
        this.parker = parker;
    }

    /**
     * Whether entries wait for their time at all (false flat out).
     *
     * @return true at a finite speed.
     */
    public boolean paced()
    {
        return speed > 0;
    }

    /**
     * Waits until an entry is due: the first at once, a later one at its recorded offset from the first divided by
     * the speed. An offset that would overflow saturates (see {@link ReplaySpeed}).
     *
     * @param recordedNs the entry's recorded timestamp, nanoseconds (its journal timestamp).
     * @return true when the entry is due, false if the replay stopped running before it was.
     */
    public boolean awaitDue(final long recordedNs)
    {
        if (speed <= 0)
        {
            return true;
        }
        if (!started)
        {
            started = true;
            firstRecordedNs = recordedNs;
            firstDueNs = clock.nanoTime();
            return true;
        }
        final long dueNs = firstDueNs + (long)((recordedNs - firstRecordedNs) / speed);
        long waitNs;
        while ((waitNs = dueNs - clock.nanoTime()) > 0)
        {
            if (!running.getAsBoolean())
            {
                return false;
            }
            if (waitNs > SPIN_BELOW_NS)
            {
                parker.accept(Math.min(waitNs - PARK_EARLY_NS, MAX_PARK_NS));
                idleWork.run();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        return true;
    }
}
