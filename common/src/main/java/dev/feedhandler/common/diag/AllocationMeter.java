package dev.feedhandler.common.diag;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures, over a window (typically after a warm-up), how many bytes chosen threads allocate per update and how
 * many garbage collections happen. Uses the JVM's per-thread allocation counters
 * ({@code com.sun.management.ThreadMXBean}), which cost nothing on the measured threads. Cold path.
 */
public final class AllocationMeter
{
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final Map<String, long[]> startBytes = new LinkedHashMap<>();
    private long startGcCount;
    private long startGcTimeMs;
    private long startUpdates;
    private long startNs;
    private boolean started;

    /**
     * Starts the window for the threads whose names start with one of the prefixes, and for an explicit thread.
     *
     * @param updates  updates counted so far (the window counts from here).
     * @param current  a thread to include whatever its name (the caller's, say), or null.
     * @param label    the name under which {@code current} is reported.
     * @param prefixes thread name prefixes to include.
     */
    public void start(final long updates, final Thread current, final String label, final String... prefixes)
    {
        startBytes.clear();
        if (current != null)
        {
            startBytes.put(label, new long[] {current.getId(), threads.getThreadAllocatedBytes(current.getId())});
        }
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            for (final String prefix : prefixes)
            {
                if (thread.getName().startsWith(prefix) && thread != current)
                {
                    startBytes.put(thread.getName(),
                        new long[] {thread.getId(), threads.getThreadAllocatedBytes(thread.getId())});
                }
            }
        }
        startGcCount = gcCount();
        startGcTimeMs = gcTimeMs();
        startUpdates = updates;
        startNs = System.nanoTime();
        started = true;
    }

    /**
     * Whether {@link #start} was called.
     *
     * @return true once started.
     */
    public boolean started()
    {
        return started;
    }

    /**
     * Ends the window.
     *
     * @param updates updates counted so far.
     * @return {@code windowSeconds}, {@code updates}, {@code gcCount}, {@code gcTimeMs} and
     * {@code bytesPerUpdate} (thread name to bytes), or an empty map if the window never started.
     */
    public Map<String, Object> stop(final long updates)
    {
        final Map<String, Object> result = new LinkedHashMap<>();
        if (!started)
        {
            return result;
        }
        final long windowUpdates = updates - startUpdates;
        result.put("windowSeconds", Math.round((System.nanoTime() - startNs) / 1e6) / 1000.0);
        result.put("updates", windowUpdates);
        result.put("gcCount", gcCount() - startGcCount);
        result.put("gcTimeMs", gcTimeMs() - startGcTimeMs);
        final Map<String, Object> perThread = new LinkedHashMap<>();
        for (final Map.Entry<String, long[]> entry : startBytes.entrySet())
        {
            final long now = threads.getThreadAllocatedBytes(entry.getValue()[0]);
            if (now < 0)
            {
                continue;
            }
            final long bytes = now - entry.getValue()[1];
            perThread.put(entry.getKey(), windowUpdates > 0 ?
                Math.round(bytes * 1000.0 / windowUpdates) / 1000.0 : (double)bytes);
        }
        result.put("bytesPerUpdate", perThread);
        return result;
    }

    private static long gcCount()
    {
        long count = 0;
        final List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        for (final GarbageCollectorMXBean bean : beans)
        {
            count += Math.max(0, bean.getCollectionCount());
        }
        return count;
    }

    private static long gcTimeMs()
    {
        long time = 0;
        for (final GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans())
        {
            time += Math.max(0, bean.getCollectionTime());
        }
        return time;
    }
}
