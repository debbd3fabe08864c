package dev.feedhandler.cli.journal;

import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.cli.options.ConfigDefaults;
import dev.feedhandler.cli.options.ConfigOptions;
import dev.feedhandler.cli.options.IoThreadPolicyOption;
import dev.feedhandler.cli.options.MetricsOptions;
import dev.feedhandler.metrics.HealthProbes;
import dev.feedhandler.metrics.MetricsServer;
import dev.feedhandler.metrics.ReplayMetrics;
import dev.feedhandler.metrics.StatsPrinter;
import dev.feedhandler.publisher.replay.ReplayProgress;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.feedhandler.cli.options.BootstrapServers;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.cli.options.GracefulCommand;
import dev.feedhandler.cli.options.GracefulShutdown;
import dev.feedhandler.cli.options.StopRequest;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.JournalFilter;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.JournalSource;
import dev.feedhandler.journal.RemoteJournal;
import dev.feedhandler.publisher.replay.JournalReplay;
import dev.feedhandler.publisher.replay.ReplayPacer;
import dev.feedhandler.publisher.source.ReplaySpeed;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.EndpointException;
import dev.feedhandler.publisher.transport.IoThreadPolicy;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.publisher.transport.XPubPublication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code feed replay}: prints a journal's updates (text, csv or json, one per line), or re-publishes its frames on
 * an XPUB socket at the recorded pace, N times faster or flat out, for ordinary subscribers.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = FeedVersion.class,
    defaultValueProvider = ConfigDefaults.class,
    description = {
        "Replay a journal: print its updates one per line (--format text, csv or json), or with --publish send its " +
            "batches on a ZeroMQ XPUB socket; either at the recorded pace (--speed 1), N times faster, or flat out " +
            "(max).",
        "From Kafka (what feed kafka-sink wrote): --kafka --bootstrap-servers HOST:PORT --topic NAME, with the " +
            "same formats, filters (--instrument for prefixes) and pace.",
        "Printing: stdout carries only the updates; the summary goes to stderr. Publishing: the one-line JSON " +
            "summary is the last line of stdout."
    })
public final class ReplayCommand implements Callable<Integer>, GracefulCommand
{
    @Mixin
    ConfigOptions config;

    @Option(names = "--journal", paramLabel = "DIR", description = "The journal directory.")
    Path journal;

    @Option(names = "--kafka", description = "Read the journal's copy in Kafka instead (--bootstrap-servers, --topic).")
    boolean kafka;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
        description = "With --kafka: the Kafka cluster, host:port[,host:port...].")
    String bootstrapServers;

    @Option(names = "--instrument", paramLabel = "PREFIX",
        description = "Only topics (instruments) with this prefix, repeatable (default: all); the same as --topic " +
            "without --kafka.")
    List<String> instruments = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "How to print updates: text, csv or json; not with --publish (default: ${DEFAULT-VALUE}).")
    UpdateFormat.Kind format;

    @Option(names = "--topic", paramLabel = "PREFIX",
        description = "Only topics with this prefix, repeatable (default: all); with --kafka: the Kafka topic to " +
            "read (filter instruments with --instrument).")
    List<String> topics = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME|INDEX", converter = JournalBound.Converter.class,
        description = "Start at this ISO-8601 time (2026-01-01T09:00:00Z; no zone means UTC) or journal index " +
            "(default: the start).")
    JournalBound from;

    @Option(names = "--to", paramLabel = "TIME|INDEX", converter = JournalBound.Converter.class,
        description = "End at this time or index, inclusive (default: the current end).")
    JournalBound to;

    @Option(names = "--publish", paramLabel = "ENDPOINT",
        description = "Re-publish on this endpoint instead of printing, repeatable (tcp://host:port, ipc://name).")
    List<String> publish = new ArrayList<>();

    @Option(names = "--speed", paramLabel = "1|N|max",
        description = "Pace by the recorded timestamps, printing or publishing: 1 for the recorded pace, N for N " +
            "times faster (decimals allowed, at least " + ReplaySpeed.MIN_SPEED_NUMBER + ": " +
            ReplaySpeed.MIN_SPEED_MEANING + "), max for flat out (default: " + ReplayFlags.PUBLISH_SPEED +
            " with --publish, " + ReplayFlags.PRINT_SPEED + " when printing).")
    String speed;

    @Option(names = "--await-subscribers", paramLabel = "N", defaultValue = "0",
        description = "With --publish: wait until N subscribers have subscribed before replaying (default: none).")
    int awaitSubscribers;

    @Option(names = "--await-timeout", paramLabel = "DURATION", converter = Durations.class,
        description = "With --publish: longest wait for --await-subscribers; then print the summary (stopReason " +
            "await_timeout) and exit with status 1 (default: ${DEFAULT-VALUE}).")
    Duration awaitTimeout;

    @Option(names = "--backpressure", paramLabel = "MODE", defaultValue = "block",
        description = "With --publish, when a subscriber's queue is full: block (wait, nothing is lost) or drop " +
            "(PUB semantics) (default: ${DEFAULT-VALUE}).")
    Backpressure backpressure;

    @Option(names = "--io-thread-policy", paramLabel = "POLICY", description = IoThreadPolicyOption.DESCRIPTION)
    IoThreadPolicy ioThreadPolicy;

    @Option(names = "--sndhwm", paramLabel = "MESSAGES",
        description = "With --publish: send high-water mark per subscriber, in batches (default: ${DEFAULT-VALUE}).")
    int sendHwm;

    @Option(names = "--close-linger", paramLabel = "DURATION", converter = Durations.class,
        description = "With --publish: how long closing may wait to deliver queued messages (default: 30s with " +
            "--backpressure block, whose queue holds seconds of updates for a slow subscriber; 5s with drop).")
    Duration closeLinger;

    @Mixin
    MetricsOptions metrics;

    @Spec
    CommandSpec spec;

    /** Sizes the socket's frame pool like a publisher with default batches; larger frames are copied as usual. */
    private static final int REPLAY_FRAME_BYTES_HINT = BatchConfiguration.DEFAULT_MAX_BYTES;
    /** Close linger of a replay published with --backpressure drop (with block: SocketConfiguration's). */
    private static final int DROP_CLOSE_LINGER_MS = 5_000;

    /** The summary's stopReason when no subscriber came in time: the publisher's word for it. */
    private static final String AWAIT_TIMEOUT = "await_timeout";

    /** Entries printed between two checks that stdout still has a reader. */
    private static final int OUTPUT_CHECK_ENTRIES = 16;

    private final PrintStream out;
    private final PrintStream err;
    private final StopRequest stop = new StopRequest("replaying");
    private final ReplayProgress progress = new ReplayProgress();
    private volatile XPubPublication publishing;
    private volatile boolean journalOpen;

    /**
     * A command printing to stdout and stderr.
     */
    public ReplayCommand()
    {
        this(new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false),
            System.err);
    }

    /**
     * A command printing to the given streams (tests).
     *
     * @param out where updates or the summary go.
     * @param err where the summary of a print goes.
     */
    public ReplayCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        // From here on a signal ends the command with its summary, whatever step start-up is at.
        try (GracefulShutdown shutdown = new GracefulShutdown(stop))
        {
            ReplayFlags.checkApply(spec == null ? null : spec.commandLine().getParseResult(), !publish.isEmpty());
            if (awaitSubscribers < 0)
            {
                throw new CliException(CliException.USAGE, "--await-subscribers must not be negative, was " +
                    awaitSubscribers);
            }
            final JournalFilter filter = filter();
            final double pace = ReplayFlags.speed(speed, !publish.isEmpty());
            metrics.validate();
            try (MetricsServer server = startMetrics();
                StatsPrinter stats = metrics.startStats(System.err, ReplayMetrics.statusLine(progress)))
            {
                return replay(filter, format, pace);
            }
        }
    }

    /** The metrics endpoint, with every series registered before it starts (its first scrape has them, at zero). */
    private MetricsServer startMetrics()
    {
        if (!metrics.metricsEnabled())
        {
            return null;
        }
        final PrometheusRegistry registry = MetricsServer.newRegistry();
        ReplayMetrics.register(registry, progress, () ->
        {
            final XPubPublication current = publishing;
            return current == null ? 0 : current.subscriberCount();
        });
        // /health: the replay runs; /ready: its journal is open and, with --publish, its socket is bound.
        final Map<String, BooleanSupplier> ready = new LinkedHashMap<>();
        ready.put("journalOpen", () -> journalOpen);
        ready.put("bound", () -> publish.isEmpty() || publishing != null);
        final HealthProbes probes = new HealthProbes("replay").health(Map.of("replaying", this::running))
            .ready(ready);
        return metrics.startServer(registry, probes);
    }

    private int replay(final JournalFilter filter, final UpdateFormat.Kind kind, final double pace)
    {
        if (stop.before("journal"))
        {
            return publish.isEmpty() ? printSummary(new PrintSummary(0, 0, 0, 0.0, speedValue(pace), "stopped")) :
                publishSummary(JournalReplay.summaryBeforeStart(pace), 0, 0, List.of(), null);
        }
        final JournalSource reader = open();
        journalOpen = true;
        try (reader)
        {
            try
            {
                return publish.isEmpty() ? print(reader, filter, kind, pace) : publish(reader, filter, pace);
            }
            catch (final JournalException ex)
            {
                throw new CliException(CliException.FAILURE, ex.getMessage());
            }
            finally
            {
                out.flush();
            }
        }
    }

    private boolean running()
    {
        return !stop.requested();
    }

    private JournalSource open()
    {
        if (kafka == (journal != null))
        {
            throw new CliException(CliException.USAGE, "give either --journal DIR or --kafka --bootstrap-servers " +
                "HOST:PORT --topic NAME");
        }
        try
        {
            if (!kafka)
            {
                return JournalReader.open(journal);
            }
            if (bootstrapServers == null || topics.size() != 1)
            {
                throw new CliException(CliException.USAGE, "--kafka needs --bootstrap-servers HOST:PORT and one " +
                    "--topic NAME (the Kafka topic; filter instruments with --instrument)");
            }
            return RemoteJournal.kafka(BootstrapServers.check(bootstrapServers), topics.get(0)).openSource();
        }
        catch (final JournalException | IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    private int print(final JournalSource reader, final JournalFilter filter, final UpdateFormat.Kind kind,
        final double pace)
    {
        final long startNs = System.nanoTime();
        final UpdateFormat printer = new UpdateFormat(kind, out);
        printer.start();
        // Paced, a wait asks whether stdout still has a reader: checkError() flushes what was printed, so that each
        // line shows at its time, and a reader gone ends the wait.
        final ReplayPacer pacer = new ReplayPacer(pace, () -> running() && !out.checkError(), () ->
        {
        });
        final long[] printed = {0};
        final long entries = reader.read(filter, entry ->
        {
            if (entry.kindCode() != JournalEntry.KIND_INVALID && !pacer.awaitDue(entry.journalTimestampNs()))
            {
                return false;
            }
            final long before = printer.updates();
            printer.print(entry);
            progress.onEntry((int)(printer.updates() - before));
            // A reader that went away (`feed replay ... | head`): stop, as Unix tools do, rather than format the
            // rest of the journal for nobody (seen: 56 s for 2.9 M updates after head had its 2 lines).
            // checkError() flushes, so it is asked once every OUTPUT_CHECK_ENTRIES entries only.
            return running() && (++printed[0] % OUTPUT_CHECK_ENTRIES != 0 || !out.checkError());
        });
        out.flush();
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        final String stopReason = !running() ? "stopped" : out.checkError() ? "output_closed" : "end";
        return printSummary(new PrintSummary(printer.updates(), printer.batches(), entries,
            Math.round(seconds * 1000) / 1000.0, speedValue(pace), stopReason));
    }

    /** A printing replay's summary, on stderr after the updates. */
    private int printSummary(final PrintSummary summary)
    {
        err.println(Json.write(summary));
        err.flush();
        return 0;
    }

    private int publish(final JournalSource reader, final JournalFilter filter, final double pace)
    {
        if (stop.before("bind"))
        {
            return publishSummary(JournalReplay.summaryBeforeStart(pace), 0, 0, List.of(), null);
        }
        final XPubPublication publication;
        try
        {
            publication = new XPubPublication(new SocketConfiguration(publish, sendHwm,
                SocketConfiguration.DEFAULT_IO_THREADS, SocketConfiguration.DEFAULT_SEND_BUFFER_BYTES, false,
                closeLingerMs(), backpressure).withIoThreadPolicy(ioThreadPolicy), null, REPLAY_FRAME_BYTES_HINT);
        }
        catch (final EndpointException | IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
        final Map<String, Object> summary;
        final int subscribers;
        final long sendRetries;
        final List<String> endpoints;
        String stopReason = null;
        publishing = publication;
        try (publication)
        {
            final JournalReplay replay = new JournalReplay(reader, filter, publication,
                publication::pollSubscriptions, pace, WallClock.shared(), this::running).progress(progress);
            if (stop.before("replay"))
            {
                stopReason = "stopped";
            }
            else if (awaitSubscribers > 0 &&
                !publication.awaitSubscribers(awaitSubscribers, awaitTimeout.toMillis(), this::running))
            {
                // Nothing was replayed: the summary says so, with the replay's figures at zero, like a publisher's.
                stopReason = running() ? AWAIT_TIMEOUT : "stopped";
            }
            else
            {
                replay.run();
            }
            summary = replay.summary();
            subscribers = publication.subscriberCount();
            sendRetries = publication.sendRetries();
            endpoints = publication.boundEndpoints();
        }
        // After the close: its linger delivers what is queued.
        publishSummary(summary, subscribers, sendRetries, endpoints, stopReason);
        if (AWAIT_TIMEOUT.equals(stopReason))
        {
            throw new CliException(CliException.FAILURE, "timed out after " + Durations.format(awaitTimeout) +
                " waiting for " + awaitSubscribers + " subscriber(s)");
        }
        return 0;
    }

    /**
     * A publishing replay's summary, the last line of stdout: the replay's figures, then the socket's, and the stop
     * reason when the replay's figures cannot tell it (it did not run), else null.
     */
    private int publishSummary(final Map<String, Object> replay, final int subscribers, final long sendRetries,
        final List<String> endpoints, final String stopReason)
    {
        final Map<String, Object> summary = new LinkedHashMap<>(replay);
        summary.put("subscribers", subscribers);
        summary.put("sendRetries", sendRetries);
        summary.put("endpoints", endpoints);
        if (stopReason != null)
        {
            summary.put("stopReason", stopReason);
        }
        out.println(Json.write(summary));
        out.flush();
        return 0;
    }

    private JournalFilter filter()
    {
        long fromIndex = Long.MIN_VALUE;
        long toIndex = Long.MAX_VALUE;
        long fromTime = Long.MIN_VALUE;
        long toTime = Long.MAX_VALUE;
        if (from != null)
        {
            if (from.isIndex())
            {
                fromIndex = from.value();
            }
            else
            {
                fromTime = from.value();
            }
        }
        if (to != null)
        {
            if (to.isIndex())
            {
                toIndex = to.value();
            }
            else
            {
                toTime = to.value();
            }
        }
        if (fromIndex > toIndex || fromTime > toTime)
        {
            throw new CliException(CliException.USAGE, "--from is after --to");
        }
        final List<String> prefixes = new ArrayList<>(instruments);
        if (!kafka)
        {
            prefixes.addAll(topics);
        }
        return new JournalFilter(fromIndex, toIndex, fromTime, toTime, prefixes);
    }

    /**
     * The close linger with {@code --publish}: {@code --close-linger}, else 30 s with block, 5 s with drop.
     */
    int closeLingerMs()
    {
        return SocketConfiguration.closeLingerMs(closeLinger, backpressure, DROP_CLOSE_LINGER_MS);
    }

    /** The speed as summaries give it: the factor, or max. */
    private static Object speedValue(final double pace)
    {
        return pace <= 0 ? "max" : pace;
    }

    /**
     * The summary of a printing replay, on stderr after the updates.
     *
     * @param printed        updates printed.
     * @param batches        batches read.
     * @param entries        journal entries read.
     * @param elapsedSeconds run time.
     * @param speed          the pace: the factor of the recorded pace, or max.
     * @param stopReason     end (the journal, or the range, was read to its end), stopped (a signal) or output_closed
     *                       (stdout's reader went away, as with {@code | head}).
     */
    record PrintSummary(long printed, long batches, long entries, double elapsedSeconds, Object speed,
        String stopReason)
    {
    }
}
