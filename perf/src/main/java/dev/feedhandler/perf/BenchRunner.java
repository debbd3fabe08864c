package dev.feedhandler.perf;

import dev.feedhandler.cli.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark harness behind {@code scripts/bench}: runs every scenario several times in rounds (so that the
 * feed and its baselines are measured side by side, interleaved, on the same noisy machine), then the JMH
 * microbenchmarks and a profiled run, and writes the report.
 * <pre>
 *   BenchRunner [--quick | --suite jeromq-tail | --suite shm] [--runs N] [--seconds S] [--warmup S] [--gc-seconds S]
 *               [--settle S] [--only ID,ID] [--out DIR] [--report FILE] [--no-jmh] [--no-profile]
 *   BenchRunner --from DIR [--report FILE]     (the report again, from a pass's raw results)
 * </pre>
 */
public final class BenchRunner
{
    /** The feed's command-line main class. */
    static final String FEED_MAIN = "dev.feedhandler.cli.FeedCli";
    /** The pass's settings, kept with its raw results. */
    static final String RUN_FILE = "run.json";

    /**
     * The pause before every run, with nothing of the pass running. On the VMs this project is measured on, a run that
     * starts right after a feed run's JVMs exit met stalls of the whole machine of 30-37 ms in its first seconds (the
     * libzmq C baseline after the feed: 3 runs of 3; alone: none), which land in the measured window of a scenario
     * whose processes start at once (the libzmq C baselines) and not in one whose JVMs take seconds to start
     * (docs/benchmarks-analysis.md).
     */
    static final String SETTLE_SECONDS = "5";

    private static final Set<String> FLAGS = Set.of("help", "quick", "no-jmh", "no-profile");
    private static final Set<String> VALUED = Set.of("root", "suite", "runs", "seconds", "warmup", "gc-seconds",
        "settle", "only", "out", "report", "from");
    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: scripts/bench [--quick | --suite jeromq-tail | --suite shm] [--runs N] [--seconds S] [--warmup S]",
        "                     [--gc-seconds S] [--settle S] [--only ID,ID] [--out DIR] [--report FILE] [--no-jmh]",
        "                     [--no-profile]",
        "       scripts/bench --from DIR [--report FILE]   (the report again from a pass's raw results)",
        "With no option: the full run (about 80 minutes on 2 cores), which rewrites docs/benchmarks.md.");

    private BenchRunner()
    {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args see the class comment.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> options = optionsOrExit(args);
        if (options.containsKey("from"))
        {
            regenerate(options);
            return;
        }
        final boolean quick = options.containsKey("quick");
        final Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        final int settleSeconds = Integer.parseInt(options.getOrDefault("settle", quick ? "0" : SETTLE_SECONDS));
        final BenchSettings settings = new BenchSettings(
            Integer.parseInt(options.getOrDefault("seconds", quick ? "3" : "10")),
            Integer.parseInt(options.getOrDefault("warmup", quick ? "1" : "3")),
            Integer.parseInt(options.getOrDefault("runs", quick ? "1" : "3")), settleSeconds);
        final int gcSeconds = Integer.parseInt(options.getOrDefault("gc-seconds", quick ? "0" : "60"));
        final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        final Path out = Path.of(options.getOrDefault("out", root.resolve("bench-results").resolve(stamp).toString()));
        Files.createDirectories(out);
        final BenchEnvironment environment = new BenchEnvironment(root, System.getProperty("java.class.path"),
            BenchEnvironment.DEFAULT_BENCH_FLAGS);
        final String command = "scripts/bench " + String.join(" ", args).replace("--root " + root, "").trim();
        final String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
        // What the report needs to be written again from the raw results (--from), without running anything.
        final Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", command);
        run.put("date", date);
        run.put("quick", quick);
        run.put("only", options.getOrDefault("only", ""));
        run.put("suite", options.getOrDefault("suite", ""));
        run.put("runs", settings.runs());
        run.put("seconds", settings.seconds());
        run.put("warmup", settings.warmupSeconds());
        run.put("gcSeconds", gcSeconds);
        run.put("settleSeconds", settleSeconds);
        Files.writeString(out.resolve(RUN_FILE), Json.write(run), StandardCharsets.UTF_8);

        final List<Scenario> scenarios = scenarios(quick, options.get("suite"), options.get("only"));
        final long started = System.nanoTime();
        final Map<Scenario, List<RunResult>> results = new LinkedHashMap<>();
        for (int round = 1; round <= settings.runs(); round++)
        {
            for (final Scenario scenario : scenarios)
            {
                final Path directory = out.resolve(scenario.id()).resolve("run" + round);
                Files.createDirectories(directory);
                log("round %d/%d %-22s %s", round, settings.runs(), scenario.id(), scenario.title());
                Thread.sleep(settleSeconds * 1000L);
                final HiccupMeter hiccups = HiccupMeter.start();
                final RunResult result = scenario.run(environment, directory, settings);
                hiccups.stopAndWrite(directory);
                results.computeIfAbsent(scenario, s -> new ArrayList<>()).add(result);
                log("  %s", describe(scenario, result));
            }
        }

        final Map<Scenario, RunResult> gc = new LinkedHashMap<>();
        final boolean partial = quick || options.containsKey("only") || options.containsKey("suite");
        if (gcSeconds > 0 && !options.containsKey("only") && !options.containsKey("suite"))
        {
            for (final FeedScenario gcScenario : Catalog.gcScenarios())
            {
                final Path directory = out.resolve(gcScenario.id());
                Files.createDirectories(directory);
                log("allocation and GC window: %s, %d s", gcScenario.title(), gcSeconds);
                final RunResult result = gcScenario.run(environment, directory, new BenchSettings(gcSeconds, 10, 1));
                gc.put(gcScenario, result);
                log("  %s", describe(gcScenario, result));
            }
        }

        Map<String, Object> jmh = Map.of();
        if (!options.containsKey("no-jmh") && !options.containsKey("only") && !options.containsKey("suite"))
        {
            log("JMH microbenchmarks");
            jmh = Microbenchmarks.run(environment, out.resolve("jmh"), quick);
        }

        Map<String, List<String>> profile = Map.of();
        if (!options.containsKey("no-profile") && !partial)
        {
            log("profiled run: %s", Catalog.throughputReference().title());
            profile = Profiler.profile(environment, out.resolve("profile"), settings);
        }

        final Path report = reportFile(options, root, out, partial);
        new Report(results, gc, jmh, profile, settings, gcSeconds, command, date, out, environment)
            .write(report, plotsDirectory(root, out, partial));
        log("done in %.1f min: report %s, raw results %s", (System.nanoTime() - started) / 60e9, report, out);

        final boolean allOk = results.values().stream().flatMap(List::stream).allMatch(RunResult::ok);
        System.exit(allOk ? 0 : 1);
    }

    /**
     * Writes the report again from a pass's raw results ({@code --from DIR}): after the hand-written analysis
     * changed, or the report's format did, without running anything.
     */
    private static void regenerate(final Map<String, String> options) throws IOException
    {
        final Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        final Path out = Path.of(options.get("from")).toAbsolutePath().normalize();
        final Path runFile = out.resolve(RUN_FILE);
        if (!Files.exists(runFile))
        {
            throw new IOException(out + " has no " + RUN_FILE + ": not the raw results of a bench pass");
        }
        final Map<String, Object> run = Json.parseObject(Files.readString(runFile, StandardCharsets.UTF_8));
        final boolean quick = Boolean.TRUE.equals(run.get("quick"));
        final String only = String.valueOf(run.getOrDefault("only", ""));
        final String suite = String.valueOf(run.getOrDefault("suite", ""));
        final BenchSettings settings = new BenchSettings((int)RunResult.number(run, "seconds"),
            (int)RunResult.number(run, "warmup"), (int)RunResult.number(run, "runs"),
            (int)RunResult.number(run, "settleSeconds"));
        final int gcSeconds = (int)RunResult.number(run, "gcSeconds");
        final BenchEnvironment environment = new BenchEnvironment(root, System.getProperty("java.class.path"),
            BenchEnvironment.DEFAULT_BENCH_FLAGS);

        final Map<Scenario, List<RunResult>> results = new LinkedHashMap<>();
        for (final Scenario scenario : scenarios(quick, suite.isEmpty() ? null : suite, only.isEmpty() ? null : only))
        {
            for (int round = 1; round <= settings.runs(); round++)
            {
                final Path directory = out.resolve(scenario.id()).resolve("run" + round);
                if (Files.isDirectory(directory))
                {
                    results.computeIfAbsent(scenario, s -> new ArrayList<>()).add(RunResult.load(directory));
                }
            }
        }
        final Map<Scenario, RunResult> gc = new LinkedHashMap<>();
        for (final FeedScenario gcScenario : Catalog.gcScenarios())
        {
            final Path directory = out.resolve(gcScenario.id());
            if (Files.isDirectory(directory))
            {
                gc.put(gcScenario, RunResult.load(directory));
            }
        }
        final Path jmhJson = out.resolve("jmh").resolve("jmh.json");
        final Map<String, Object> jmh = Files.exists(jmhJson) ? Microbenchmarks.parse(jmhJson) : Map.of();
        final Map<String, List<String>> profile = Files.isDirectory(out.resolve("profile")) ?
            Profiler.load(out.resolve("profile")) : Map.of();

        final boolean partial = quick || !only.isEmpty() || !suite.isEmpty();
        final Path report = reportFile(options, root, out, partial);
        new Report(results, gc, jmh, profile, settings, gcSeconds, String.valueOf(run.get("command")),
            String.valueOf(run.get("date")), out, environment).write(report, plotsDirectory(root, out, partial));
        log("report %s written again from %s", report, out);
    }

    static List<Scenario> scenarios(final boolean quick, final String suite, final String only)
    {
        final List<Scenario> scenarios;
        if (suite == null)
        {
            scenarios = quick ? Catalog.quick() : Catalog.full();
        }
        else if (Catalog.JEROMQ_TAIL.equals(suite))
        {
            scenarios = Catalog.jeromqTail();
        }
        else if (Catalog.SHM.equals(suite))
        {
            scenarios = Catalog.shm();
        }
        else
        {
            throw new IllegalArgumentException("unknown --suite " + suite + " (there are " + Catalog.JEROMQ_TAIL +
                " and " + Catalog.SHM + ")");
        }
        if (only == null)
        {
            return scenarios;
        }
        final List<String> ids = List.of(only.split(","));
        return scenarios.stream().filter(s -> ids.contains(s.id())).toList();
    }

    /** Only a full pass replaces the committed report; a quick or partial one writes next to its raw results. */
    private static Path reportFile(final Map<String, String> options, final Path root, final Path out,
        final boolean partial)
    {
        return Path.of(options.getOrDefault("report",
            partial ? out.resolve("benchmarks.md").toString() : root.resolve("docs/benchmarks.md").toString()));
    }

    private static Path plotsDirectory(final Path root, final Path out, final boolean partial)
    {
        return partial ? out : root.resolve("docs/benchmarks");
    }

    static String describe(final Scenario scenario, final RunResult result)
    {
        if (!result.ok())
        {
            return "FAILED: " + (result.error() != null ? result.error() : result.subscribers());
        }
        if (scenario.kind() == Scenario.Kind.THROUGHPUT)
        {
            return String.format("delivered %.2f M updates/s, lost %d, gaps %d", result.deliveredRate() / 1e6,
                result.lost(), result.gaps());
        }
        return String.format("p50 %.1f us, p99 %.1f us, p99.99 %.1f us, max %.1f us; from intended p99 %.1f us; " +
            "lost %d; cores pub %.2f sub %.2f", result.worstLatency("latency_us", "p50"),
            result.worstLatency("latency_us", "p99"), result.worstLatency("latency_us", "p9999"),
            result.worstLatency("latency_us", "max"), result.worstLatency("latencyFromSource_us", "p99"),
            result.lost(), result.publisherCores(), result.subscriberCores());
    }

    static void log(final String format, final Object... args)
    {
        System.out.printf("bench: " + format + "%n", args);
        System.out.flush();
    }

    /**
     * The options, or an exit: status 2 with a one-line error for a bad command line, 0 after the usage for --help.
     */
    private static Map<String, String> optionsOrExit(final String[] args)
    {
        try
        {
            final Map<String, String> options = parse(args);
            if (options.containsKey("help"))
            {
                System.out.println(USAGE);
                System.exit(0);
            }
            return options;
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("bench: " + ex.getMessage() + " (scripts/bench --help lists the options)");
            System.exit(2);
            throw ex;
        }
    }

    /**
     * Reads the options: each one known, a flag without a value, any other with one ({@code -h} is {@code --help}).
     *
     * @param args the command line.
     * @return the options by name (without the dashes), flags as {@code "true"}.
     * @throws IllegalArgumentException for an unknown option, a flag given a value or an option without one.
     */
    static Map<String, String> parse(final String[] args)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++)
        {
            if ("-h".equals(args[i]))
            {
                options.put("help", "true");
                continue;
            }
            if (!args[i].startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            final String name = args[i].substring(2);
            if (FLAGS.contains(name))
            {
                options.put(name, "true");
            }
            else if (VALUED.contains(name))
            {
                if (i + 1 >= args.length || args[i + 1].startsWith("--"))
                {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                options.put(name, args[++i]);
            }
            else
            {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return options;
    }
}
