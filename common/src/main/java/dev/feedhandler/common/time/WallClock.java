package dev.feedhandler.common.time;

import org.agrona.concurrent.EpochNanoClock;

import java.time.Instant;

/**
 * Epoch time in nanoseconds, cheap enough for every batch and every update, and comparable across the processes
 * of one host.
 * <p>
 * Reading {@code CLOCK_REALTIME} through {@link Instant#now()} on every call may allocate. Instead this clock
 * samples the offset between the wall clock (with its full nanosecond resolution, not milliseconds) and
 * {@link System#nanoTime()} (CLOCK_MONOTONIC), keeping the sample with the narrowest window, and adds it to
 * {@code System.nanoTime()}. On Linux both clocks follow the same NTP frequency corrections, so the offset only
 * moves when the wall clock is stepped; it is re-sampled every second to follow such steps. Two processes on one
 * host therefore read the same kernel clocks and agree to within the sampling window (well under a microsecond).
 */
public final class WallClock implements EpochNanoClock
{
    private static final long RESAMPLE_INTERVAL_NS = 1_000_000_000L;
    private static final int SAMPLE_ATTEMPTS = 20;

    private static final WallClock SHARED = new WallClock();

    private volatile long offsetNs;
    private volatile long sampledAtNs;

    /**
     * A new clock, sampled now.
     */
    public WallClock()
    {
        sample();
    }

    /**
     * The clock shared by the threads of this process.
     *
     * @return the shared clock.
     */
    public static WallClock shared()
    {
        return SHARED;
    }

    /**
     * Epoch nanoseconds now, from the shared clock.
     *
     * @return nanoseconds since 1970-01-01T00:00:00Z.
     */
    public static long epochNanos()
    {
        return SHARED.nanoTime();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long nanoTime()
    {
        final long now = System.nanoTime();
        if (now - sampledAtNs > RESAMPLE_INTERVAL_NS)
        {
            resample(now);
        }
        return now + offsetNs;
    }

    /**
     * Converts a {@link System#nanoTime()} reading to epoch nanoseconds with the current offset.
     *
     * @param monotonicNs a {@code System.nanoTime()} value.
     * @return the matching epoch nanoseconds.
     */
    public long toEpochNanos(final long monotonicNs)
    {
        if (monotonicNs - sampledAtNs > RESAMPLE_INTERVAL_NS)
        {
            resample(monotonicNs);
        }
        return monotonicNs + offsetNs;
    }

    private synchronized void resample(final long now)
    {
        if (now - sampledAtNs > RESAMPLE_INTERVAL_NS)
        {
            sample();
        }
    }

    /**
     * Re-samples the offset between the wall clock and the monotonic clock.
     */
    public synchronized void sample()
    {
        long bestWindow = Long.MAX_VALUE;
        long bestOffset = 0;
        long bestAt = 0;
        for (int i = 0; i < SAMPLE_ATTEMPTS; i++)
        {
            final long before = System.nanoTime();
            final Instant wall = Instant.now();
            final long after = System.nanoTime();
            final long window = after - before;
            if (window < bestWindow)
            {
                final long mid = before + (window >> 1);
                bestWindow = window;
                bestOffset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - mid;
                bestAt = mid;
            }
        }
        offsetNs = bestOffset;
        sampledAtNs = bestAt;
    }
}
