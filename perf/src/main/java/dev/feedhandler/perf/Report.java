package dev.feedhandler.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

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
    }

    void write(final Path file, final Path plots) throws IOException
    {
        Files.createDirectories(plots);
        header();
        method();
        targets();
        table(Catalog.THROUGHPUT, "Throughput", "Delivered updates per second after warm-up, at the maximum rate " +
            "each system sustains (the feed and raw JeroMQ with back-pressure, so without loss; naive JeroMQ as " +
            "the tutorials write it, so with PUB's silent drops; Aeron with its own back-pressure).");
        table(Catalog.LATENCY, "Latency at 100k updates/s", "One-way latency at a fixed offered " +
            "rate of 100,000 updates/s: 'send' from the publisher's send call, 'intended' from the update's " +
            "intended time (coordinated-omission corrected).");
        table(Catalog.RATES, "Offered rates (feed, tcp)", "The feed at 10k, 100k (above) and 1M updates/s, and " +
            "flat out (throughput table).");
        table(Catalog.MILLION, "1M updates/s over 50 instruments", "The feed (with and without the journal), " +
            "libzmq in C and raw JeroMQ at 1,000,000 updates/s over 50 instruments. The baselines publish as the " +
            "feed's synthetic source does: sleep while ahead of schedule, then send per topic the updates due, in " +
            "one message (of at most 256).");
        table(Catalog.JEROMQ_TAIL, "JeroMQ's tail against libzmq's", "Every pairing of a JeroMQ (raw) and a " +
            "libzmq C end, then JeroMQ on both ends with one setting changed at a time; 100k/s over 10 topics one " +
            "message per update unless the title says 1M/s (the updates due per topic in one message). Read in " +
            "docs/jeromq-tail.md.");
        table(Catalog.SHM, "Shared memory against tcp and libzmq C", "The same pass: the feed over tcp, libzmq " +
            "in C, and the feed through its shared-memory log (publish --shm, subscribe --shm) at 100k updates/s " +
            "over 10 topics and flat out; then the publisher with a tcp subscriber and 0 or 8 shared-memory reader " +
            "processes (the readers' own cores are not in the pub + sub column). Read in docs/shared-memory.md.");
        table(Catalog.TRANSPORTS, "Transports", "JeroMQ's ipc is TCP on 127.0.0.1 underneath; inproc only works " +
            "inside one JVM, so that run has the publisher and the subscriber in one process.");
        table(Catalog.BATCH, "Batch limits", "Flat out with batches of at most 1 to 512 updates, and the latency " +
            "at 100k/s with batches of 1.");
        table(Catalog.INSTRUMENTS, "Instruments", "1, 10 (the reference runs) and 1000 instruments.");
        table(Catalog.FANOUT, "Fan-out", "1, 4 and 8 subscriber processes, every one on every topic, with 1M " +
            "updates/s delivered in total (the publisher at 1M/s, 250k/s and 125k/s); figures are the worst " +
            "subscriber's.");
        recoveryTable();
        options();
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
            .append(" s measured each |\n\n");
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
        md.append("- Each figure is the median of the runs, with [min–max].\n\n");
    }

    private void targets()
    {
        md.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        final Scenario feedMax = find("feed-tcp-max");
        final Scenario naiveMax = find("naive-max");
        final Scenario feed100k = find("feed-tcp-100k");
        final Scenario raw100k = find("raw-single-100k");
        final Scenario fanout8 = find("feed-fanout8-1m");
        if (feedMax != null)
        {
            final double rate = median(feedMax, RunResult::deliveredRate);
            final boolean noLoss = results.get(feedMax).stream().allMatch(RunResult::complete);
            row("sustained throughput without loss ≥ 10 M updates/s (tcp, separate JVMs)",
                mrate(rate) + (noLoss ? ", no update lost" : ", LOSS"), rate >= 10e6 && noLoss,
                rate >= 10e6 ? "" : String.format("%.0f%% of the target", 100 * rate / 10e6));
            if (naiveMax != null)
            {
                final double naive = median(naiveMax, RunResult::deliveredRate);
                final double ratio = rate / Math.max(1, naive);
                row("≥ 10× the naive JeroMQ delivered rate", String.format("%.1f× (naive %s)", ratio, mrate(naive)),
                    ratio >= 10, "");
            }
        }
        if (feed100k != null && raw100k != null)
        {
            final double p99 = median(feed100k, r -> r.latency("latency_us", "p99"));
            final double rawP99 = median(raw100k, r -> r.latency("latency_us", "p99"));
            row("p99 at 100k/s ≤ 1.2× raw JeroMQ's one-way p99", String.format("%s vs %s: %.2f×", us(p99),
                us(rawP99), p99 / Math.max(0.001, rawP99)), p99 <= 1.2 * rawP99, "");
            final double p9999 = median(feed100k, r -> r.latency("latency_us", "p9999"));
            row("p99.99 at 100k/s < 2 ms", us(p9999), p9999 < 2000, "");
            final double max = median(feed100k, r -> r.latency("latency_us", "max"));
            final double stall = median(feed100k, r -> RunResult.number(r.hiccups(), "max"));
            row("max at 100k/s explained", String.format("%s; the largest platform stall (a thread that asked to " +
                "sleep 1 ms woke this much later) in the same runs: %s; see the analysis", us(max), us(stall)),
                true, "");
        }
        againstLibzmq("100k/s, 10 instruments, default flags", find("feed-tcp-100k"), find("libzmq-c-100k"), 5);
        againstLibzmq("1M/s, 50 instruments, `--journal`, default flags", find("feed-journal-1m-50"),
            find("libzmq-c-1m-50"), 2);
        for (final Map.Entry<Scenario, RunResult> entry : gc.entrySet())
        {
            final RunResult run = entry.getValue();
            if (!run.ok())
            {
                continue;
            }
            final double pubGc = RunResult.number(RunResult.map(run.publisher(), "measured"), "gcCount");
            final double subGc = RunResult.number(RunResult.map(run.subscribers().get(0), "measured"), "gcCount");
            row("no GC in " + gcSeconds + " s at 1M/s after warm-up (" + entry.getKey().title()
                .replace("feed, tcp, 1M/s, ", "") + ")", String.format("publisher %.0f, subscriber %.0f",
                pubGc, subGc), pubGc == 0 && subGc == 0, "");
        }
        final RunResult firstGc = gc.values().stream().filter(RunResult::ok).findFirst().orElse(null);
        if (firstGc != null)
        {
            final double hot = hotBytes(firstGc);
            row("hot threads allocate < 1 byte/update on average", String.format("%.2f bytes/update (all hot " +
                "threads of both processes, JeroMQ's and the publisher's per-batch frame copy included)", hot),
                hot < 1, "");
        }
        if (fanout8 != null)
        {
            final boolean noLoss = results.get(fanout8).stream().allMatch(RunResult::complete);
            final double recovered = median(fanout8, r -> r.recovered());
            final List<RunResult> runs = results.get(fanout8);
            final long lossy = runs.stream().filter(r -> !r.complete()).count();
            final double worst = runs.stream().mapToDouble(r -> Math.max(r.lost(), r.unrecoverable())).max()
                .orElse(0);
            row("fan-out to 8 subscriber processes at 1M/s in total (125k/s each) with zero unrecovered loss",
                (noLoss ? "no unrecovered loss in any run" : String.format("updates lost in %d of %d runs (up to " +
                "%.0f)", lossy, runs.size(), worst)) + String.format(", median %.0f updates recovered per run",
                recovered), noLoss, "");
        }
        final Scenario replay = find("replay-max");
        if (replay != null && !ok(replay).isEmpty())
        {
            final double rate = median(replay, ReplayScenario::replayRate);
            final boolean complete = ok(replay).stream().allMatch(r -> r.lost() == 0);
            row("`feed replay --publish --speed max` ≥ 5 M updates/s", mrate(rate) +
                (complete ? ", every update received" : ", LOSS"), rate >= 5e6 && complete,
                rate >= 5e6 ? "" : String.format("%.0f%% of the target", 100 * rate / 5e6));
        }
        md.append('\n');
    }

    /** The targets against libzmq in C at the same rate: cores at most libzmq's, p99 at most a factor of it. */
    private void againstLibzmq(final String what, final Scenario feed, final Scenario libzmq, final double factor)
    {
        if (feed == null || libzmq == null || ok(feed).isEmpty() || ok(libzmq).isEmpty())
        {
            return;
        }
        final double feedCores = median(feed, r -> r.publisherCores() + r.subscriberCores());
        final double libzmqCores = median(libzmq, r -> r.publisherCores() + r.subscriberCores());
        if (!Double.isNaN(feedCores) && !Double.isNaN(libzmqCores))
        {
            row(what + ": feed cores (publisher + subscriber) ≤ libzmq C's", String.format(Locale.ROOT,
                "%.2f vs %.2f", feedCores, libzmqCores), feedCores <= libzmqCores, "");
        }
        final double p99 = median(feed, r -> r.worstLatency("latency_us", "p99"));
        final double libzmqP99 = median(libzmq, r -> r.latency("latency_us", "p99"));
        final boolean complete = ok(feed).stream().allMatch(RunResult::complete);
        row(what + String.format(Locale.ROOT, ": p99 ≤ %.0f× libzmq C's", factor), String.format(Locale.ROOT,
            "%s vs %s: %.1f×%s", us(p99), us(libzmqP99), p99 / Math.max(0.001, libzmqP99),
            complete ? "" : ", updates LOST"), p99 <= factor * libzmqP99 && complete, "");
    }

    private static double hotBytes(final RunResult run)
    {
        double total = 0;
        total += sum(RunResult.map(RunResult.map(run.publisher(), "measured"), "bytesPerUpdate"));
        for (final Map<String, Object> subscriber : run.subscribers())
        {
            total += sum(RunResult.map(RunResult.map(subscriber, "measured"), "bytesPerUpdate"));
        }
        return total;
    }

    private static double sum(final Map<String, Object> values)
    {
        return values.values().stream().mapToDouble(v -> v instanceof Number ? ((Number)v).doubleValue() : 0).sum();
    }

    private void row(final String target, final String measured, final boolean met, final String note)
    {
        md.append("| ").append(target).append(" | ").append(measured).append(note.isEmpty() ? "" : " (" + note + ")")
            .append(" | ").append(met ? "yes" : "**no**").append(" |\n");
    }

    private void table(final String group, final String title, final String intro)
    {
        final List<Scenario> scenarios = results.keySet().stream().filter(s -> s.group().equals(group)).toList();
        if (scenarios.isEmpty())
        {
            return;
        }
        md.append("## ").append(title).append("\n\n").append(intro).append("\n\n");
        final List<Scenario> throughput = scenarios.stream().filter(s -> s.kind() == Scenario.Kind.THROUGHPUT)
            .toList();
        final List<Scenario> latency = scenarios.stream().filter(s -> s.kind() == Scenario.Kind.LATENCY).toList();
        if (!throughput.isEmpty())
        {
            md.append("| scenario | delivered updates/s | lost | vs naive JeroMQ | cores: pub + sub |\n" +
                "|---|---|---|---|---|\n");
            rows(throughput);
        }
        if (!latency.isEmpty())
        {
            if (!throughput.isEmpty())
            {
                md.append('\n');
            }
            md.append("| scenario | p50 send | p99 send | p99.9 send | p99.99 send | max send | p99 intended | " +
                "lost | vs raw JeroMQ p99 | vs libzmq C p99 | largest platform stall | cores: pub + sub |\n" +
                "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            rows(latency);
        }
        md.append('\n');
    }

    private void rows(final List<Scenario> scenarios)
    {
        final Scenario naive = find("naive-max");
        final Scenario raw = find("raw-single-100k");
        for (final Scenario scenario : scenarios)
        {
            final List<RunResult> runs = ok(scenario);
            md.append("| ").append(scenario.title());
            if (runs.isEmpty())
            {
                md.append(" | failed: ").append(results.get(scenario).get(0).error()).append(" |\n");
                continue;
            }
            if (scenario.kind() == Scenario.Kind.THROUGHPUT)
            {
                md.append(" | ").append(spread(scenario, RunResult::deliveredRate, Report::mrate))
                    .append(" | ").append(spread(scenario, RunResult::lost, v -> String.format("%.0f", v)))
                    .append(" | ").append(naive == null || ok(naive).isEmpty() ? "" : String.format("%.1f×",
                        median(scenario, RunResult::deliveredRate) / Math.max(1, median(naive,
                        RunResult::deliveredRate))))
                    .append(" | ").append(cores(scenario)).append(" |\n");
            }
            else
            {
                for (final String key : new String[] {"p50", "p99", "p999", "p9999", "max"})
                {
                    md.append(" | ").append(spread(scenario, r -> r.worstLatency("latency_us", key), Report::us));
                }
                md.append(" | ").append(spread(scenario, r -> r.worstLatency("latencyFromSource_us", "p99"),
                    Report::us));
                md.append(" | ").append(spread(scenario, RunResult::lost, v -> String.format("%.0f", v)));
                md.append(" | ").append(raw == null || ok(raw).isEmpty() ? "" : String.format("%.2f×",
                    median(scenario, r -> r.worstLatency("latency_us", "p99")) /
                    Math.max(0.001, median(raw, r -> r.latency("latency_us", "p99")))));
                final Scenario libzmq = find(libzmqReference(scenario));
                md.append(" | ").append(libzmq == null || ok(libzmq).isEmpty() ? "" : String.format("%.2f×",
                    median(scenario, r -> r.worstLatency("latency_us", "p99")) /
                    Math.max(0.001, median(libzmq, r -> r.latency("latency_us", "p99")))));
                md.append(" | ").append(spread(scenario, r -> RunResult.number(r.hiccups(), "max"), Report::us));
                md.append(" | ").append(cores(scenario)).append(" |\n");
            }
        }
    }

    /**
     * The cores the publisher's and the subscribers' processes used over the measured window (medians of the
     * runs): "pub + sub = total", the subscribers summed when there are several, one figure for a one-process run.
     */
    private String cores(final Scenario scenario)
    {
        final List<RunResult> runs = ok(scenario).stream().filter(r -> !Double.isNaN(r.publisherCores())).toList();
        if (runs.isEmpty())
        {
            return "-";
        }
        final double pub = medianOf(runs, RunResult::publisherCores);
        final double sub = medianOf(runs, RunResult::subscriberCores);
        if (Double.isNaN(sub))
        {
            return String.format(Locale.ROOT, "%.2f (one process)", pub);
        }
        final long subscribers = runs.get(0).cpu().keySet().stream().filter(k -> k.startsWith("sub")).count();
        return String.format(Locale.ROOT, "%.2f + %.2f%s = %.2f", pub, sub,
            subscribers > 1 ? " (" + subscribers + " subs)" : "", medianOf(runs, r -> r.publisherCores() +
            r.subscriberCores()));
    }

    /** The libzmq C run at the same rate and instruments as a latency scenario, or "" if there is none. */
    private static String libzmqReference(final Scenario scenario)
    {
        if (Catalog.MILLION.equals(scenario.group()))
        {
            return "libzmq-c-1m-50";
        }
        if (Catalog.JEROMQ_TAIL.equals(scenario.group()))
        {
            return scenario.id().endsWith("-1m") ? "tail-c-c-1m" : "tail-c-c";
        }
        return scenario.id().endsWith("-100k") && !scenario.id().contains("instr") ? "libzmq-c-100k" : "";
    }

    private static double medianOf(final List<RunResult> runs, final ToDoubleFunction<RunResult> metric)
    {
        final double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }

    private void recoveryTable()
    {
        final List<Scenario> scenarios = results.keySet().stream().filter(s -> s.group().equals(Catalog.RECOVERY))
            .toList();
        if (scenarios.isEmpty())
        {
            return;
        }
        md.append("## Recovery in progress\n\n");
        md.append("The publisher's test hook (`--drop-batches every:N`) keeps every Nth batch off the socket while " +
            "its recovery service still holds it; the subscriber detects each loss by sequence number, fetches it " +
            "from the service and delivers it in order, holding the topic's later updates back meanwhile. " +
            "'drop → recovered' runs from the dropped batch's send call to the recovered update's listener call; " +
            "'live' is the latency of every update delivered (held-back ones included); 'during recovery' only of " +
            "the updates delivered while a recovery was in progress. Medians of the runs [min–max].\n\n");
        md.append("| scenario | batches dropped | gaps detected | updates recovered | unrecoverable | " +
            "drop → recovered p50 | p99 | live p50 | live p99 | during recovery p50 | during recovery p99 |\n" +
            "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final Scenario scenario : scenarios)
        {
            md.append("| ").append(scenario.title());
            if (ok(scenario).isEmpty())
            {
                md.append(" | failed: ").append(results.get(scenario).get(0).error()).append(" |\n");
                continue;
            }
            md.append(" | ").append(spread(scenario, r -> RunResult.number(r.publisher(), "droppedByTestHook"),
                v -> String.format(Locale.ROOT, "%.0f", v)));
            md.append(" | ").append(spread(scenario, RunResult::gaps, v -> String.format(Locale.ROOT, "%.0f", v)));
            md.append(" | ").append(spread(scenario, RunResult::recovered,
                v -> String.format(Locale.ROOT, "%.0f", v)));
            md.append(" | ").append(spread(scenario, r -> Math.max(r.lost(), r.unrecoverable()),
                v -> String.format(Locale.ROOT, "%.0f", v)));
            for (final String[] column : new String[][] {{"recoveryLatency_us", "p50"}, {"recoveryLatency_us", "p99"},
                {"latency_us", "p50"}, {"latency_us", "p99"}, {"latencyDuringRecovery_us", "p50"},
                {"latencyDuringRecovery_us", "p99"}})
            {
                md.append(" | ").append(spread(scenario, r -> r.worstLatency(column[0], column[1]), Report::us));
            }
            md.append(" |\n");
        }
        final Scenario reference = find("feed-tcp-100k");
        if (reference != null && !ok(reference).isEmpty())
        {
            md.append("\nWithout recovery in progress (the same rate, no batch dropped, same rounds): live p50 ")
                .append(spread(reference, r -> r.worstLatency("latency_us", "p50"), Report::us)).append(", p99 ")
                .append(spread(reference, r -> r.worstLatency("latency_us", "p99"), Report::us)).append(".\n");
        }
        md.append('\n');
    }

    private void options()
    {
        final List<String[]> pairs = new ArrayList<>();
        for (final String[] pair : Catalog.OPTION_PAIRS)
        {
            final Scenario off = find(pair[0]);
            final Scenario on = find(pair[1]);
            if (off != null && on != null && !ok(off).isEmpty() && !ok(on).isEmpty())
            {
                pairs.add(pair);
            }
        }
        final Scenario replay = find("replay-max");
        if (pairs.isEmpty() && replay == null)
        {
            return;
        }
        md.append("## Journal, CURVE, metrics and recovery: on against off\n\n");
        md.append("Each pair ran in the same rounds, interleaved with every other scenario. 'off' is the reference " +
            "run of the same rate; the cost is on / off.\n\n");
        md.append("| option | off | on | on / off |\n|---|---|---|---|\n");
        for (final String[] pair : pairs)
        {
            final Scenario off = find(pair[0]);
            final Scenario on = find(pair[1]);
            if (on.kind() == Scenario.Kind.THROUGHPUT)
            {
                final double a = median(off, RunResult::deliveredRate);
                final double b = median(on, RunResult::deliveredRate);
                md.append("| ").append(pair[2]).append(" | ").append(mrate(a)).append(" | ").append(mrate(b))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", b / Math.max(1, a))).append(" |\n");
            }
            else
            {
                for (final String key : new String[] {"p50", "p99", "p9999"})
                {
                    final double a = median(off, r -> r.worstLatency("latency_us", key));
                    final double b = median(on, r -> r.worstLatency("latency_us", key));
                    md.append("| ").append(pair[2]).append(", ").append(key).append(" | ").append(us(a))
                        .append(" | ").append(us(b)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", b / Math.max(0.001, a))).append(" |\n");
                }
            }
        }
        if (replay != null && !ok(replay).isEmpty())
        {
            md.append("| replay of a journal to one subscriber, `--speed max` | | ")
                .append(spread(replay, ReplayScenario::replayRate, Report::mrate)).append(" | |\n");
        }
        md.append('\n');
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
        final Scenario max = find("feed-tcp-max");
        if (max != null && !ok(max).isEmpty())
        {
            runs.add(medianRun(max, RunResult::deliveredRate));
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
            if (scenario.kind() != Scenario.Kind.LATENCY || ok(scenario).isEmpty())
            {
                continue;
            }
            final Path hgrm = medianRun(scenario, r -> r.latency("latency_us", "p99")).directory()
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

    private Scenario find(final String id)
    {
        return results.keySet().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    private List<RunResult> ok(final Scenario scenario)
    {
        return results.get(scenario).stream().filter(RunResult::ok).toList();
    }

    private double median(final Scenario scenario, final ToDoubleFunction<RunResult> metric)
    {
        final double[] values = ok(scenario).stream().mapToDouble(metric).sorted().toArray();
        return values.length == 0 ? 0 : values[values.length / 2];
    }

    private RunResult medianRun(final Scenario scenario, final ToDoubleFunction<RunResult> metric)
    {
        final List<RunResult> runs = new ArrayList<>(ok(scenario));
        runs.sort(Comparator.comparingDouble(metric));
        return runs.get(runs.size() / 2);
    }

    private String spread(final Scenario scenario, final ToDoubleFunction<RunResult> metric,
        final java.util.function.DoubleFunction<String> format)
    {
        final double[] values = ok(scenario).stream().mapToDouble(metric).sorted().toArray();
        if (values.length == 1)
        {
            return format.apply(values[0]);
        }
        return format.apply(values[values.length / 2]) + " [" + format.apply(values[0]) + "–" +
            format.apply(values[values.length - 1]) + "]";
    }

    private static String mrate(final double rate)
    {
        return String.format(Locale.ROOT, "%.2f M/s", rate / 1e6);
    }

    private static String us(final double micros)
    {
        if (micros >= 10_000)
        {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1000);
        }
        return micros >= 1000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1000) :
            String.format(Locale.ROOT, "%.1f µs", micros);
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
