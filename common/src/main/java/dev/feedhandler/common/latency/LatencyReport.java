package dev.feedhandler.common.latency;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summaries of a latency histogram recorded in nanoseconds: the percentile lines a person reads at the end of a
 * run, and the {@code latency_us} object of the JSON summary.
 */
public final class LatencyReport
{
    /** Highest latency a histogram tracks: one hour, in nanoseconds. */
    public static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;

    /** Significant decimal digits kept by every latency histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9, 99.99};
    private static final String[] KEYS = {"p50", "p90", "p99", "p999", "p9999"};

    private LatencyReport()
    {
    }

    /**
     * A histogram for latencies in nanoseconds, from 1 ns to one hour with 3 significant digits.
     *
     * @return a new histogram.
     */
    public static Histogram newHistogram()
    {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /**
     * The {@code latency_us} object: p50, p90, p99, p999, p9999 and max in microseconds, plus the count.
     *
     * @param histogram recorded in nanoseconds.
     * @return an ordered map ready for the JSON writer.
     */
    public static Map<String, Object> toMicros(final Histogram histogram)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        final boolean empty = histogram.getTotalCount() == 0;
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            map.put(KEYS[i], empty ? 0.0 : micros(histogram.getValueAtPercentile(PERCENTILES[i])));
        }
        map.put("max", empty ? 0.0 : micros(histogram.getMaxValue()));
        map.put("count", histogram.getTotalCount());
        return map;
    }

    /**
     * Prints the percentile summary a person reads at the end of a run.
     *
     * @param out       where to print.
     * @param title     what was measured.
     * @param histogram recorded in nanoseconds.
     */
    public static void print(final PrintStream out, final String title, final Histogram histogram)
    {
        out.println(title + " (microseconds, " + histogram.getTotalCount() + " samples):");
        if (histogram.getTotalCount() == 0)
        {
            out.println("  no samples");
            return;
        }
        final StringBuilder line = new StringBuilder("  min ").append(format(histogram.getMinValue()));
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            line.append("  ").append(KEYS[i]).append(' ')
                .append(format(histogram.getValueAtPercentile(PERCENTILES[i])));
        }
        line.append("  max ").append(format(histogram.getMaxValue()));
        out.println(line);
    }

    private static String format(final long nanos)
    {
        return String.format("%.1f", nanos / 1000.0);
    }

    private static double micros(final long nanos)
    {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
