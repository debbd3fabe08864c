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
 * counters); the same without a message budget (does the budget hold a flat-out source back?); the same from the
 * uncompressed file (nothing to inflate on the reader thread); and {@code feed publish --source csv --format truefx
 * --speed max} with no subscriber, the whole product. Each measured run also says where its threads' time went (on
 * a CPU, waiting for one, asleep: {@link ThreadSchedStat}), so a slow run on a shared machine tells starvation from
 * the product holding back. Writes {@code docs/benchmarks-csv.md} (or, with {@code --out}, a report next to the raw
 * results; {@link CsvBenchReport}).
 * <pre>
 *   CsvReplayBenchmark [--lines N] [--runs N] [--out DIR] [--keep]
 *   CsvReplayBenchmark --measure FILE [--batch-max-rate N|max]   (one in-process run; prints one JSON line)
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
            System.out.println(Json.write(measure(Path.of(options.get("measure")),
                "max".equals(options.get("batch-max-rate")) ? Long.MAX_VALUE :
                Long.parseLong(options.getOrDefault("batch-max-rate",
                    Long.toString(BatchConfiguration.DEFAULT_MAX_MESSAGES_PER_SECOND))))));
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
     * ends. Also where the publisher's and the reader's threads spent the measured window ({@link ThreadSchedStat}).
     *
     * @param file                 the tick file.
     * @param maxMessagesPerSecond the batcher's message budget ({@link Long#MAX_VALUE}: none).
     */
    static Map<String, Object> measure(final Path file, final long maxMessagesPerSecond)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final CountingPublication publication = new CountingPublication();
        final SmartBatcher batcher = new SmartBatcher(new BatchConfiguration(BatchConfiguration.DEFAULT_MAX_UPDATES,
            BatchConfiguration.DEFAULT_MAX_BYTES, BatchConfiguration.DEFAULT_LINGER_NS, maxMessagesPerSecond), registry,
            publication,
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
        try (CsvSource source = new CsvSource(configuration, registry);
            ThreadSchedStat schedStat = ThreadSchedStat.start("publisher", "csv-reader"))
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
                    schedStat.startWindow();
                }
                idle.idle(polled);
            }
            batcher.flushAll();
            final long endNs = System.nanoTime();
            final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedFrom;
            final double threadCpuSeconds = (threads.getCurrentThreadCpuTime() - threadCpuFromNs) / 1e9;
            final long measuredUpdates = batcher.publishedUpdates() - measuredFromUpdates;
            schedStat.stop();
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
            result.put("maxMessagesPerSecond", maxMessagesPerSecond == Long.MAX_VALUE ? "max" : maxMessagesPerSecond);
            result.put("fullBatches", batcher.fullBatches());
            result.put("lingerFlushes", batcher.lingerFlushes());
            result.put("budgetFlushes", batcher.budgetFlushes());
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
            result.put("threads", schedStat.shares());
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
                measureChild(environment, out, CsvBenchReport.GZ, round, runs, List.of("--measure", gz.toString()),
                    results);
                measureChild(environment, out, CsvBenchReport.GZ_NO_BUDGET, round, runs,
                    List.of("--measure", gz.toString(), "--batch-max-rate", "max"), results);
                measureChild(environment, out, CsvBenchReport.PLAIN, round, runs,
                    List.of("--measure", plain.toString()), results);
                final Path directory = out.resolve(CsvBenchReport.FEED_PUBLISH).resolve("run" + round);
                Files.createDirectories(directory);
                log("round %d/%d feed publish", round, runs);
                try (ChildProcess child = ChildProcess.start(environment, directory, "pub", List.of(),
                    BenchRunner.FEED_MAIN, List.of("publish", "--source", "csv", "--format", "truefx", "--file",
                        gz.toString(), "--speed", "max", "--bind", "tcp://127.0.0.1:" + BenchEnvironment.freePort(),
                        "--recovery-bind", "none", "--warmup", "1s")))
                {
                    check(child.waitFor(600), child);
                    results.computeIfAbsent(CsvBenchReport.FEED_PUBLISH, k -> new ArrayList<>()).add(child.summary());
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
        Files.writeString(report, CsvBenchReport.write(results, command, date, lines, runs, loadBefore, loadAverage(),
            out, root), StandardCharsets.UTF_8);
        log("report %s, raw results %s", report, out);
    }

    private static void measureChild(final BenchEnvironment environment, final Path out, final String id,
        final int round, final int runs, final List<String> args, final Map<String, List<Map<String, Object>>> results)
        throws IOException, InterruptedException
    {
        final Path directory = out.resolve(id).resolve("run" + round);
        Files.createDirectories(directory);
        log("round %d/%d %s", round, runs, id);
        try (ChildProcess child = ChildProcess.start(environment, directory, "measure", List.of(),
            CsvReplayBenchmark.class.getName(), args))
        {
            check(child.waitFor(600), child);
            results.computeIfAbsent(id, k -> new ArrayList<>()).add(child.summary());
            log("  %s", child.summary().get("measuredUpdatesPerSecond"));
        }
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

    private static void log(final String format, final Object... args)
    {
        System.err.printf(Locale.ROOT, "bench-csv: " + format + "%n", args);
    }
}
