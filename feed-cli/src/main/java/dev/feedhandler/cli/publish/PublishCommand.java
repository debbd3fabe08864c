package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.options.ConfigDefaults;
import dev.feedhandler.cli.options.ConfigOptions;
import dev.feedhandler.cli.options.IoThreadPolicyOption;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.CountersOptions;
import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.cli.options.GracefulCommand;
import dev.feedhandler.cli.options.GracefulShutdown;
import dev.feedhandler.cli.options.Rates;
import dev.feedhandler.cli.options.StopRequest;
import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.cli.options.MetricsOptions;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.common.shm.ShmLogException;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.journal.Origin;
import dev.feedhandler.cli.journal.JournalOptions;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.PublisherContext;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.conflate.ConflationConfiguration;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.source.Instrument;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.EndpointException;
import dev.feedhandler.publisher.transport.IoThreadPolicy;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code feed publish}: runs a publisher against a price source until the duration ends, the source is exhausted
 * or a signal arrives, then prints a one-line JSON summary as the last line of stdout.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = FeedVersion.class,
    defaultValueProvider = ConfigDefaults.class,
    description = {
        "Publish prices from a source on a ZeroMQ XPUB socket, batched per topic.",
        "Stops after --duration, at the end of the source, or on SIGINT/SIGTERM; either way it flushes pending "
            + "batches, closes the socket and prints a one-line JSON summary as the last line of stdout."
    })
public final class PublishCommand implements Callable<Integer>, GracefulCommand
{
    /** Source names accepted by {@code --source}. */
    public enum SourceKind
    {
        /** Deterministic random walk. */
        synthetic,
        /** Tick file replay. */
        csv
    }

    @Mixin
    ConfigOptions config;

    @Option(names = "--source", paramLabel = "NAME", defaultValue = "synthetic",
        description = "Price source: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    SourceKind source;

    @Option(names = "--instruments", paramLabel = "N",
        description = "Synthetic: number of instruments (default: ${DEFAULT-VALUE}).")
    int instruments;

    @Option(names = "--rate", paramLabel = "RATE", converter = Rates.class,
        description = "Synthetic: updates per second, such as 50000, 100k, 2M, or max (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--seed", paramLabel = "SEED",
        description = "Synthetic: random seed; the same seed gives the same updates (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--trade-ratio", paramLabel = "FRACTION",
        description = "Synthetic: fraction of updates that are trades (default: ${DEFAULT-VALUE}).")
    double tradeRatio;

    @Option(names = "--burst-size", paramLabel = "N",
        description = "Synthetic: extra updates released at once every --burst-every (default: none).")
    int burstSize;

    @Option(names = "--burst-every", paramLabel = "DURATION", converter = Durations.class,
        description = "Synthetic: interval between bursts (default: ${DEFAULT-VALUE}).")
    Duration burstEvery;

    @Option(names = "--list-instruments",
        description = "Print the instruments of the source (symbol and id) and exit.")
    boolean listInstruments;

    @Mixin
    CsvOptions csv;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    CurveServerOptions curve;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "Stop after publishing N updates (default: no limit).")
    long count;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.class,
        description = "Run for this long, such as 10s or 2m, then stop (default: until stopped or exhausted).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s", converter = Durations.class,
        description = "Measure allocation, GC and throughput only after this long (the summary's \"measured\") " +
            "(default: from the start).")
    Duration warmup;

    @Option(names = "--bind", paramLabel = "ENDPOINT",
        description = "Endpoint to bind, repeatable: tcp://host:port, ipc://name, inproc://name " +
            "(default: " + SocketConfiguration.DEFAULT_ENDPOINT + ").")
    List<String> bind = new ArrayList<>();

    @Option(names = "--await-subscribers", paramLabel = "N", defaultValue = "0",
        description = "Hold the source until N subscribers have subscribed (default: don't wait).")
    int awaitSubscribers;

    @Option(names = "--expected-subscribers", paramLabel = "N",
        description = "Subscribers this publisher should have, exported as feed_publisher_subscribers_expected for " +
            "the alert on fewer (default: the --await-subscribers count).")
    Integer expectedSubscribers;

    @Option(names = "--await-timeout", paramLabel = "DURATION", converter = Durations.class,
        description = "Longest wait for --await-subscribers; then exit with status 1 (default: ${DEFAULT-VALUE}).")
    Duration awaitTimeout;

    @Option(names = "--batch-max-updates", paramLabel = "N",
        description = "Most updates per batch (default: ${DEFAULT-VALUE}).")
    int batchMaxUpdates;

    @Option(names = "--batch-max-bytes", paramLabel = "BYTES",
        description = "Most bytes per batch payload (default: ${DEFAULT-VALUE}).")
    int batchMaxBytes;

    @Option(names = "--batch-linger", paramLabel = "DURATION", converter = Durations.class,
        description = "Longest wait of an update in a batch while the source keeps producing or the message " +
            "budget is spent; 0 disables (default: ${DEFAULT-VALUE}).")
    Duration batchLinger;

    @Option(names = "--batch-linger-max", paramLabel = "DURATION", converter = Durations.class,
        description = "Longest the linger may stretch to while linger-closed batches alone would take the message " +
            "rate over the budget (many instruments, docs/batching.md); quiet periods keep --batch-linger " +
            "(default: --batch-linger, never stretched).")
    Duration batchLingerMax;

    @Option(names = "--batch-max-rate", paramLabel = "RATE", converter = Rates.class,
        description = "Message budget: most batches per second over all topics (such as 20k); under it an update " +
            "goes out at once, above it batches grow; max for no budget (default: ${DEFAULT-VALUE}).")
    long batchMaxRate;

    @Option(names = "--envelope",
        description = "Send the frames of each duty cycle, all topics together, as one message (fewer messages " +
            "with many instruments; subscribers then filter topics themselves, docs/batching.md).")
    boolean envelope;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = Durations.class,
        description = "Heartbeat on each topic idle this long (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--sndhwm", paramLabel = "MESSAGES",
        description = "Send high-water mark per subscriber, in batches; 0 for no limit (default: ${DEFAULT-VALUE}).")
    int sendHwm;


    @Option(names = "--io-threads", paramLabel = "N",
        description = "ZeroMQ I/O threads (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--io-thread-policy", paramLabel = "POLICY", description = IoThreadPolicyOption.DESCRIPTION)
    IoThreadPolicy ioThreadPolicy;

    @Option(names = "--sndbuf", paramLabel = "BYTES",
        description = "Kernel send buffer SO_SNDBUF; inproc only: JeroMQ 0.6.0 cannot set it on tcp or ipc binds " +
            "(default: system).")
    int sendBuffer;

    @Option(names = "--tcp-keepalive",
        description = "Enable TCP keep-alive on connections.")
    boolean tcpKeepAlive;

    @Option(names = "--close-linger", paramLabel = "DURATION", converter = Durations.class,
        description = "How long closing may wait to deliver queued messages; what is still queued then is " +
            "discarded (default: 2s; 30s with --backpressure block, whose queue holds seconds of updates for a slow " +
            "subscriber and which promises it every one).")
    Duration closeLinger;

    @Option(names = "--backpressure", paramLabel = "MODE",
        description = "When a subscriber's queue is full: drop (PUB semantics; the subscriber sees a gap) or " +
            "block (wait; one slow subscriber slows all) (default: ${DEFAULT-VALUE}).")
    Backpressure backpressure;

    @Option(names = "--conflated-bind", paramLabel = "ENDPOINT",
        description = "Serve a conflated stream on a second XPUB socket at ENDPOINT, repeatable: each instrument " +
            "that changed, at most once per --conflate-interval, with its newest quote and its trades counted " +
            "(default: none).")
    List<String> conflatedBind = new ArrayList<>();

    @Option(names = "--conflate-interval", paramLabel = "DURATION", converter = Durations.class,
        description = "How often the conflated stream sends the instruments that changed (default: " +
            "${DEFAULT-VALUE}).")
    Duration conflateInterval;

    @Option(names = "--idle", paramLabel = "STRATEGY",
        description = "How the publisher thread waits when idle: " + IdleStrategies.NAMES +
            " (default: ${DEFAULT-VALUE}: parks 200us after work, 50us with --shm, never spins; spin burns a core).")
    String idle;

    @Mixin
    JournalOptions journal;

    @Mixin
    RecoveryOptions recovery;

    @Mixin
    LineOptions line;

    @Mixin
    SharedMemoryOptions shm;

    @Mixin
    CountersOptions counters;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    /**
     * A command printing to stdout.
     */
    public PublishCommand()
    {
        this(System.out);
    }

    /**
     * A command printing to the given stream (tests).
     *
     * @param out where the summary goes.
     */
    public PublishCommand(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        // From here on a signal ends the command with its summary, whatever step start-up is at.
        final StopRequest stop = new StopRequest("publishing");
        try (GracefulShutdown shutdown = new GracefulShutdown(stop))
        {
            return start(stop);
        }
    }

    private int start(final StopRequest stop)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final PriceSource priceSource = createSource(registry);
        if (listInstruments)
        {
            priceSource.close();
            for (final Instrument instrument : registry.instruments())
            {
                out.println(instrument.symbol() + "\t" + instrument.id());
            }
            out.flush();
            return 0;
        }

        final PublisherConfiguration configuration;
        final RecoveryConfiguration recoveryConfiguration;
        final ProcessCounters processCounters;
        try
        {
            configuration = configuration();
            recoveryConfiguration = recovery.configuration(journal.enabled() ? journal.directory() : null);
            final ParseResult typed = spec == null ? null : spec.commandLine().getParseResult();
            PublishFlags.checkConflation(typed, !conflatedBind.isEmpty(), conflateInterval);
            PublishFlags.checkApply(typed, source, journal.enabled());
            if (duration != null && duration.isZero())
            {
                // Zero would mean no limit to the publisher: the opposite of what the flag asks for.
                throw new CliException(CliException.USAGE, "--duration must be positive, was 0s " +
                    "(leave it out to run until the source ends or SIGINT/SIGTERM)");
            }
            if (expectedSubscribers != null && expectedSubscribers < 0)
            {
                throw new CliException(CliException.USAGE, "--expected-subscribers must not be negative, was " +
                    expectedSubscribers);
            }
            processCounters = counters.create("publish");
            recovery.warmUpIfAsked(journal.enabled());
        }
        catch (final CliException ex)
        {
            priceSource.close();
            throw ex;
        }
        try (processCounters)
        {
            final PublisherObservability observability;
            final ConflationConfiguration conflation;
            try
            {
                observability = PublisherObservability.create(metrics, curve, ioThreads, ioThreadPolicy,
                    closeLingerMs(), expectedSubscribers != null ? expectedSubscribers : awaitSubscribers,
                    processCounters.errors());
                conflation = conflatedBind.isEmpty() ? null : new ConflationConfiguration(conflatedBind,
                    conflateInterval, ConflationConfiguration.DEFAULT_SEND_HWM,
                    observability.socketSetup(PublisherObservability.CONFLATED_SOCKET));
            }
            catch (final CliException ex)
            {
                priceSource.close();
                throw ex;
            }
            return publish(new PublisherContext()
                .configuration(configuration)
                .source(priceSource)
                .registry(registry)
                .zContext(observability.context())
                .socketSetup(observability.socketSetup())
                .recovery(recoveryConfiguration)
                .recoverySocketSetup(observability.socketSetup(PublisherObservability.RECOVERY_SOCKET))
                .recoveryClients(observability.peers(PublisherObservability.RECOVERY_SOCKET))
                .conflation(conflation)
                .repeatBatches(line.repeatBatches())
                .counters(processCounters), processCounters, observability, priceSource, stop);
        }
    }

    private int publish(final PublisherContext context, final ProcessCounters processCounters,
        final PublisherObservability observability, final PriceSource priceSource, final StopRequest stop)
    {
        final FeedPublisher.StopReason reason;
        final String failure;
        try (observability)
        {
            final JournalRecorder recorder = stop.before("journal") ? null : openJournal(priceSource, processCounters);
            if (stop.before("bind"))
            {
                return stoppedBeforeBinding(priceSource, recorder);
            }
            final FeedPublisher publisher;
            try
            {
                publisher = new FeedPublisher(context.journal(recorder));
            }
            catch (final EndpointException | ShmLogException | IllegalArgumentException ex)
            {
                priceSource.close();
                if (recorder != null)
                {
                    recorder.close();
                }
                throw new CliException(CliException.USAGE, ex.getMessage());
            }
            observability.attach(publisher, recorder);

            publisher.measureAfter(warmup);
            stop.forwardTo(publisher::requestStop);
            try
            {
                // Stopped before it ran: nothing published, the sockets closed; the summary says "stopped".
                reason = stop.before("run") ? FeedPublisher.StopReason.STOPPED : publisher.run();
                failure = publisher.failure();
            }
            finally
            {
                publisher.close();
                printSummary(publisher.summary());
            }
        }
        if (reason == FeedPublisher.StopReason.FAILED)
        {
            throw new CliException(CliException.FAILURE, failure);
        }
        if (reason == FeedPublisher.StopReason.AWAIT_TIMEOUT)
        {
            throw new CliException(CliException.FAILURE, "timed out after " + Durations.format(awaitTimeout) +
                " waiting for " + awaitSubscribers + " subscriber(s)");
        }
        return 0;
    }

    private JournalRecorder openJournal(final PriceSource priceSource, final ProcessCounters processCounters)
    {
        if (!journal.enabled())
        {
            return null;
        }
        try
        {
            return JournalRecorder.open(journal.configuration(batchMaxBytes + WireFormat.MAX_TOPIC_LENGTH),
                Origin.SENT, "journal", processCounters).start();
        }
        catch (final JournalException | CliException ex)
        {
            priceSource.close();
            throw ex instanceof CliException ? (CliException)ex : new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    /** A stop during start-up, before any socket was bound: the source and the journal closed, a summary at zero. */
    private int stoppedBeforeBinding(final PriceSource priceSource, final JournalRecorder recorder)
    {
        priceSource.close();
        if (recorder != null)
        {
            recorder.close();
        }
        printSummary(FeedPublisher.summaryBeforeStart(priceSource, recorder));
        return 0;
    }

    private void printSummary(final Map<String, Object> summary)
    {
        out.println(Json.write(summary));
        out.flush();
    }

    private PriceSource createSource(final InstrumentRegistry registry)
    {
        try
        {
            if (source == SourceKind.csv)
            {
                return csv.create(registry, WallClock.shared(), count);
            }
            return new SyntheticSource(new SyntheticConfiguration(instruments, rate, seed, tradeRatio, burstSize,
                burstEvery, count), registry, WallClock.shared());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    /**
     * The close linger: {@code --close-linger}, else 2 s, or 30 s with {@code --backpressure block}.
     */
    int closeLingerMs()
    {
        return SocketConfiguration.closeLingerMs(closeLinger, backpressure,
            SocketConfiguration.DEFAULT_CLOSE_LINGER_MS);
    }

    private PublisherConfiguration configuration()
    {
        try
        {
            final SocketConfiguration socket = new SocketConfiguration(
                bind.isEmpty() ? List.of(SocketConfiguration.DEFAULT_ENDPOINT) : bind,
                sendHwm, ioThreads, sendBuffer, tcpKeepAlive, closeLingerMs(), backpressure, envelope, ioThreadPolicy);
            final BatchConfiguration batch = new BatchConfiguration(batchMaxUpdates, batchMaxBytes,
                batchLinger.toNanos(), batchMaxRate, (batchLingerMax == null ? batchLinger : batchLingerMax).toNanos());
            return new PublisherConfiguration(batch, socket, heartbeatInterval, awaitSubscribers, awaitTimeout,
                duration, idle, shm.configuration(), line.line());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }
}
