package dev.feedhandler.common.concurrent;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits without ever spinning or yielding, and after every duty cycle, also one that did work: a cycle that did work
 * parks the shortest period, and each idle cycle in a row doubles the park up to the longest. So a busy thread wakes
 * at most about once per shortest period whatever its traffic, and an idle one once per longest period: the
 * wake-ups, which cost 20-40 us of CPU each on the 2-core development machine, are bounded, not the traffic. Unlike
 * Agrona's strategies, work done does not mean "run again at once": an agent that has more ready must do it before
 * it returns. On Linux a park lasts at least the requested time plus the timer slack (50 us by default).
 */
public final class ParkingIdleStrategy implements IdleStrategy
{
    /** The name under which {@link IdleStrategies} knows it. */
    public static final String ALIAS = "park";

    private final long minParkNs;
    private final long maxParkNs;
    private long parkNs;

    /**
     * A strategy.
     *
     * @param minParkNs the shortest park, after work was done.
     * @param maxParkNs the longest park, after a long idle spell.
     */
    public ParkingIdleStrategy(final long minParkNs, final long maxParkNs)
    {
        if (minParkNs < 1 || maxParkNs < minParkNs)
        {
            throw new IllegalArgumentException("park periods must satisfy 1 <= min <= max, were " + minParkNs +
                " and " + maxParkNs);
        }
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.parkNs = minParkNs;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        idle();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle()
    {
        LockSupport.parkNanos(parkNs);
        parkNs = Math.min(parkNs << 1, maxParkNs);
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
