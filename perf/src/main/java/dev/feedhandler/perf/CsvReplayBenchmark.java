package dev.feedhandler.perf;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.csv.CsvConfiguration;
import dev.feedhandler.publisher.source.csv.CsvFormat;
import dev.feedhandler.publisher.source.csv.CsvSource;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code scripts/bench-csv}: how fast the csv source feeds the batcher at {@code --speed max}, on a 10-million-line
 * gzip file generated here (TrueFX's layout, 10 instruments; never committed). Each round, in fresh JVMs, side by
 * side: the source polled into a {@link SmartBatcher} on one thread exactly as the publisher's loop does, with a
 * publication that only counts bytes (the figure of the issue: updates per second into the batcher, and bytes the
 * publisher's thread allocates per update after a warm-up of one million updates, from the JVM's per-thread
 * counters); the same from the uncompressed file (nothing to inflate on the reader thread); and
 * {@code feed publish --source csv --format truefx --speed max} with no subscriber, the whole product. Writes
 * {@code docs/benchmarks-csv.md} (or, with {@code --out}, a report next to the raw results).
 * <pre>
 *   CsvReplayBenchmark [--lines N] [--runs N] [--out DIR] [--keep]
 *   CsvReplayBenchmark --measure FILE      (one in-process run; prints one JSON line; the harness's child)
 * </pre>
 */
public final class CsvReplayBenchmark
{
    private static final long WARMUP_UPDATES = 1_000_000L;
    private static final int POLL_LIMIT = 1024;
    private static final String[] SYMBOLS = {"EUR/USD", "GBP/USD", "USD/JPY", "AUD/USD", "USD/CHF", "USD/CAD",
        "NZD/USD", "EUR/GBP", "EUR/JPY", "GBP/JPY"};
    private static final double[] MIDS = {1.10415, 1.27, 157.1, 0.66, 0.88, 1.35, 0.61, 0.86, 171.3, 198.1};

    private CsvReplayBenchmark()
    {
    }

    /**
     * Runs the benchmark, or one measured run.
     *
     * @param args see the class comment.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            final String name = args[i].substring(2);
            final boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "" : args[++i]);
        }
        if (options.containsKey("measure"))
        {
            System.out.println(Json.write(measure(Path.of(options.get("measure")))));
            return;
        }
        harness(options);
    }

    /** A publication that keeps nothing: the batcher's frames are counted, as a socket without subscribers would. */
    private static final class CountingPublication implements Publication
    {
        private long frames;
        private long bytes;

        @Override
        public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
        {
            frames++;
            bytes += length;
            return SENT;
        }
    }

    /**
     * One run in this JVM: the source polled into the batcher on this thread, as {@code FeedPublisher}'s duty cycle
     * polls it (the same poll limit and flush rule, {@code SmartBatcher.flushDue}, with the default message budget;
     * the library's default idle strategy, {@code backoff}, as when these figures were first taken), until the file
     * ends.
     */
    static Map<String, Object> measure(final Path file)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final CountingPublication publication = new CountingPublication();
        final SmartBatcher batcher = new SmartBatcher(new BatchConfiguration(BatchConfiguration.DEFAULT_MAX_UPDATES,
            BatchConfiguration.DEFAULT_MAX_BYTES, BatchConfiguration.DEFAULT_LINGER_NS), registry, publication,
            WallClock.shared(), 1);
        final CsvConfiguration configuration = CsvConfiguration.builder().format(CsvFormat.TRUEFX)
            .file(file.toString()).speed(CsvConfiguration.MAX_SPEED).build();
        final IdleStrategy idle = IdleStrategies.of(IdleStrategies.DEFAULT);
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        // The per-thread counters AllocationMeter reads, read directly: its start() lists every thread, which
        // allocates on the measured thread inside the window.
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        boolean measuring = false;
        long allocatedFrom = 0;
        long gcFrom = 0;

        final long startNs = System.nanoTime();
        long measuredFromNs = 0;
        long measuredFromUpdates = 0;
        long threadCpuFromNs = 0;
        long processCpuFromNs = 0;
        long updates = 0;
        long emptyPolls = 0;
        try (CsvSource source = new CsvSource(configuration, registry))
        {
            while (!source.isExhausted())
            {
                final long nowNs = System.nanoTime();
                batcher.nowNs(nowNs);
                final int polled = source.poll(batcher, POLL_LIMIT, nowNs);
                if (polled == 0)
                {
                    emptyPolls++;
                }
                batcher.flushDue(nowNs, polled < POLL_LIMIT);
                updates += polled;
                if (!measuring && updates >= WARMUP_UPDATES)
                {
                    measuring = true;
                    gcFrom = gcCount();
                    measuredFromNs = System.nanoTime();
                    measuredFromUpdates = batcher.publishedUpdates();
                    threadCpuFromNs = threads.getCurrentThreadCpuTime();
                    processCpuFromNs = os.getProcessCpuTime();
                    allocatedFrom = threads.getCurrentThreadAllocatedBytes();
                }
                idle.idle(polled);
            }
            batcher.flushAll();
            final long endNs = System.nanoTime();
            final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedFrom;
            final double threadCpuSeconds = (threads.getCurrentThreadCpuTime() - threadCpuFromNs) / 1e9;
            final long measuredUpdates = batcher.publishedUpdates() - measuredFromUpdates;
            final double measuredSeconds = (endNs - measuredFromNs) / 1e9;
            final Map<String, Object> measured = new LinkedHashMap<>();
            measured.put("windowSeconds", measuredSeconds);
            measured.put("updates", measuredUpdates);
            measured.put("gcCount", gcCount() - gcFrom);
            measured.put("allocatedBytes", allocated);
            measured.put("bytesPerUpdate", Map.of("publisher", (double)allocated / measuredUpdates));
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("file", file.getFileName().toString());
            result.put("updates", batcher.publishedUpdates());
            result.put("frames", publication.frames);
            result.put("payloadBytes", publication.bytes);
            result.put("linesRead", source.linesRead());
            result.put("badLines", source.badLines());
            result.put("emptyPolls", emptyPolls);
            result.put("seconds", (endNs - startNs) / 1e9);
            result.put("updatesPerSecond", Math.round(batcher.publishedUpdates() * 1e9 / (endNs - startNs)));
            result.put("measuredUpdatesPerSecond", Math.round(measuredUpdates / measuredSeconds));
            result.put("publisherCpuCores", threadCpuSeconds / measuredSeconds);
            result.put("updatesPerPublisherCpuSecond", Math.round(measuredUpdates / threadCpuSeconds));
            result.put("processCpuCores", (os.getProcessCpuTime() - processCpuFromNs) / 1e9 / measuredSeconds);
            result.put("measured", measured);
            return result;
        }
    }

    private static long gcCount()
    {
        long count = 0;
        for (final java.lang.management.GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, bean.getCollectionCount());
        }
        return count;
    }

    private static void harness(final Map<String, String> options) throws Exception
    {
        final Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        final long lines = Long.parseLong(options.getOrDefault("lines", "10000000"));
        final int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final boolean partial = options.containsKey("out") || lines != 10_000_000L;
        final Path out = Path.of(options.getOrDefault("out",
            root.resolve("bench-results").resolve("csv-" + stamp).toString())).toAbsolutePath();
        Files.createDirectories(out);
        final BenchEnvironment environment = new BenchEnvironment(root, System.getProperty("java.class.path"),
            BenchEnvironment.DEFAULT_BENCH_FLAGS);
        final String command = "scripts/bench-csv " + String.join(" ", options.entrySet().stream()
            .filter(e -> !e.getKey().equals("root"))
            .map(e -> "--" + e.getKey() + (e.getValue().isEmpty() ? "" : " " + e.getValue())).toList()).trim();
        final String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);

        final Path gz = out.resolve("truefx-" + lines + ".csv.gz");
        final Path plain = out.resolve("truefx-" + lines + ".csv");
        log("generating %s (%d lines)", gz, lines);
        generate(gz, lines);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16))
        {
            Files.copy(in, plain);
        }
        final String loadBefore = loadAverage();

        final Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
        try
        {
            for (int round = 1; round <= runs; round++)
            {
                for (final Path file : List.of(gz, plain))
                {
                    final String id = file == gz ? "source-gz" : "source-plain";
                    final Path directory = out.resolve(id).resolve("run" + round);
                    Files.createDirectories(directory);
                    log("round %d/%d %s", round, runs, id);
                    try (ChildProcess child = ChildProcess.start(environment, directory, "measure", List.of(),
                        CsvReplayBenchmark.class.getName(), List.of("--measure", file.toString())))
                    {
                        check(child.waitFor(600), child);
                        results.computeIfAbsent(id, k -> new ArrayList<>()).add(child.summary());
                        log("  %s", child.summary().get("measuredUpdatesPerSecond"));
                    }
                }
                final Path directory = out.resolve("feed-publish").resolve("run" + round);
                Files.createDirectories(directory);
                log("round %d/%d feed publish", round, runs);
                try (ChildProcess child = ChildProcess.start(environment, directory, "pub", List.of(),
                    BenchRunner.FEED_MAIN, List.of("publish", "--source", "csv", "--format", "truefx", "--file",
                        gz.toString(), "--speed", "max", "--bind", "tcp://127.0.0.1:" + BenchEnvironment.freePort(),
                        "--recovery-bind", "none", "--warmup", "1s")))
                {
                    check(child.waitFor(600), child);
                    results.computeIfAbsent("feed-publish", k -> new ArrayList<>()).add(child.summary());
                    log("  %s", RunResult.number(child.summary(), "updatesPerSecond"));
                }
            }
        }
        finally
        {
            if (!options.containsKey("keep"))
            {
                Files.deleteIfExists(gz);
                Files.deleteIfExists(plain);
            }
        }
        Files.writeString(out.resolve("results.json"), Json.write(Map.of("command", command, "date", date,
            "runs", results)), StandardCharsets.UTF_8);
        final Path report = partial ? out.resolve("benchmarks-csv.md") : root.resolve("docs/benchmarks-csv.md");
        Files.writeString(report, report(results, command, date, lines, runs, loadBefore, loadAverage(), out, root),
            StandardCharsets.UTF_8);
        log("report %s, raw results %s", report, out);
    }

    private static void check(final boolean ok, final ChildProcess child)
    {
        if (!ok)
        {
            throw new IllegalStateException(child.name() + " failed; see its .err file");
        }
    }

    /**
     * Writes a TrueFX-style file: 10 instruments, each a random walk, one tick every 0 to 40 ms.
     */
    static void generate(final Path file, final long lines) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(42);
        final double[] mids = MIDS.clone();
        final StringBuilder line = new StringBuilder(64);
        long ms = 0;
        try (OutputStream out = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(file), 1 << 16),
            1 << 16))
        {
            final byte[] bytes = new byte[64];
            for (long i = 0; i < lines; i++)
            {
                ms += random.nextInt(0, 41);
                final int k = random.nextInt(SYMBOLS.length);
                final int decimals = mids[k] > 20 ? 3 : 5;
                final long scale = decimals == 3 ? 1_000 : 100_000;
                mids[k] += (random.nextDouble() - 0.5) * 4.0 / scale;
                final long bid = Math.round(mids[k] * scale);
                final long ask = bid + random.nextInt(1, 10);
                final long day = ms / 86_400_000L;
                final long t = ms % 86_400_000L;
                line.setLength(0);
                line.append(SYMBOLS[k]).append(",202601").append(day < 8 ? "0" : "").append(day + 2).append(' ');
                two(line, t / 3_600_000).append(':');
                two(line, t / 60_000 % 60).append(':');
                two(line, t / 1000 % 60).append('.');
                final long millis = t % 1000;
                line.append(millis < 100 ? (millis < 10 ? "00" : "0") : "").append(millis).append(',');
                price(line, bid, scale, decimals).append(',');
                price(line, ask, scale, decimals).append('\n');
                final int length = line.length();
                for (int c = 0; c < length; c++)
                {
                    bytes[c] = (byte)line.charAt(c);
                }
                out.write(bytes, 0, length);
            }
        }
    }

    private static StringBuilder two(final StringBuilder out, final long value)
    {
        return out.append(value < 10 ? "0" : "").append(value);
    }

    private static StringBuilder price(final StringBuilder out, final long units, final long scale,
        final int decimals)
    {
        final String fraction = Long.toString(units % scale);
        return out.append(units / scale).append('.').append("0".repeat(decimals - fraction.length())).append(fraction);
    }

    private static String loadAverage()
    {
        try
        {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static String report(final Map<String, List<Map<String, Object>>> results, final String command,
        final String date, final long lines, final int runs, final String loadBefore, final String loadAfter,
        final Path out, final Path root)
    {
        final StringBuilder md = new StringBuilder();
        md.append("# Benchmark: the csv source at --speed max\n\n");
        md.append("Generated by `").append(command).append("` on ").append(date).append(".\n\n");
        md.append("| | |\n|---|---|\n");
        MachineInfo.describe().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("| JVM flags | `").append(String.join(" ", BenchEnvironment.DEFAULT_BENCH_FLAGS))
            .append("` plus `config/jvm.options`, a fresh JVM per run |\n");
        md.append("| load average (1, 5, 15 min) before / after | ").append(loadBefore, 0, loadBefore.lastIndexOf(' '))
            .append(" / ").append(loadAfter, 0, loadAfter.lastIndexOf(' '))
            .append(" (a shared machine: other processes ran) |\n");
        md.append("| runs | ").append(runs).append(runs == 1 ? " round" : " rounds")
            .append(", each runs the three below one after the other |\n\n");
        md.append("The file: ").append(String.format(Locale.ROOT, "%,d", lines)).append(" lines in TrueFX's layout " +
            "(`EUR/USD,20260102 00:00:00.123,1.10415,1.10421`, 10 instruments, about 46 bytes a line), gzip level 6, " +
            "generated by the harness and deleted after the run (never committed). Each figure is the median of the " +
            "runs, with [min–max].\n\n");

        md.append("## Into the batcher (`CsvSource` → `SmartBatcher`, one thread)\n\n");
        md.append("The source is polled into the batcher on one thread as the publisher's loop polls it (poll " +
            "limit 1024, flush when a poll hands over nothing, the default `backoff` idle strategy); the batcher's " +
            "frames go to a publication that only counts them, so the socket's cost is left out. Rates are taken " +
            "after the first 1,000,000 updates (JIT warm-up); allocation is the JVM's per-thread counter of the " +
            "thread that polls (`ThreadMXBean.getCurrentThreadAllocatedBytes`, as `AllocationMeter` reads it), over " +
            "the same window; CPU is in cores (CPU-seconds per second). On a machine shared with other work the " +
            "rate follows the CPU the thread was given; updates per CPU-second of the publisher thread do not.\n\n");
        md.append("| input | updates/s after warm-up | updates per CPU-second of the publisher thread | whole file | " +
            "publisher thread, bytes allocated per update | publisher thread CPU | JVM CPU (all threads) | " +
            "GCs after warm-up |\n|---|---|---|---|---|---|---|---|\n");
        for (final String id : List.of("source-gz", "source-plain"))
        {
            final List<Map<String, Object>> rs = results.getOrDefault(id, List.of());
            md.append("| ").append(id.equals("source-gz") ? "`.csv.gz` (inflated on the `csv-reader` thread)" :
                "plain `.csv` (read on the `csv-reader` thread)").append(" | ")
                .append(rate(rs, r -> RunResult.number(r, "measuredUpdatesPerSecond"))).append(" | ")
                .append(rate(rs, r -> RunResult.number(r, "updatesPerPublisherCpuSecond"))).append(" | ")
                .append(rate(rs, r -> RunResult.number(r, "updatesPerSecond"))).append(" | ")
                .append(figure(rs, r -> bytesPerUpdate(r), "%.4f")).append(" | ")
                .append(figure(rs, r -> RunResult.number(r, "publisherCpuCores"), "%.2f")).append(" | ")
                .append(figure(rs, r -> RunResult.number(r, "processCpuCores"), "%.2f")).append(" | ")
                .append(figure(rs, r -> RunResult.number(measuredOf(r), "gcCount"), "%.0f")).append(" |\n");
        }
        final List<Map<String, Object>> gzRuns = results.getOrDefault("source-gz", List.of());
        final List<Map<String, Object>> plainRuns = results.getOrDefault("source-plain", List.of());
        if (!gzRuns.isEmpty())
        {
            final double rate = median(gzRuns, r -> RunResult.number(r, "measuredUpdatesPerSecond"));
            final double bytes = median(gzRuns, r -> bytesPerUpdate(r));
            md.append(String.format(Locale.ROOT, "%nTarget: from the gzip file, at least 2 M updates/s into the " +
                "batcher with nothing allocated per line on the publisher's thread. Measured: %.2f M/s and %.4f " +
                "bytes per update (about %.0f bytes in all over the %,d updates after warm-up): %s.%n", rate / 1e6,
                bytes, bytes * (lines - WARMUP_UPDATES), lines - WARMUP_UPDATES,
                rate >= 2e6 && bytes < 0.01 ? "met" : "**not met**"));
        }
        if (!gzRuns.isEmpty() && !plainRuns.isEmpty())
        {
            md.append(String.format(Locale.ROOT, "%nRatio of the medians, gzip to plain: %.2f.%n",
                median(gzRuns, r -> RunResult.number(r, "measuredUpdatesPerSecond")) /
                median(plainRuns, r -> RunResult.number(r, "measuredUpdatesPerSecond"))));
        }

        md.append("\n## The whole product: `feed publish --source csv --format truefx --speed max`, no subscriber\n\n");
        md.append("`scripts/feed publish --source csv --format truefx --file FILE.csv.gz --speed max " +
            "--recovery-bind none --warmup 1s`: the summary's rate after the warm-up, and bytes per update " +
            "allocated by the publisher thread, which here also encodes and sends the frames: the socket side " +
            "copies each batch into an array of its own (see the README's known limits), which the csv source " +
            "does not.\n\n");
        md.append("| updates/s after warm-up | published | publisher thread, bytes allocated per update |\n" +
            "|---|---|---|\n");
        final List<Map<String, Object>> pub = results.getOrDefault("feed-publish", List.of());
        md.append("| ").append(rate(pub, r -> RunResult.number(measuredOf(r), "updatesPerSecond"))).append(" | ")
            .append(figure(pub, r -> RunResult.number(r, "published"), "%.0f")).append(" | ")
            .append(figure(pub, r -> bytesPerUpdate(r), "%.2f")).append(" |\n");
        md.append("\nRaw results: `").append(out.startsWith(root) ? root.relativize(out) : out)
            .append("` (not committed).\n");
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> measuredOf(final Map<String, Object> run)
    {
        final Object measured = run.get("measured");
        return measured instanceof Map ? (Map<String, Object>)measured : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static double bytesPerUpdate(final Map<String, Object> run)
    {
        final Object perThread = measuredOf(run).get("bytesPerUpdate");
        if (!(perThread instanceof Map))
        {
            return Double.NaN;
        }
        final Object publisher = ((Map<String, Object>)perThread).get("publisher");
        return publisher instanceof Number ? ((Number)publisher).doubleValue() : Double.NaN;
    }

    private static double median(final List<Map<String, Object>> runs,
        final java.util.function.ToDoubleFunction<Map<String, Object>> value)
    {
        final double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0)
        {
            return Double.NaN;
        }
        return values.length % 2 == 1 ? values[values.length / 2] :
            (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static String rate(final List<Map<String, Object>> runs,
        final java.util.function.ToDoubleFunction<Map<String, Object>> value)
    {
        final double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0)
        {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f M/s [%.2f–%.2f]", median(runs, value) / 1e6, values[0] / 1e6,
            values[values.length - 1] / 1e6);
    }

    private static String figure(final List<Map<String, Object>> runs,
        final java.util.function.ToDoubleFunction<Map<String, Object>> value, final String format)
    {
        final double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0)
        {
            return "-";
        }
        return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", median(runs, value),
            values[0], values[values.length - 1]);
    }

    private static void log(final String format, final Object... args)
    {
        System.err.printf(Locale.ROOT, "bench-csv: " + format + "%n", args);
    }
}
