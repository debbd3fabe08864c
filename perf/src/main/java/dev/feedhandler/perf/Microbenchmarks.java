package dev.feedhandler.perf;

import dev.feedhandler.cli.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs the JMH benchmarks ({@code dev.feedhandler.perf.jmh}) in a child JVM and reads back their results.
 */
final class Microbenchmarks
{
    private Microbenchmarks()
    {
    }

    /**
     * @return benchmark name to {@code score}, {@code error}, {@code unit}; empty if JMH failed.
     */
    static Map<String, Object> run(final BenchEnvironment environment, final Path directory, final boolean quick)
        throws IOException, InterruptedException
    {
        Files.createDirectories(directory);
        final Path json = directory.resolve("jmh.json");
        // The forked benchmark JVMs need the project's flags too (Agrona).
        final String forkFlags = Files.readAllLines(environment.jvmOptions()).stream()
            .map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .collect(Collectors.joining(" "));
        final List<String> args = new ArrayList<>(List.of(
            "-f", "1", "-wi", quick ? "1" : "3", "-w", "1s", "-i", quick ? "1" : "5", "-r", "1s",
            "-rf", "json", "-rff", json.toString(), "-jvmArgsAppend", forkFlags + " -Xms512m -Xmx512m",
            "dev.feedhandler.perf.jmh.*"));
        try (ChildProcess jmh = ChildProcess.start(environment, directory, "jmh", List.of(), "org.openjdk.jmh.Main",
            args))
        {
            if (!jmh.waitFor(quick ? 120 : 900) || !Files.exists(json))
            {
                return Map.of();
            }
        }
        return parse(json);
    }

    /**
     * @return benchmark name to {@code score}, {@code error}, {@code unit} from JMH's JSON results.
     */
    static Map<String, Object> parse(final Path json) throws IOException
    {
        final Map<String, Object> results = new LinkedHashMap<>();
        final Object parsed = Json.parse(Files.readString(json));
        if (parsed instanceof List)
        {
            for (final Object entry : (List<?>)parsed)
            {
                final Map<?, ?> benchmark = (Map<?, ?>)entry;
                final Map<?, ?> metric = (Map<?, ?>)benchmark.get("primaryMetric");
                final String name = String.valueOf(benchmark.get("benchmark"))
                    .replace("dev.feedhandler.perf.jmh.", "");
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("score", metric.get("score"));
                row.put("error", metric.get("scoreError"));
                row.put("unit", metric.get("scoreUnit"));
                row.put("mode", benchmark.get("mode"));
                results.put(name, row);
            }
        }
        return results;
    }
}
