package dev.feedhandler.perf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where threads' time went over a measured window, from Linux's {@code /proc/self/task/TID/schedstat}: on a CPU,
 * waiting in the run queue for one (runnable but not running: the machine's other work had the cores), or neither
 * (asleep: parked, blocked, waiting for another thread). This tells a starved thread from an idle one, which its CPU
 * time alone cannot: both use little CPU. A daemon thread of its own reads the files every 50 ms, so the measured
 * threads allocate nothing for it; each thread's window runs from its first reading after {@link #startWindow()} to
 * its last reading (a thread that ends early, such as the csv reader at the end of its file, is measured until
 * then). Where the files are missing (not Linux, a kernel without scheduler statistics) the figures are left out.
 */
final class ThreadSchedStat implements AutoCloseable
{
    private static final long INTERVAL_MS = 50;

    private final String[] names;
    private final Path[] files;
    private final long[][] first;
    private final long[][] last;
    private final Thread thread;
    private volatile boolean windowStarted;
    private volatile boolean running = true;

    private ThreadSchedStat(final Map<String, Path> tasks)
    {
        names = tasks.keySet().toArray(new String[0]);
        files = new Path[names.length];
        for (int i = 0; i < names.length; i++)
        {
            final Path task = tasks.get(names[i]);
            files[i] = task == null ? null : task.resolve("schedstat");
        }
        first = new long[names.length][];
        last = new long[names.length][];
        thread = new Thread(this::run, "schedstat");
        thread.setDaemon(true);
    }

    /**
     * Starts reading the statistics of the calling thread (under {@code selfName}) and of the threads of this
     * process with the given names.
     *
     * @param selfName the name the calling thread's figures go under.
     * @param others   thread names as {@code /proc/self/task/TID/comm} shows them (at most 15 characters).
     * @return the running reader; {@link #stop()} it before {@link #shares()}.
     */
    static ThreadSchedStat start(final String selfName, final String... others)
    {
        final Map<String, Path> tasks = new LinkedHashMap<>();
        tasks.put(selfName, realPath(Path.of("/proc/thread-self")));
        for (final String name : others)
        {
            tasks.put(name, named(name));
        }
        final ThreadSchedStat stat = new ThreadSchedStat(tasks);
        stat.thread.start();
        return stat;
    }

    /** Begins the window: the next reading of each thread is its start. */
    void startWindow()
    {
        windowStarted = true;
    }

    /**
     * Each thread's shares of its window: {@code cpu}, {@code runQueue} and {@code asleep}, fractions of the window's
     * wall time that add up to 1, and {@code seconds}, the window's length. A thread without two readings in the
     * window is left out.
     *
     * @return by thread name.
     */
    Map<String, Object> shares()
    {
        final Map<String, Object> shares = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++)
        {
            final long[] from = first[i];
            final long[] to = last[i];
            if (from == null || to == null || to[0] <= from[0])
            {
                continue;
            }
            final double windowNs = to[0] - from[0];
            final double cpu = (to[1] - from[1]) / windowNs;
            final double runQueue = (to[2] - from[2]) / windowNs;
            final Map<String, Object> thread = new LinkedHashMap<>();
            thread.put("cpu", cpu);
            thread.put("runQueue", runQueue);
            thread.put("asleep", Math.max(0, 1 - cpu - runQueue));
            thread.put("seconds", windowNs / 1e9);
            shares.put(names[i], thread);
        }
        return shares;
    }

    /** Stops reading (idempotent); the readings taken so far stay. */
    void stop()
    {
        running = false;
        thread.interrupt();
        try
        {
            thread.join(1_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        stop();
    }

    private void run()
    {
        while (running)
        {
            final boolean inWindow = windowStarted;
            for (int i = 0; i < files.length; i++)
            {
                final long[] reading = read(files[i]);
                if (reading == null || !inWindow)
                {
                    continue;
                }
                if (first[i] == null)
                {
                    first[i] = reading;
                }
                last[i] = reading;
            }
            try
            {
                Thread.sleep(INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /** One reading: {wall ns, cpu ns, run-queue wait ns}, or null. */
    private static long[] read(final Path file)
    {
        if (file == null)
        {
            return null;
        }
        try
        {
            final String[] fields = Files.readString(file).trim().split("\\s+");
            return new long[] {System.nanoTime(), Long.parseLong(fields[0]), Long.parseLong(fields[1])};
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    private static Path named(final String name)
    {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                final Path comm = task.resolve("comm");
                if (Files.isReadable(comm) && Files.readString(comm).trim().equals(name))
                {
                    return task;
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
        return null;
    }

    private static Path realPath(final Path path)
    {
        try
        {
            return path.toRealPath();
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }
}
