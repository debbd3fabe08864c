package dev.feedhandler.common.concurrent;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits without ever spinning or yielding: each idle cycle parks the thread, from a shortest period that doubles on
 * every idle cycle in a row up to a longest one, and work done brings it back to the shortest. A busy thread so
 * wakes at most about once per shortest period, an idle one once per longest period: the wake-ups, not the
 * traffic, bound its CPU. On Linux a park lasts at least the requested time plus the timer slack (50 us by default).
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
        else
        {
            idle();
        }
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
