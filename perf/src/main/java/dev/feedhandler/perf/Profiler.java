package dev.feedhandler.perf;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A profiled run of the throughput reference: Java Flight Recorder on the publisher and the subscriber, then, per
 * process, where the CPU samples fall (by thread, and the hottest methods by thread) and the GC pauses, so that
 * the report can say what limits the throughput from a profile rather than a guess.
 */
final class Profiler
{
    private static final int TOP = 12;

    private Profiler()
    {
    }

    static Map<String, List<String>> profile(
        final BenchEnvironment environment, final Path directory, final BenchSettings settings)
        throws IOException, InterruptedException
    {
        Files.createDirectories(directory);
        final Path pubJfr = directory.resolve("pub.jfr");
        final Path subJfr = directory.resolve("sub.jfr");
        final FeedScenario scenario = Catalog.throughputReference().withJvmFlags("-profiled",
            List.of("-XX:StartFlightRecording=filename=" + pubJfr + ",settings=profile"),
            List.of("-XX:StartFlightRecording=filename=" + subJfr + ",settings=profile"));
        final RunResult result = scenario.run(environment, directory, settings);
        final Map<String, List<String>> summary = new LinkedHashMap<>();
        summary.put("run", List.of(BenchRunner.describe(scenario, result)));
        summary.put("publisher", summarize(pubJfr));
        summary.put("subscriber", summarize(subJfr));
        return summary;
    }

    /**
     * The summary of a profiled run done before, from its directory.
     */
    static Map<String, List<String>> load(final Path directory) throws IOException
    {
        final Map<String, List<String>> summary = new LinkedHashMap<>();
        summary.put("run", List.of(BenchRunner.describe(Catalog.throughputReference(), RunResult.load(directory))));
        summary.put("publisher", summarize(directory.resolve("pub.jfr")));
        summary.put("subscriber", summarize(directory.resolve("sub.jfr")));
        return summary;
    }

    static List<String> summarize(final Path recording) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        if (!Files.exists(recording))
        {
            lines.add("no recording");
            return lines;
        }
        final Map<String, Integer> byThread = new HashMap<>();
        final Map<String, Integer> byMethod = new HashMap<>();
        int samples = 0;
        int gcs = 0;
        double gcMs = 0;
        for (final RecordedEvent event : RecordingFile.readAllEvents(recording))
        {
            final String type = event.getEventType().getName();
            if ("jdk.GarbageCollection".equals(type))
            {
                gcs++;
                gcMs += event.getDuration().toNanos() / 1e6;
                continue;
            }
            if (!"jdk.ExecutionSample".equals(type))
            {
                continue;
            }
            final RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty())
            {
                continue;
            }
            samples++;
            final String thread = threadGroup(event.getThread("sampledThread").getJavaName());
            byThread.merge(thread, 1, Integer::sum);
            final RecordedFrame top = stack.getFrames().get(0);
            byMethod.merge(thread + ": " + shortName(top.getMethod().getType().getName()) + "." +
                top.getMethod().getName(), 1, Integer::sum);
        }
        final int total = Math.max(1, samples);
        lines.add(String.format("%d CPU samples; %d GC pauses, %.0f ms in total", samples, gcs, gcMs));
        byThread.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e ->
            lines.add(String.format("thread %-16s %5.1f%% of samples", e.getKey(), 100.0 * e.getValue() / total)));
        byMethod.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(TOP).forEach(e ->
            lines.add(String.format("  %5.1f%%  %s", 100.0 * e.getValue() / total, e.getKey())));
        return lines;
    }

    private static String threadGroup(final String name)
    {
        if (name == null)
        {
            return "?";
        }
        return name.startsWith("iothread") ? "jeromq-io" : name;
    }

    private static String shortName(final String className)
    {
        final int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }
}
