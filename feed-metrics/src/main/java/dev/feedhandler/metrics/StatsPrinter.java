package dev.feedhandler.metrics;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints a one-line status every interval ({@code --stats-interval}) for people without a Prometheus server, on a
 * daemon thread. The line comes from a supplier that reads the same counters as the metrics.
 */
public final class StatsPrinter implements AutoCloseable
{
    private final ScheduledExecutorService timer;

    private StatsPrinter(final ScheduledExecutorService timer)
    {
        this.timer = timer;
    }

    /**
     * Starts printing.
     *
     * @param interval how often.
     * @param out      where (stderr).
     * @param line     the status line, built on the printer's thread.
     * @return the printer.
     */
    public static StatsPrinter start(final Duration interval, final PrintStream out, final Supplier<String> line)
    {
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "feed-stats");
            thread.setDaemon(true);
            return thread;
        });
        final long periodNs = interval.toNanos();
        timer.scheduleAtFixedRate(() ->
        {
            try
            {
                out.println(line.get());
                out.flush();
            }
            catch (final RuntimeException ex)
            {
                out.println("stats: " + ex);
            }
        }, periodNs, periodNs, TimeUnit.NANOSECONDS);
        return new StatsPrinter(timer);
    }

    /**
     * A rate per second between two readings of a counter.
     *
     * @param previous the earlier reading.
     * @param current  the later reading.
     * @param nanos    the time between them.
     * @return the rate, 0 for no time.
     */
    public static long ratePerSecond(final long previous, final long current, final long nanos)
    {
        return nanos <= 0 ? 0 : Math.round((current - previous) * 1e9 / nanos);
    }

    /**
     * Microseconds with one decimal, for status lines.
     *
     * @param nanos a duration in nanoseconds.
     * @return such as {@code 85.3us}.
     */
    public static String micros(final long nanos)
    {
        return String.format("%.1fus", nanos / 1000.0);
    }

    /**
     * Stops printing.
     */
    @Override
    public void close()
    {
        timer.shutdownNow();
    }
}
