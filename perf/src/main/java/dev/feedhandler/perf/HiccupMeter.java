package dev.feedhandler.perf;

import dev.feedhandler.cli.json.Json;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform's stalls while a scenario runs, measured the way jHiccup does: a thread in the harness's own JVM
 * (idle apart from this) asks to sleep 1 ms again and again and records how much later than asked it woke up. What
 * it records is time the operating system (on a shared 2-core machine: other runnable threads, the hypervisor) did
 * not give a thread that wanted to run, which is what the feed's own threads meet too; a latency maximum close to
 * the largest stall is explained by the platform rather than by the feed.
 */
final class HiccupMeter implements AutoCloseable
{
    static final String FILE = "hiccups.json";
    private static final long INTERVAL_NS = 1_000_000;

    private final Histogram histogram = new Histogram(60_000_000_000L, 3);
    private final Thread thread;
    private volatile boolean running = true;

    private HiccupMeter()
    {
        thread = new Thread(this::measure, "hiccup-meter");
        thread.setDaemon(true);
    }

    static HiccupMeter start()
    {
        final HiccupMeter meter = new HiccupMeter();
        meter.thread.start();
        return meter;
    }

    private void measure()
    {
        long before = System.nanoTime();
        while (running)
        {
            LockSupport.parkNanos(INTERVAL_NS);
            final long now = System.nanoTime();
            histogram.recordValue(Math.max(0, now - before - INTERVAL_NS));
            before = now;
        }
    }

    /**
     * Stops measuring and writes the stalls (microseconds: p50, p99, p99.9, p99.99, max, and the count of samples)
     * to {@value #FILE} in the run's directory.
     */
    void stopAndWrite(final Path directory) throws IOException, InterruptedException
    {
        close();
        Files.writeString(directory.resolve(FILE), Json.write(summary()), StandardCharsets.UTF_8);
    }

    Map<String, Object> summary()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("p50", micros(histogram.getValueAtPercentile(50)));
        map.put("p99", micros(histogram.getValueAtPercentile(99)));
        map.put("p999", micros(histogram.getValueAtPercentile(99.9)));
        map.put("p9999", micros(histogram.getValueAtPercentile(99.99)));
        map.put("max", micros(histogram.getMaxValue()));
        map.put("count", histogram.getTotalCount());
        return map;
    }

    private static double micros(final long nanos)
    {
        return Math.round(nanos / 100.0) / 10.0;
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        thread.join(1000);
    }
}
