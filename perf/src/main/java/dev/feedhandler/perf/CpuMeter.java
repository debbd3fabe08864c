package dev.feedhandler.perf;

import dev.feedhandler.cli.json.Json;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The cores each process of a run used over the measured window: a thread of the harness reads every process's
 * {@code utime + stime} from {@code /proc/PID/stat} ten times a second and watches the publisher's output for the
 * line it writes when it stops sending ({@code session ended} from the feed, {@code sending ended} from the
 * baselines). The window is the last {@code seconds} before the last sample taken while the publisher was still
 * sending, so it lies inside the sending phase after the warm-up; a process's CPU time at the window's edges is
 * interpolated between samples. Cores = CPU seconds in the window / window seconds (all of a process's threads:
 * JVM's GC and JIT threads, JeroMQ's and libzmq's I/O threads included).
 */
final class CpuMeter implements AutoCloseable
{
    /** The file in a run's directory. */
    static final String FILE = "cpu.json";

    private static final Pattern END_OF_SENDING = Pattern.compile("session ended|sending ended");
    private static final long SAMPLE_INTERVAL_MS = 100;
    private static final double TICKS_PER_SECOND = clockTicks();

    private final Map<String, Long> pids = new ConcurrentHashMap<>();
    private final Map<String, List<long[]>> series = new ConcurrentHashMap<>();
    private final Path markerFile;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastSendingSampleNs = -1;
    private volatile long markerSeenNs = -1;
    private long markerOffset;

    private CpuMeter(final Path markerFile)
    {
        this.markerFile = markerFile;
        this.thread = new Thread(this::sample, "cpu-meter");
        thread.setDaemon(true);
    }

    /**
     * Starts sampling; processes are added with {@link #watch} as they start.
     *
     * @param markerFile the output in which the publisher says it stopped sending.
     * @return the running meter.
     */
    static CpuMeter start(final Path markerFile)
    {
        final CpuMeter meter = new CpuMeter(markerFile);
        meter.thread.start();
        return meter;
    }

    /**
     * Samples a process from now on.
     *
     * @param name the name in the report ({@code pub}, {@code sub0}, ...).
     * @param pid  its process id.
     */
    void watch(final String name, final long pid)
    {
        series.put(name, java.util.Collections.synchronizedList(new ArrayList<>()));
        pids.put(name, pid);
    }

    private void sample()
    {
        while (running)
        {
            final long now = System.nanoTime();
            final boolean ended = markerSeenNs >= 0 || markerSeen();
            if (ended && markerSeenNs < 0)
            {
                markerSeenNs = now;
            }
            for (final Map.Entry<String, Long> entry : pids.entrySet())
            {
                final long ticks = cpuTicks(entry.getValue());
                if (ticks >= 0)
                {
                    series.get(entry.getKey()).add(new long[] {now, ticks});
                }
            }
            if (!ended)
            {
                lastSendingSampleNs = now;
            }
            try
            {
                Thread.sleep(SAMPLE_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private boolean markerSeen()
    {
        if (!Files.exists(markerFile))
        {
            return false;
        }
        try (RandomAccessFile file = new RandomAccessFile(markerFile.toFile(), "r"))
        {
            final long length = file.length();
            if (length <= markerOffset)
            {
                return false;
            }
            // Keep a line's worth of overlap so a marker split across two reads is still found.
            final long from = Math.max(0, markerOffset - 256);
            final byte[] bytes = new byte[(int)Math.min(length - from, 1 << 20)];
            file.seek(from);
            file.readFully(bytes);
            markerOffset = from + bytes.length;
            return END_OF_SENDING.matcher(new String(bytes, StandardCharsets.UTF_8)).find();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Whether the publisher has said that it stopped sending. */
    boolean sawEndOfSending()
    {
        return markerSeenNs >= 0;
    }

    /** utime + stime of a process in clock ticks, or -1 if it is gone. */
    static long cpuTicks(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"),
                StandardCharsets.US_ASCII);
            // Fields after the command name (which may hold spaces) in parentheses: state is field 3, utime 14.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * Stops sampling and writes each process's cores over the window to {@value #FILE} in the run's directory
     * (nothing when the publisher never said it stopped sending, or the window is not covered by samples).
     *
     * @param directory the run's directory.
     * @param seconds   the measured seconds of the run: the window's length.
     */
    void stopAndWrite(final Path directory, final int seconds)
    {
        close();
        final Map<String, Object> summary = summary(seconds);
        if (summary.isEmpty())
        {
            return;
        }
        try
        {
            Files.writeString(directory.resolve(FILE), Json.write(summary), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            System.err.println("bench: cannot write " + directory.resolve(FILE) + ": " + ex.getMessage());
        }
    }

    Map<String, Object> summary(final int seconds)
    {
        final long endNs = lastSendingSampleNs;
        final long startNs = endNs - seconds * 1_000_000_000L;
        if (markerSeenNs < 0 || endNs < 0)
        {
            return Map.of();
        }
        final Map<String, Object> processes = new LinkedHashMap<>();
        for (final String name : new ArrayList<>(pids.keySet()).stream().sorted().toList())
        {
            final List<long[]> samples;
            synchronized (series.get(name))
            {
                samples = new ArrayList<>(series.get(name));
            }
            final double atStart = ticksAt(samples, startNs);
            final double atEnd = ticksAt(samples, endNs);
            if (Double.isNaN(atStart) || Double.isNaN(atEnd))
            {
                continue;
            }
            final double cpuSeconds = (atEnd - atStart) / TICKS_PER_SECOND;
            final Map<String, Object> process = new LinkedHashMap<>();
            process.put("pid", pids.get(name));
            process.put("cpuSeconds", Math.round(cpuSeconds * 1000) / 1000.0);
            process.put("cores", Math.round(cpuSeconds / seconds * 1000) / 1000.0);
            processes.put(name, process);
        }
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("windowSeconds", seconds);
        summary.put("method", "utime+stime from /proc/PID/stat, sampled every " + SAMPLE_INTERVAL_MS +
            " ms, over the last " + seconds + " s before the publisher stopped sending");
        summary.put("processes", processes);
        return summary;
    }

    /** CPU ticks at a time, interpolated between the samples around it; NaN outside the samples. */
    private static double ticksAt(final List<long[]> samples, final long timeNs)
    {
        for (int i = 1; i < samples.size(); i++)
        {
            final long[] before = samples.get(i - 1);
            final long[] after = samples.get(i);
            if (before[0] <= timeNs && timeNs <= after[0])
            {
                final double fraction = after[0] == before[0] ? 0 : (timeNs - before[0]) / (double)(after[0] -
                    before[0]);
                return before[1] + fraction * (after[1] - before[1]);
            }
        }
        return Double.NaN;
    }

    private static double clockTicks()
    {
        try
        {
            final Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            final String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            getconf.waitFor();
            return Double.parseDouble(out);
        }
        catch (final IOException | RuntimeException ex)
        {
            return 100;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(1000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
