package dev.feedhandler.common.metrics;

import dev.feedhandler.common.latency.LatencyReport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Latency over a sliding window, for metrics and status lines. One thread records values (wait-free, no
 * allocation: HdrHistogram's {@link SingleWriterRecorder}); a daemon thread swaps the recorder's interval
 * histogram out once per slice ({@value #SLICE_MS} ms) into a ring of slices, and readers add up the slices they
 * need. Two significant digits (1% resolution) keep each slice small.
 */
public final class LatencyWindow implements AutoCloseable
{
    /** Length of one slice of the window. */
    public static final long SLICE_MS = 1_000;

    /** Default window: the last 60 slices (one minute). */
    public static final int DEFAULT_SLICES = 60;

    private static final int DIGITS = 2;
    private static final double NANOS_PER_SECOND = 1e9;

    private final SingleWriterRecorder recorder =
        new SingleWriterRecorder(1, LatencyReport.HIGHEST_TRACKABLE_NS, DIGITS);
    private final Histogram[] slices;
    private final Histogram sum = new Histogram(1, LatencyReport.HIGHEST_TRACKABLE_NS, DIGITS);
    private final ScheduledExecutorService roller;
    private Histogram spare;
    private int next;
    private long totalCount;
    private double totalSeconds;

    /**
     * A window of {@link #DEFAULT_SLICES} slices that rolls on its own daemon thread.
     */
    public LatencyWindow()
    {
        this(DEFAULT_SLICES, true);
    }

    /**
     * A window.
     *
     * @param slices how many slices of {@value #SLICE_MS} ms it spans.
     * @param roll   whether to roll on a daemon thread; if not, the owner calls {@link #roll()} (tests).
     */
    public LatencyWindow(final int slices, final boolean roll)
    {
        if (slices < 1)
        {
            throw new IllegalArgumentException("a window needs at least one slice");
        }
        this.slices = new Histogram[slices];
        for (int i = 0; i < slices; i++)
        {
            this.slices[i] = recorder.getIntervalHistogram();
        }
        spare = recorder.getIntervalHistogram();
        if (roll)
        {
            roller = Executors.newSingleThreadScheduledExecutor(runnable ->
            {
                final Thread thread = new Thread(runnable, "feed-latency-window");
                thread.setDaemon(true);
                return thread;
            });
            roller.scheduleAtFixedRate(this::roll, SLICE_MS, SLICE_MS, TimeUnit.MILLISECONDS);
        }
        else
        {
            roller = null;
        }
    }

    /**
     * Records a latency. One thread only; wait-free and allocation-free.
     *
     * @param nanos the latency in nanoseconds; clamped to 1 ns .. one hour.
     */
    public void record(final long nanos)
    {
        recorder.recordValue(Math.max(1, Math.min(nanos, LatencyReport.HIGHEST_TRACKABLE_NS)));
    }

    /**
     * Records the same latency for several updates (one clock read per batch). One thread only; wait-free and
     * allocation-free.
     *
     * @param nanos the latency in nanoseconds; clamped to 1 ns .. one hour.
     * @param count how many updates had it.
     */
    public void record(final long nanos, final long count)
    {
        recorder.recordValueWithCount(Math.max(1, Math.min(nanos, LatencyReport.HIGHEST_TRACKABLE_NS)), count);
    }

    /**
     * Closes the current slice: what was recorded since the last roll becomes the newest slice and the oldest
     * slice leaves the window.
     */
    public synchronized void roll()
    {
        final Histogram interval = recorder.getIntervalHistogram(spare);
        spare = slices[next];
        slices[next] = interval;
        next = (next + 1) % slices.length;
        totalCount += interval.getTotalCount();
        if (interval.getTotalCount() > 0)
        {
            totalSeconds += interval.getMean() * interval.getTotalCount() / NANOS_PER_SECOND;
        }
    }

    /**
     * Percentiles over the newest slices.
     *
     * @param count how many slices (at most the window's).
     * @return the summary.
     */
    public synchronized Snapshot snapshot(final int count)
    {
        sum.reset();
        final int n = Math.min(count, slices.length);
        for (int i = 1; i <= n; i++)
        {
            sum.add(slices[(next - i + slices.length) % slices.length]);
        }
        final boolean empty = sum.getTotalCount() == 0;
        return new Snapshot(
            sum.getTotalCount(),
            empty ? 0 : sum.getValueAtPercentile(50.0),
            empty ? 0 : sum.getValueAtPercentile(99.0),
            empty ? 0 : sum.getValueAtPercentile(99.9),
            empty ? 0 : sum.getMaxValue(),
            totalCount,
            totalSeconds);
    }

    /**
     * Percentiles over the whole window.
     *
     * @return the summary.
     */
    public Snapshot snapshot()
    {
        return snapshot(slices.length);
    }

    /**
     * How many slices cover a duration.
     *
     * @param millis the duration.
     * @return at least one.
     */
    public static int slicesFor(final long millis)
    {
        return (int)Math.max(1, (millis + SLICE_MS - 1) / SLICE_MS);
    }

    /**
     * How many slices the window spans.
     *
     * @return the count.
     */
    public int slices()
    {
        return slices.length;
    }

    /**
     * Stops rolling.
     */
    @Override
    public void close()
    {
        if (roller != null)
        {
            roller.shutdownNow();
        }
    }

    /**
     * Percentiles over some slices, in nanoseconds, and totals since the start.
     *
     * @param count        values in the slices.
     * @param p50Ns        median.
     * @param p99Ns        99th percentile.
     * @param p999Ns       99.9th percentile.
     * @param maxNs        largest.
     * @param totalCount   values recorded since the start (rolled slices only).
     * @param totalSeconds their sum in seconds (to the histogram's 1% resolution).
     */
    public record Snapshot(
        long count, long p50Ns, long p99Ns, long p999Ns, long maxNs, long totalCount, double totalSeconds)
    {
    }
}
