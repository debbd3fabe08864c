package dev.feedhandler.perf;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.feedhandler.perf.ReportFigures.mrate;
import static dev.feedhandler.perf.ReportFigures.us;

/**
 * The report's table of targets: each target of the project (throughput without loss, p99 against raw JeroMQ's and
 * libzmq's, no GC, allocation per update, fan-out, replay), what the pass measured, and whether it is met.
 */
final class TargetsTable
{
    private final StringBuilder md;
    private final ReportFigures figures;
    private final Map<Scenario, RunResult> gc;
    private final int gcSeconds;

    TargetsTable(final StringBuilder md, final ReportFigures figures, final Map<Scenario, RunResult> gc,
        final int gcSeconds)
    {
        this.md = md;
        this.figures = figures;
        this.gc = gc;
        this.gcSeconds = gcSeconds;
    }

    /** Appends the section. */
    void write()
    {
        md.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
        final Scenario feedMax = figures.find("feed-tcp-max");
        final Scenario naiveMax = figures.find("naive-max");
        final Scenario feed100k = figures.find("feed-tcp-100k");
        final Scenario raw100k = figures.find("raw-single-100k");
        final Scenario fanout8 = figures.find("feed-fanout8-1m");
        if (feedMax != null)
        {
            final double rate = figures.median(feedMax, RunResult::deliveredRate);
            final boolean noLoss = figures.runs(feedMax).stream().allMatch(RunResult::complete);
            row("sustained throughput without loss ≥ 10 M updates/s (tcp, separate JVMs)",
                mrate(rate) + (noLoss ? ", no update lost" : ", LOSS"), rate >= 10e6 && noLoss,
                rate >= 10e6 ? "" : String.format("%.0f%% of the target", 100 * rate / 10e6));
            if (naiveMax != null)
            {
                final double naive = figures.median(naiveMax, RunResult::deliveredRate);
                final double ratio = rate / Math.max(1, naive);
                row("≥ 10× the naive JeroMQ delivered rate", String.format("%.1f× (naive %s)", ratio, mrate(naive)),
                    ratio >= 10, "");
            }
        }
        if (feed100k != null && raw100k != null)
        {
            final double p99 = figures.median(feed100k, r -> r.latency("latency_us", "p99"));
            final double rawP99 = figures.median(raw100k, r -> r.latency("latency_us", "p99"));
            row("p99 at 100k/s ≤ 1.2× raw JeroMQ's one-way p99", String.format("%s vs %s: %.2f×", us(p99),
                us(rawP99), p99 / Math.max(0.001, rawP99)), p99 <= 1.2 * rawP99, "");
            final double p9999 = figures.median(feed100k, r -> r.latency("latency_us", "p9999"));
            row("p99.99 at 100k/s < 2 ms", us(p9999), p9999 < 2000, "");
            final double max = figures.median(feed100k, r -> r.latency("latency_us", "max"));
            final double stall = figures.median(feed100k, r -> RunResult.number(r.hiccups(), "max"));
            row("max at 100k/s explained", String.format("%s; the largest platform stall (a thread that asked to " +
                "sleep 1 ms woke this much later) in the same runs: %s; see the analysis", us(max), us(stall)),
                true, "");
        }
        againstLibzmq();
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
            final boolean noLoss = figures.runs(fanout8).stream().allMatch(RunResult::complete);
            final double recovered = figures.median(fanout8, r -> r.recovered());
            final List<RunResult> runs = figures.runs(fanout8);
            final long lossy = runs.stream().filter(r -> !r.complete()).count();
            final double worst = runs.stream().mapToDouble(r -> Math.max(r.lost(), r.unrecoverable())).max()
                .orElse(0);
            row("fan-out to 8 subscriber processes at 1M/s in total (125k/s each) with zero unrecovered loss",
                (noLoss ? "no unrecovered loss in any run" : String.format("updates lost in %d of %d runs (up to " +
                "%.0f)", lossy, runs.size(), worst)) + String.format(", median %.0f updates recovered per run",
                recovered), noLoss, "");
        }
        final Scenario steady = figures.find(Catalog.FANOUT8_STEADY);
        if (steady != null && !figures.ok(steady).isEmpty())
        {
            // The worst subscriber's p99, as in the fan-out table; the start-up figure next to it, not hidden.
            final double p99 = figures.median(steady, r -> r.worstLatency("latency_us", "p99"));
            final boolean noLoss = figures.runs(steady).stream().allMatch(RunResult::complete);
            final String startUp = fanout8 == null || figures.ok(fanout8).isEmpty() ? "" : String.format("; with " +
                "the pass's warm-up, JIT compilation of the 9 JVMs included: %s",
                us(figures.median(fanout8, r -> r.worstLatency("latency_us", "p99"))));
            row("fan-out to 8 subscriber processes at 1M/s in total: p99 ≤ 50 ms, zero unrecovered loss (steady " +
                "state: after a " + Catalog.FANOUT_STEADY_WARMUP + " s warm-up; the worst subscriber's p99)",
                us(p99) + (noLoss ? ", no unrecovered loss" : ", LOSS") + startUp, p99 <= 50_000 && noLoss, "");
        }
        final Scenario replay = figures.find("replay-max");
        if (replay != null && !figures.ok(replay).isEmpty())
        {
            final double rate = figures.median(replay, ReplayScenario::replayRate);
            final boolean complete = figures.ok(replay).stream().allMatch(r -> r.lost() == 0);
            row("`feed replay --publish --speed max` ≥ 5 M updates/s", mrate(rate) +
                (complete ? ", every update received" : ", LOSS"), rate >= 5e6 && complete,
                rate >= 5e6 ? "" : String.format("%.0f%% of the target", 100 * rate / 5e6));
        }
        md.append('\n');
    }

    /** The targets against libzmq in C at the same rate: cores at most libzmq's, p99 at most a factor of it. */
    /** Issue 12's targets against libzmq C: after the pass's warm-up, and in steady state. */
    private void againstLibzmq()
    {
        againstLibzmq("100k/s, 10 instruments, default flags", figures.find("feed-tcp-100k"),
            figures.find("libzmq-c-100k"), 5);
        againstLibzmq("1M/s, 50 instruments, `--journal`, default flags", figures.find("feed-journal-1m-50"),
            figures.find("libzmq-c-1m-50"), 2);
        final String steadyState = " (steady state: after a " + Catalog.STEADY_WARMUP + " s warm-up)";
        againstLibzmq("100k/s, 10 instruments, default flags" + steadyState, figures.find("feed-tcp-100k-steady"),
            figures.find("libzmq-c-100k"), 5);
        againstLibzmq("1M/s, 50 instruments, `--journal`, default flags" + steadyState,
            figures.find("feed-journal-1m-50-steady"), figures.find("libzmq-c-1m-50"), 2);
    }

    private void againstLibzmq(final String what, final Scenario feed, final Scenario libzmq, final double factor)
    {
        if (feed == null || libzmq == null || figures.ok(feed).isEmpty() || figures.ok(libzmq).isEmpty())
        {
            return;
        }
        final double feedCores = figures.median(feed, r -> r.publisherCores() + r.subscriberCores());
        final double libzmqCores = figures.median(libzmq, r -> r.publisherCores() + r.subscriberCores());
        if (!Double.isNaN(feedCores) && !Double.isNaN(libzmqCores))
        {
            row(what + ": feed cores (publisher + subscriber) ≤ libzmq C's", String.format(Locale.ROOT,
                "%.2f vs %.2f", feedCores, libzmqCores), feedCores <= libzmqCores, "");
        }
        final double p99 = figures.median(feed, r -> r.worstLatency("latency_us", "p99"));
        final double libzmqP99 = figures.median(libzmq, r -> r.latency("latency_us", "p99"));
        final boolean complete = figures.ok(feed).stream().allMatch(RunResult::complete);
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
}
