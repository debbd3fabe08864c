package dev.feedhandler.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code docs/benchmarks.md} from a pass's results: machine, method, targets, one table per group with the
 * median of the runs and their min and max, ratios against the baselines, allocation and GC, JMH, the profile,
 * the percentile plots, and the hand-written analysis kept in {@code docs/benchmarks-analysis.md}.
 */
final class Report
{
    private final Map<Scenario, List<RunResult>> results;
    private final Map<Scenario, RunResult> gc;
    private final Map<String, Object> jmh;
    private final Map<String, List<String>> profile;
    private final BenchSettings settings;
    private final int gcSeconds;
    private final String command;
    private final String date;
    private final Path out;
    private final BenchEnvironment environment;
    private final StringBuilder md = new StringBuilder(32 * 1024);
    private final ReportFigures figures;
    private final ScenarioTables tables;

    Report(final Map<Scenario, List<RunResult>> results, final Map<Scenario, RunResult> gc,
        final Map<String, Object> jmh,
        final Map<String, List<String>> profile, final BenchSettings settings, final int gcSeconds,
        final String command, final String date, final Path out, final BenchEnvironment environment)
    {
        this.results = results;
        this.gc = gc;
        this.jmh = jmh;
        this.profile = profile;
        this.settings = settings;
        this.gcSeconds = gcSeconds;
        this.command = command;
        this.date = date;
        this.out = out;
        this.environment = environment;
        this.figures = new ReportFigures(results);
        this.tables = new ScenarioTables(md, figures);
    }

    void write(final Path file, final Path plots) throws IOException
    {
        Files.createDirectories(plots);
        header();
        method();
        new TargetsTable(md, figures, gc, gcSeconds).write();
        tables.table(Catalog.THROUGHPUT, "Throughput",
            "Delivered updates per second after warm-up, at the maximum rate " +
            "each system sustains (the feed and raw JeroMQ with back-pressure, so without loss; naive JeroMQ as " +
            "the tutorials write it, so with PUB's silent drops; Aeron with its own back-pressure).");
        tables.table(Catalog.LATENCY, "Latency at 100k updates/s", "One-way latency at a fixed offered " +
            "rate of 100,000 updates/s: 'send' from the publisher's send call, 'intended' from the update's " +
            "intended time (coordinated-omission corrected).");
        tables.table(Catalog.RATES, "Offered rates (feed, tcp)",
            "The feed at 10k, 100k (above) and 1M updates/s, and " +
            "flat out (throughput table).");
        tables.table(Catalog.MILLION, "1M updates/s over 50 instruments", "The feed (with and without the journal), " +
            "libzmq in C and raw JeroMQ at 1,000,000 updates/s over 50 instruments. The baselines publish as the " +
            "feed's synthetic source does: sleep while ahead of schedule, then send per topic the updates due, in " +
            "one message (of at most 256).");
        tables.table(Catalog.JEROMQ_TAIL, "JeroMQ's tail against libzmq's", "Every pairing of a JeroMQ (raw) and a " +
            "libzmq C end, then JeroMQ on both ends with one setting changed at a time; 100k/s over 10 topics one " +
            "message per update unless the title says 1M/s (the updates due per topic in one message). Read in " +
            "docs/jeromq-tail.md.");
        tables.table(Catalog.SHM, "Shared memory against tcp and libzmq C", "The same pass: the feed over tcp, " +
            "libzmq in C, and the feed through its shared-memory log (publish --shm, subscribe --shm) at 100k " +
            "updates/s over 10 topics and flat out; then the publisher with a tcp subscriber and 0 or 8 " +
            "shared-memory reader processes (the readers' own cores are not in the pub + sub column). Read in " +
            "docs/shared-memory.md.");
        tables.table(Catalog.TRANSPORTS, "Transports",
            "JeroMQ's ipc is TCP on 127.0.0.1 underneath; inproc only works " +
            "inside one JVM, so that run has the publisher and the subscriber in one process.");
        tables.table(Catalog.BATCH, "Batch limits",
            "Flat out with batches of at most 1 to 512 updates, and the latency " +
            "at 100k/s with batches of 1.");
        tables.table(Catalog.INSTRUMENTS, "Instruments", "1, 10 (the reference runs) and 1000 instruments.");
        tables.table(Catalog.FANOUT, "Fan-out", "1, 4 and 8 subscriber processes, every one on every topic, with 1M " +
            "updates/s delivered in total (the publisher at 1M/s, 250k/s and 125k/s); figures are the worst " +
            "subscriber's.");
        tables.recoveryTable();
        tables.options();
        allocation();
        plots(plots, file.getParent() == null ? Path.of(".") : file.getParent());
        microbenchmarks();
        profileSection();
        analysis(file);
        md.append("\n## Raw results\n\nEvery run's outputs, `.hgrm` percentile distributions and `.hlog` interval " +
            "logs were written under `").append(relative(out)).append("` (not committed).\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    private void header()
    {
        md.append("# Benchmarks\n\n");
        md.append("Generated by `").append(command.trim()).append("` on ")
            .append(date).append(".\n\n");
        md.append("| | |\n|---|---|\n");
        for (final Map.Entry<String, String> entry : MachineInfo.describe().entrySet())
        {
            md.append("| ").append(entry.getKey()).append(" | ").append(entry.getValue()).append(" |\n");
        }
        md.append("| benchmark JVM flags | `").append(String.join(" ", environment.benchJvmFlags()))
            .append("` plus `config/jvm.options` |\n");
        md.append("| runs | ").append(settings.runs()).append(" per scenario, interleaved in rounds; ")
            .append(settings.warmupSeconds()).append(" s warm-up + ").append(settings.seconds())
            .append(" s measured each; ").append(settings.settleSeconds())
            .append(" s with nothing running before each |\n\n");
    }

    private void method()
    {
        md.append("## How it is measured\n\n");
        md.append("- Publisher and subscribers are separate JVMs on one host, started by the harness " +
            "(`perf/src/main/java/dev/feedhandler/perf`), exactly as users run `feed publish` and `feed subscribe` " +
            "(inproc excepted: one JVM).\n");
        md.append("- Timestamps are comparable across processes because every process reads the same kernel " +
            "clocks: `WallClock` samples the offset between CLOCK_REALTIME (`Instant.now()`, nanosecond " +
            "resolution) and CLOCK_MONOTONIC (`System.nanoTime()`) with the narrowest of 20 windows, and adds it " +
            "to `nanoTime()`; both clocks follow the same NTP frequency corrections, so two processes agree to " +
            "within the sampling window (well under a microsecond).\n");
        md.append("- Latency is one-way, in an HdrHistogram (3 significant digits). The subscriber reads the clock " +
            "once per batch, after the listener has received the batch's last update, and records that value for " +
            "every update of the batch: an upper bound per update, by at most the time to deliver one batch.\n");
        md.append("- Coordinated omission: at a fixed offered rate every update has an intended send time (the " +
            "pacer's schedule, carried as the update's source timestamp). 'intended' latency is measured from it, " +
            "so a stalled publisher is charged for every update it delayed (the method of wrk2, rather than " +
            "HdrHistogram's `recordValueWithExpectedInterval` back-filling, which assumes one sample per interval).\n");
        md.append("- Warm-up is excluded: latencies, allocation and GC counts start after it; throughput is the " +
            "delivered rate from the end of the warm-up to the last batch.\n");
        md.append("- Platform stalls: during every run a thread of the harness's own (otherwise idle) JVM asks " +
            "to sleep 1 ms again and again and records how much later it woke up (the method of jHiccup): time " +
            "the operating system did not give a thread that wanted to run. The latency tables show the largest " +
            "such stall of each scenario's runs next to its latency maximum.\n");
        md.append("- Cores: the harness reads each process's utime + stime from `/proc/PID/stat` ten times a " +
            "second and divides the CPU time it used over the measured window (the last measured seconds before the " +
            "publisher stopped sending) by the window's wall time; all of a process's threads count (GC, JIT, " +
            "JeroMQ's or libzmq's I/O threads). 'pub + sub' are the medians of the runs; 2.00 is the whole " +
            "machine.\n");
        md.append("- A pause before every run (`--settle S`; ").append(settings.settleSeconds())
            .append(" s in this pass): nothing of the pass runs while the host finishes what the run before left " +
            "behind. libzmq C's processes start at once, and after a JVM scenario they measured through host " +
            "stalls of 30-37 ms without it, 2-4 ms with it (7 Dec 2026); it does not keep every host stall out " +
            "(docs/benchmarks-analysis.md).\n");
        md.append("- Each figure is the median of the runs, with [min–max].\n\n");
    }

    private void allocation()
    {
        md.append("## Allocation and GC\n\n");
        md.append("Bytes allocated per update by each hot thread, from the JVM's per-thread allocation counters over " +
            "the measured window, and the GCs in that window. 'publisher' is the publisher's thread (source, " +
            "batcher, encoding, send call), 'receiver' and 'listener' the subscriber's two threads, 'jeromq-io' " +
            "JeroMQ's I/O threads (its per-frame objects).\n\n");
        md.append("| run | thread | bytes/update | GCs in window |\n|---|---|---|---|\n");
        final List<RunResult> runs = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (final Map.Entry<Scenario, RunResult> entry : gc.entrySet())
        {
            runs.add(entry.getValue());
            names.add(entry.getKey().title() + ", " + gcSeconds + " s");
        }
        final Scenario max = figures.find("feed-tcp-max");
        if (max != null && !figures.ok(max).isEmpty())
        {
            runs.add(figures.medianRun(max, RunResult::deliveredRate));
            names.add(max.title());
        }
        for (int i = 0; i < runs.size(); i++)
        {
            final RunResult run = runs.get(i);
            allocationRows(names.get(i) + " (publisher)", RunResult.map(run.publisher(), "measured"));
            if (!run.subscribers().isEmpty())
            {
                allocationRows(names.get(i) + " (subscriber)", RunResult.map(run.subscribers().get(0), "measured"));
            }
        }
        md.append('\n');
    }

    private void allocationRows(final String run, final Map<String, Object> measured)
    {
        final Map<String, Object> bytes = RunResult.map(measured, "bytesPerUpdate");
        final String gcs = String.format("%.0f (%.0f ms)", RunResult.number(measured, "gcCount"),
            RunResult.number(measured, "gcTimeMs"));
        if (bytes.isEmpty())
        {
            md.append("| ").append(run).append(" | - | - | ").append(gcs).append(" |\n");
        }
        for (final Map.Entry<String, Object> entry : bytes.entrySet())
        {
            md.append("| ").append(run).append(" | ").append(entry.getKey().startsWith("iothread") ? "jeromq-io (" +
                entry.getKey() + ")" : entry.getKey()).append(" | ")
                .append(String.format("%.3f", ((Number)entry.getValue()).doubleValue())).append(" | ").append(gcs)
                .append(" |\n");
        }
    }

    private void plots(final Path plots, final Path reportDirectory) throws IOException
    {
        final Map<String, Path> latency100k = new LinkedHashMap<>();
        final Map<String, Path> feedRates = new LinkedHashMap<>();
        for (final Map.Entry<Scenario, List<RunResult>> entry : results.entrySet())
        {
            final Scenario scenario = entry.getKey();
            if (scenario.kind() != Scenario.Kind.LATENCY || figures.ok(scenario).isEmpty())
            {
                continue;
            }
            final Path hgrm = figures.medianRun(scenario, r -> r.latency("latency_us", "p99")).directory()
                .resolve("sub0.hgrm");
            if (!Files.exists(hgrm))
            {
                continue;
            }
            if (scenario.id().endsWith("-100k") && !scenario.id().contains("instr") && !scenario.id().contains("batch"))
            {
                latency100k.put(scenario.title().replace(", 100k/s", ""), hgrm);
            }
            if (scenario.id().startsWith("feed-tcp-"))
            {
                feedRates.put(scenario.id().replace("feed-tcp-", "feed tcp "), hgrm);
            }
        }
        md.append("## Latency percentile distributions\n\n");
        if (!latency100k.isEmpty())
        {
            final Path png = plots.resolve("latency-100k.png");
            Plots.percentiles("One-way latency at 100k updates/s (median run)", latency100k, png);
            md.append("![latency at 100k/s](").append(relative(reportDirectory, png)).append(")\n\n");
        }
        if (feedRates.size() > 1)
        {
            final Path png = plots.resolve("latency-rates.png");
            Plots.percentiles("The feed over tcp at several offered rates (median run)", feedRates, png);
            md.append("![feed latency by rate](").append(relative(reportDirectory, png)).append(")\n\n");
        }
    }

    private void microbenchmarks()
    {
        md.append("## Microbenchmarks (JMH)\n\n");
        if (jmh.isEmpty())
        {
            md.append("Not run in this pass.\n\n");
            return;
        }
        md.append("One fork, 3 warm-up and 5 measured iterations of 1 s: indicative only on a shared 2-core " +
            "machine.\n\n| benchmark | score | error | unit |\n|---|---|---|---|\n");
        for (final Map.Entry<String, Object> entry : jmh.entrySet())
        {
            @SuppressWarnings("unchecked")
            final Map<String, Object> row = (Map<String, Object>)entry.getValue();
            md.append("| ").append(entry.getKey()).append(" | ").append(String.format("%.2f",
                RunResult.number(row, "score"))).append(" | ±").append(String.format("%.2f",
                RunResult.number(row, "error"))).append(" | ").append(row.get("unit")).append(" |\n");
        }
        md.append('\n');
    }

    private void profileSection()
    {
        md.append("## Profile of the throughput run\n\n");
        if (profile.isEmpty())
        {
            md.append("Not run in this pass.\n\n");
            return;
        }
        md.append("Java Flight Recorder (`settings=profile`) on both processes of one run of '")
            .append(Catalog.throughputReference().title()).append("': share of CPU samples by thread, then the " +
            "methods on top of the stack.\n\n```\n");
        for (final Map.Entry<String, List<String>> entry : profile.entrySet())
        {
            md.append(entry.getKey()).append(":\n");
            entry.getValue().forEach(line -> md.append("  ").append(line).append('\n'));
        }
        md.append("```\n\n");
    }

    private void analysis(final Path file) throws IOException
    {
        final Path analysis = file.toAbsolutePath().getParent().resolve("benchmarks-analysis.md");
        md.append("## Analysis\n\n");
        if (Files.exists(analysis))
        {
            md.append("(From `docs/benchmarks-analysis.md`, written after reading these figures.)\n\n")
                .append(Files.readString(analysis)).append('\n');
        }
        else
        {
            md.append("No analysis written for this pass.\n");
        }
    }

    private String relative(final Path path)
    {
        try
        {
            return environment.root().relativize(path.toAbsolutePath()).toString();
        }
        catch (final IllegalArgumentException ex)
        {
            return path.toString();
        }
    }

    private static String relative(final Path from, final Path to)
    {
        return from.toAbsolutePath().relativize(to.toAbsolutePath()).toString();
    }
}
