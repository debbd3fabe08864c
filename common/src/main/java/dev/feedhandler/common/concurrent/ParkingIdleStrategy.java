package dev.feedhandler.common.concurrent;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits without ever spinning or yielding, and after every duty cycle, also one that did work: a cycle that did work
 * parks the shortest period, and each idle cycle in a row doubles the park up to the longest. So a busy thread wakes
 * at most about once per shortest period whatever its traffic, and an idle one once per longest period: the
 * wake-ups, which cost 20-40 us of CPU each on the 2-core development machine, are bounded, not the traffic. Unlike
 * Agrona's strategies, work done does not mean "run again at once": an agent that has more ready must do it before
 * it returns. On Linux a park lasts at least the requested time plus the timer slack (50 us by default).
 * <p>
 * An agent that knows when its next timed duty is due (a paced source's next update, a heartbeat, housekeeping) says
 * so with {@link #wakeAt(long)} before it returns no work: that idle cycle then parks until then (at least the
 * shortest park, at most {@code maxDueParkNs}) instead of backing off, so an idle thread wakes when there is
 * something to do rather than every longest period (issue 12: 216 wake-ups a second of an idle publisher).
 */
public final class ParkingIdleStrategy implements IdleStrategy
{
    /** The name under which {@link IdleStrategies} knows it. */
    public static final String ALIAS = "park";

    private final long minParkNs;
    private final long maxParkNs;
    private final long maxDueParkNs;
    private final NanoClock clock;
    private long parkNs;
    private long dueNs;
    private boolean due;

    /**
     * A strategy.
     *
     * @param minParkNs the shortest park, after work was done.
     * @param maxParkNs the longest park, after a long idle spell.
     */
    public ParkingIdleStrategy(final long minParkNs, final long maxParkNs)
    {
        this(minParkNs, maxParkNs, maxParkNs, SystemNanoClock.INSTANCE);
    }

    /**
     * A strategy that also parks until a due time it is told.
     *
     * @param minParkNs    the shortest park, after work was done.
     * @param maxParkNs    the longest park of the backoff, after a long idle spell without a due time.
     * @param maxDueParkNs the longest park until a due time.
     * @param clock        the time due times are compared with ({@link System#nanoTime()} but in tests).
     */
    public ParkingIdleStrategy(final long minParkNs, final long maxParkNs, final long maxDueParkNs,
        final NanoClock clock)
    {
        if (minParkNs < 1 || maxParkNs < minParkNs || maxDueParkNs < minParkNs)
        {
            throw new IllegalArgumentException("park periods must satisfy 1 <= min <= max, were " + minParkNs +
                ", " + maxParkNs + " and " + maxDueParkNs);
        }
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.maxDueParkNs = maxDueParkNs;
        this.clock = clock;
        this.parkNs = minParkNs;
    }

    /**
     * Says when the agent's next timed duty is due: the next idle cycle without work parks until then. Forgotten
     * after that cycle (the agent says it again each cycle it knows), and after a cycle with work.
     *
     * @param deadlineNs the due time, on the clock's time line.
     */
    public void wakeAt(final long deadlineNs)
    {
        dueNs = deadlineNs;
        due = true;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle(final int workCount)
    {
        LockSupport.parkNanos(parkNsFor(workCount));
    }

    /**
     * How long the next idle cycle parks, and the backoff's step: the shortest park after work; until the due time,
     * within [shortest, longest due park], if one was given; otherwise the backoff's current park, doubled for the
     * next idle cycle up to the longest.
     *
     * @param workCount the work the duty cycle did.
     * @return nanoseconds to park.
     */
    long parkNsFor(final int workCount)
    {
        final boolean wasDue = due;
        due = false;
        if (workCount > 0)
        {
            reset();
        }
        else if (wasDue)
        {
            return Math.max(minParkNs, Math.min(dueNs - clock.nanoTime(), maxDueParkNs));
        }
        final long nextNs = parkNs;
        parkNs = Math.min(parkNs << 1, maxParkNs);
        return nextNs;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle()
    {
        LockSupport.parkNanos(parkNsFor(0));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void reset()
    {
        parkNs = minParkNs;
    }

    /**
     * The park the next idle cycle takes.
     *
     * @return nanoseconds.
     */
    public long nextParkNs()
    {
        return parkNs;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String alias()
    {
        return ALIAS;
    }
}
