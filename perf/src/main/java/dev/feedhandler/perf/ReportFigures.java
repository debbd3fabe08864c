package dev.feedhandler.perf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The figures of a pass that the report quotes: each scenario's successful runs, their median, the median run and
 * the spread "median [min–max]", the cores used, and the formats of rates and latencies.
 */
final class ReportFigures
{
    private final Map<Scenario, List<RunResult>> results;

    ReportFigures(final Map<Scenario, List<RunResult>> results)
    {
        this.results = results;
    }

    /** Every run of a scenario, failed ones included. */
    List<RunResult> runs(final Scenario scenario)
    {
        return results.get(scenario);
    }

    /** The scenarios of the pass, in the order they ran. */
    List<Scenario> scenarios()
    {
        return List.copyOf(results.keySet());
    }

    /**
     * The cores the publisher's and the subscribers' processes used over the measured window (medians of the
     * runs): "pub + sub = total", the subscribers summed when there are several, one figure for a one-process run.
     */
    String cores(final Scenario scenario)
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

    static double medianOf(final List<RunResult> runs, final ToDoubleFunction<RunResult> metric)
    {
        final double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }

    Scenario find(final String id)
    {
        return results.keySet().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    List<RunResult> ok(final Scenario scenario)
    {
        return results.get(scenario).stream().filter(RunResult::ok).toList();
    }

    double median(final Scenario scenario, final ToDoubleFunction<RunResult> metric)
    {
        final double[] values = ok(scenario).stream().mapToDouble(metric).sorted().toArray();
        return values.length == 0 ? 0 : values[values.length / 2];
    }

    RunResult medianRun(final Scenario scenario, final ToDoubleFunction<RunResult> metric)
    {
        final List<RunResult> runs = new ArrayList<>(ok(scenario));
        runs.sort(Comparator.comparingDouble(metric));
        return runs.get(runs.size() / 2);
    }

    String spread(final Scenario scenario, final ToDoubleFunction<RunResult> metric,
        final DoubleFunction<String> format)
    {
        final double[] values = ok(scenario).stream().mapToDouble(metric).sorted().toArray();
        if (values.length == 1)
        {
            return format.apply(values[0]);
        }
        return format.apply(values[values.length / 2]) + " [" + format.apply(values[0]) + "–" +
            format.apply(values[values.length - 1]) + "]";
    }

    static String mrate(final double rate)
    {
        return String.format(Locale.ROOT, "%.2f M/s", rate / 1e6);
    }

    static String us(final double micros)
    {
        if (micros >= 10_000)
        {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1000);
        }
        return micros >= 1000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1000) :
            String.format(Locale.ROOT, "%.1f µs", micros);
    }
}
