package dev.feedhandler.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.feedhandler.perf.ReportFigures.mrate;
import static dev.feedhandler.perf.ReportFigures.us;

/**
 * The report's tables of scenarios: one per group (throughput and latency, with the ratios against the naive, raw
 * and libzmq baselines), recovery in progress, and the options on against off.
 */
final class ScenarioTables
{
    private final StringBuilder md;
    private final ReportFigures figures;

    ScenarioTables(final StringBuilder md, final ReportFigures figures)
    {
        this.md = md;
        this.figures = figures;
    }

    void table(final String group, final String title, final String intro)
    {
        final List<Scenario> scenarios = figures.scenarios().stream().filter(s -> s.group().equals(group)).toList();
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
        final Scenario naive = figures.find("naive-max");
        final Scenario raw = figures.find("raw-single-100k");
        for (final Scenario scenario : scenarios)
        {
            final List<RunResult> runs = figures.ok(scenario);
            md.append("| ").append(scenario.title());
            if (runs.isEmpty())
            {
                md.append(" | failed: ").append(figures.runs(scenario).get(0).error()).append(" |\n");
                continue;
            }
            if (scenario.kind() == Scenario.Kind.THROUGHPUT)
            {
                md.append(" | ").append(figures.spread(scenario, RunResult::deliveredRate, ReportFigures::mrate))
                    .append(" | ").append(figures.spread(scenario, RunResult::lost, v -> String.format("%.0f", v)))
                    .append(" | ").append(naive == null || figures.ok(naive).isEmpty() ? "" : String.format("%.1f×",
                        figures.median(scenario, RunResult::deliveredRate) / Math.max(1, figures.median(naive,
                        RunResult::deliveredRate))))
                    .append(" | ").append(figures.cores(scenario)).append(" |\n");
            }
            else
            {
                for (final String key : new String[] {"p50", "p99", "p999", "p9999", "max"})
                {
                    md.append(" | ").append(figures.spread(scenario, r -> r.worstLatency("latency_us", key),
                        ReportFigures::us));
                }
                md.append(" | ").append(figures.spread(scenario, r -> r.worstLatency("latencyFromSource_us", "p99"),
                    ReportFigures::us));
                md.append(" | ").append(figures.spread(scenario, RunResult::lost, v -> String.format("%.0f", v)));
                md.append(" | ").append(raw == null || figures.ok(raw).isEmpty() ? "" : String.format("%.2f×",
                    figures.median(scenario, r -> r.worstLatency("latency_us", "p99")) /
                    Math.max(0.001, figures.median(raw, r -> r.latency("latency_us", "p99")))));
                final Scenario libzmq = figures.find(libzmqReference(scenario));
                md.append(" | ").append(libzmq == null || figures.ok(libzmq).isEmpty() ? "" : String.format("%.2f×",
                    figures.median(scenario, r -> r.worstLatency("latency_us", "p99")) /
                    Math.max(0.001, figures.median(libzmq, r -> r.latency("latency_us", "p99")))));
                md.append(" | ").append(figures.spread(scenario, r -> RunResult.number(r.hiccups(), "max"),
                    ReportFigures::us));
                md.append(" | ").append(figures.cores(scenario)).append(" |\n");
            }
        }
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

    void recoveryTable()
    {
        final List<Scenario> scenarios = figures.scenarios().stream().filter(s -> s.group().equals(Catalog.RECOVERY))
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
            if (figures.ok(scenario).isEmpty())
            {
                md.append(" | failed: ").append(figures.runs(scenario).get(0).error()).append(" |\n");
                continue;
            }
            md.append(" | ").append(figures.spread(scenario, r -> RunResult.number(r.publisher(), "droppedByTestHook"),
                v -> String.format(Locale.ROOT, "%.0f", v)));
            md.append(" | ").append(figures.spread(scenario, RunResult::gaps,
                v -> String.format(Locale.ROOT, "%.0f", v)));
            md.append(" | ").append(figures.spread(scenario, RunResult::recovered,
                v -> String.format(Locale.ROOT, "%.0f", v)));
            md.append(" | ").append(figures.spread(scenario, r -> Math.max(r.lost(), r.unrecoverable()),
                v -> String.format(Locale.ROOT, "%.0f", v)));
            for (final String[] column : new String[][] {{"recoveryLatency_us", "p50"}, {"recoveryLatency_us", "p99"},
                {"latency_us", "p50"}, {"latency_us", "p99"}, {"latencyDuringRecovery_us", "p50"},
                {"latencyDuringRecovery_us", "p99"}})
            {
                md.append(" | ").append(figures.spread(scenario, r -> r.worstLatency(column[0], column[1]),
                    ReportFigures::us));
            }
            md.append(" |\n");
        }
        final Scenario reference = figures.find("feed-tcp-100k");
        if (reference != null && !figures.ok(reference).isEmpty())
        {
            md.append("\nWithout recovery in progress (the same rate, no batch dropped, same rounds): live p50 ")
                .append(figures.spread(reference, r -> r.worstLatency("latency_us", "p50"), ReportFigures::us))
                .append(", p99 ")
                .append(figures.spread(reference, r -> r.worstLatency("latency_us", "p99"), ReportFigures::us))
                .append(".\n");
        }
        md.append('\n');
    }

    void options()
    {
        final List<String[]> pairs = new ArrayList<>();
        for (final String[] pair : Catalog.OPTION_PAIRS)
        {
            final Scenario off = figures.find(pair[0]);
            final Scenario on = figures.find(pair[1]);
            if (off != null && on != null && !figures.ok(off).isEmpty() && !figures.ok(on).isEmpty())
            {
                pairs.add(pair);
            }
        }
        final Scenario replay = figures.find("replay-max");
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
            final Scenario off = figures.find(pair[0]);
            final Scenario on = figures.find(pair[1]);
            if (on.kind() == Scenario.Kind.THROUGHPUT)
            {
                final double a = figures.median(off, RunResult::deliveredRate);
                final double b = figures.median(on, RunResult::deliveredRate);
                md.append("| ").append(pair[2]).append(" | ").append(mrate(a)).append(" | ").append(mrate(b))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", b / Math.max(1, a))).append(" |\n");
            }
            else
            {
                for (final String key : new String[] {"p50", "p99", "p9999"})
                {
                    final double a = figures.median(off, r -> r.worstLatency("latency_us", key));
                    final double b = figures.median(on, r -> r.worstLatency("latency_us", key));
                    md.append("| ").append(pair[2]).append(", ").append(key).append(" | ").append(us(a))
                        .append(" | ").append(us(b)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", b / Math.max(0.001, a))).append(" |\n");
                }
            }
        }
        if (replay != null && !figures.ok(replay).isEmpty())
        {
            md.append("| replay of a journal to one subscriber, `--speed max` | | ")
                .append(figures.spread(replay, ReplayScenario::replayRate, ReportFigures::mrate)).append(" | |\n");
        }
        md.append('\n');
    }
}
