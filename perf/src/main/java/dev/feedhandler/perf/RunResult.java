package dev.feedhandler.perf;

import dev.feedhandler.cli.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one run produced: the publisher's and each subscriber's JSON summary, and where its files are.
 *
 * @param publisher   the publisher's summary (may be empty for some baselines).
 * @param subscribers every subscriber's summary.
 * @param directory   the run's directory.
 * @param error       null if the run went through, else why not.
 */
record RunResult(Map<String, Object> publisher, List<Map<String, Object>> subscribers, Path directory, String error)
{
    /**
     * A run done before, from its directory: the publisher's summary ({@code pub.out}, or the one an inproc run
     * nests in its own) and every subscriber's ({@code sub0.out}, {@code sub1.out}, ...).
     */
    static RunResult load(final Path directory)
    {
        final List<Map<String, Object>> subscribers = new ArrayList<>();
        for (int i = 0; Files.exists(directory.resolve("sub" + i + ".out")); i++)
        {
            subscribers.add(ChildProcess.summaryOf("sub" + i, directory.resolve("sub" + i + ".out"),
                directory.resolve("sub" + i + ".err")));
        }
        final Path pub = directory.resolve("pub.out");
        final Map<String, Object> publisher = Files.exists(pub) ?
            ChildProcess.summaryOf("pub", pub, directory.resolve("pub.err")) :
            subscribers.isEmpty() ? Map.of() : map(subscribers.get(0), "publisher");
        return new RunResult(publisher, subscribers, directory, null);
    }

    boolean ok()
    {
        return error == null && !subscribers.isEmpty() && subscribers.stream().noneMatch(s -> s.containsKey("error"));
    }

    /** Delivered updates per second after warm-up, the slowest subscriber's. */
    double deliveredRate()
    {
        double rate = Double.MAX_VALUE;
        for (final Map<String, Object> subscriber : subscribers)
        {
            rate = Math.min(rate, number(map(subscriber, "measured"), "updatesPerSecond"));
        }
        return subscribers.isEmpty() ? 0 : rate;
    }

    /** Updates the publisher sent (whole run). */
    long published()
    {
        return (long)number(publisher, "published");
    }

    /** The fewest updates any subscriber received (whole run). */
    long minReceived()
    {
        long min = Long.MAX_VALUE;
        for (final Map<String, Object> subscriber : subscribers)
        {
            min = Math.min(min, (long)number(subscriber, "received"));
        }
        return subscribers.isEmpty() ? 0 : min;
    }

    /** Gaps detected by all subscribers. */
    long gaps()
    {
        return subscribers.stream().mapToLong(s -> (long)number(s, "gapsDetected")).sum();
    }

    /** Updates reported unrecoverable by all subscribers. */
    long unrecoverable()
    {
        return subscribers.stream().mapToLong(s -> (long)number(s, "unrecoverable")).sum();
    }

    /** Updates recovered by all subscribers. */
    long recovered()
    {
        return subscribers.stream().mapToLong(s -> (long)number(s, "recovered")).sum();
    }

    /** No update lost for good: every subscriber received everything, every gap (if any) recovered. */
    boolean complete()
    {
        return lost() == 0 && unrecoverable() == 0;
    }

    /** Updates lost: published minus the fewest received (0 when every subscriber got everything). */
    long lost()
    {
        return publisher.isEmpty() ? 0 : Math.max(0, published() - minReceived());
    }

    /** A latency percentile in microseconds from the first subscriber ({@code latency_us} or the other map). */
    double latency(final String map, final String key)
    {
        return subscribers.isEmpty() ? 0 : number(map(subscribers.get(0), map), key);
    }

    /** The worst of a latency percentile across subscribers. */
    double worstLatency(final String map, final String key)
    {
        double worst = 0;
        for (final Map<String, Object> subscriber : subscribers)
        {
            worst = Math.max(worst, number(map(subscriber, map), key));
        }
        return worst;
    }

    /**
     * The platform's stalls during the run ({@link HiccupMeter}), in microseconds; empty if not measured.
     */
    Map<String, Object> hiccups()
    {
        final Path file = directory == null ? null : directory.resolve(HiccupMeter.FILE);
        try
        {
            return file != null && Files.exists(file) ?
                Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)) : Map.of();
        }
        catch (final IOException | RuntimeException ex)
        {
            return Map.of();
        }
    }

    /**
     * The cores each process used over the measured window ({@link CpuMeter}): process name to its figures; empty
     * if not measured.
     */
    Map<String, Object> cpu()
    {
        final Path file = directory == null ? null : directory.resolve(CpuMeter.FILE);
        try
        {
            return file != null && Files.exists(file) ?
                map(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)), "processes") : Map.of();
        }
        catch (final IOException | RuntimeException ex)
        {
            return Map.of();
        }
    }

    /** Cores used by the publisher's process (the one process of an inproc run), NaN if not measured. */
    double publisherCores()
    {
        final Map<String, Object> cpu = cpu();
        final String name = cpu.containsKey("pub") ? "pub" : "sub0";
        return cpu.containsKey(name) ? number(map(cpu, name), "cores") : Double.NaN;
    }

    /** Cores used by all subscriber processes together, NaN if not measured or there is no separate one. */
    double subscriberCores()
    {
        final Map<String, Object> cpu = cpu();
        if (!cpu.containsKey("pub"))
        {
            return Double.NaN;
        }
        double cores = 0;
        int count = 0;
        for (final Map.Entry<String, Object> entry : cpu.entrySet())
        {
            if (entry.getKey().startsWith("sub"))
            {
                cores += number(map(cpu, entry.getKey()), "cores");
                count++;
            }
        }
        return count == 0 ? Double.NaN : cores;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(final Map<String, Object> parent, final String key)
    {
        final Object value = parent == null ? null : parent.get(key);
        return value instanceof Map ? (Map<String, Object>)value : Map.of();
    }

    static double number(final Map<String, Object> map, final String key)
    {
        final Object value = map == null ? null : map.get(key);
        return value instanceof Number ? ((Number)value).doubleValue() : 0;
    }
}
