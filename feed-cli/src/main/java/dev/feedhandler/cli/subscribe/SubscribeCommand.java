package dev.feedhandler.cli.subscribe;

import dev.feedhandler.subscriber.SubscriberConfiguration;
import dev.feedhandler.cli.options.ConfigDefaults;
import dev.feedhandler.cli.options.ConfigOptions;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.CountersOptions;
import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.cli.options.GracefulCommand;
import dev.feedhandler.cli.options.GracefulShutdown;
import dev.feedhandler.cli.options.StopRequest;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.diag.AllocationMeter;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.shm.ShmLogException;
import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.cli.journal.RecordOptions;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.SubscriberBuilder;
import dev.feedhandler.subscriber.WaitStrategies;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.cli.options.MetricsOptions;
import dev.feedhandler.metrics.MetricsServer;
import dev.feedhandler.metrics.StatsPrinter;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.socket.SocketEvents;
import dev.feedhandler.metrics.SubscriberMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code feed subscribe}: subscribes, measures the latency from the publisher's send timestamp to the listener
 * call, and prints the percentile summary and a one-line JSON summary (the last line of stdout) at the end.
 */
@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = FeedVersion.class,
    defaultValueProvider = ConfigDefaults.class,
    description = {
        "Subscribe to a feed and measure it: per-topic counts, gaps, decode errors and the latency from the "
            + "publisher's send timestamp to the listener call.",
        "Stops after --duration, --count updates, the end of the publisher's session (--exit-on-end) or "
            + "SIGINT/SIGTERM, then prints the latency percentiles and a one-line JSON summary as the last line "
            + "of stdout."
    })
public final class SubscribeCommand implements java.util.concurrent.Callable<Integer>, GracefulCommand
{
    /** The name of the feed socket in logs and metrics. */
    static final String FEED_SOCKET = "feed";

    /** The name of the recovery client's socket in logs and metrics. */
    static final String RECOVERY_SOCKET = "recovery";

    @Mixin
    ConfigOptions config;

    @Option(names = "--connect", paramLabel = "ENDPOINT",
        description = "Endpoint to connect to, repeatable (default: " + SubscriberConfiguration.DEFAULT_ENDPOINT +
            ").")
    List<String> connect = new ArrayList<>();

    @Option(names = "--topic", paramLabel = "PREFIX",
        description = "Topic prefix to subscribe to, repeatable: EUR receives EURUSD, EURGBP... (default: all).")
    List<String> topics = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.class,
        description = "Stop after this long, such as 10s (default: until another stop condition).")
    Duration duration;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "Stop after receiving N updates (default: no limit).")
    long count;

    @Option(names = "--exit-on-end",
        description = "Stop when the publisher ends its session gracefully (everything it sent is then received).")
    boolean exitOnEnd;

    @Option(names = "--publisher-gone-after", paramLabel = "DURATION", defaultValue = "60s",
        converter = Durations.class,
        description = "With --exit-on-end: fail (status 1, stopReason publisher_gone) once the feed has been stale " +
            "this long with no connection to the publisher and its recovery service not answering; 0 waits for " +
            "ever (default: ${DEFAULT-VALUE}).")
    Duration publisherGoneAfter;

    @Option(names = "--print",
        description = "Print one decoded update per line.")
    boolean print;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s", converter = Durations.class,
        description = "Leave latencies of the first DURATION after the first updates arrive out of the summary " +
            "(they still go to --hlog) (default: none).")
    Duration warmup;

    @Option(names = "--hlog", paramLabel = "FILE",
        description = "Write an HdrHistogram interval log (one histogram per second, nanoseconds) to FILE.")
    Path hlog;

    @Option(names = "--hgrm", paramLabel = "FILE",
        description = "Write the percentile distribution of the latency (microseconds) to FILE at the end.")
    Path hgrm;

    @Option(names = "--rcvhwm", paramLabel = "MESSAGES",
        description = "Receive high-water mark, in batches (default: ${DEFAULT-VALUE}).")
    int receiveHwm;

    @Option(names = "--ring-size", paramLabel = "SLOTS",
        description = "Disruptor ring size in batches, a power of two (default: ${DEFAULT-VALUE}).")
    int ringSize;

    @Option(names = "--wait-strategy", paramLabel = "NAME",
        description = "Listener thread wait strategy: " + WaitStrategies.NAMES +
            " (default: ${DEFAULT-VALUE}; busy-spin and yielding burn a core).")
    String waitStrategy;

    @Option(names = "--receive-idle", paramLabel = "MODE",
        description = "Receiver thread: block in the socket, or poll with an idle strategy: spin, yield, backoff, " +
            "sleep, sleep:D such as sleep:50us (default: ${DEFAULT-VALUE}).")
    String receiveIdle;

    /** Where the listener runs: a thread of its own behind the Disruptor ring, or the receiver's thread. */
    enum ListenerThread
    {
        own, receiver
    }

    @Option(names = "--listener-thread", paramLabel = "own|receiver",
        description = "Where the listener runs: a thread of its own behind the ring, or the receiver's thread (one " +
            "hand-off fewer per update; the receiver waits while the listener works) (default: own, and receiver " +
            "with --shm unless --conflate: the log holds what the listener has not read yet).")
    ListenerThread listenerThread;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    CurveClientOptions curve;

    @Option(names = "--max-frame-bytes", paramLabel = "BYTES",
        description = "Largest batch accepted; larger ones are counted as oversized (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Mixin
    RecordOptions record;

    @Mixin
    RecoveryClientOptions recovery;

    @Mixin
    ArbitrationOptions arbitration;

    @Option(names = "--shm", paramLabel = "NAME",
        description = "Read the publisher's shared-memory log NAME (feed publish --shm NAME, same host) instead of " +
            "connecting a socket; waits for the publisher if it has not started (default: none).")
    String shm;

    @Option(names = "--shm-dir", paramLabel = "DIR",
        description = "Directory of the --shm log (default: /dev/shm).")
    Path shmDirectory;

    @Mixin
    CountersOptions counters;

    @Option(names = "--conflate",
        description = "Conflate for a listener that cannot keep up: while it is behind, each instrument's quotes are " +
            "merged into the newest (trades still come one by one, in order), gaps are reported and not recovered, " +
            "and memory is bounded by the number of instruments; \"conflated\" and \"age_us\" in the summary.")
    boolean conflate;

    @Option(names = "--conflate-max-trades", paramLabel = "N",
        description = "With --conflate: most trades waiting for the listener; past it trades are dropped and " +
            "reported (\"tradesDropped\") (default: ${DEFAULT-VALUE}).")
    int conflateMaxTrades;

    @Option(names = "--listener-work", paramLabel = "DURATION", defaultValue = "0s", converter = Durations.class,
        description = "Busy-wait this long in the listener for every update, to play a slow consumer such as a risk " +
            "engine (default: none).")
    Duration listenerWork;

    @Option(names = "--verify",
        description = "Check on the fly that each topic's updates arrive exactly once and in order (after recovery, " +
            "snapshots and reported losses); report violations in the summary as \"verify\".")
    boolean verify;

    private final PrintStream stdout;
    private AllocationMeter meter;
    private long[] measuredFrom;
    private Map<String, Object> measuredAtStop = Map.of();
    private LatencyFile hgrmFile;

    /**
     * A command printing to stdout.
     */
    public SubscribeCommand()
    {
        this(new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false));
    }

    /**
     * A command printing to the given stream (tests).
     *
     * @param out where updates and summaries go.
     */
    public SubscribeCommand(final PrintStream out)
    {
        this.stdout = out;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call() throws InterruptedException
    {
        // From here on a signal ends the command with its summary, whatever step start-up is at.
        final StopRequest request = new StopRequest("subscribing");
        try (GracefulShutdown shutdown = new GracefulShutdown(request))
        {
            if (count < 0)
            {
                throw new CliException(CliException.USAGE, "--count must not be negative");
            }
            metrics.validate();
            final CurveClient curveClient = curve.create();
            try (ProcessCounters processCounters = counters.create("subscribe"))
            {
                return subscribe(curveClient, processCounters, request);
            }
        }
    }

    private int subscribe(final CurveClient curveClient, final ProcessCounters processCounters,
        final StopRequest request) throws InterruptedException
    {
        final SubscribeStop stop = new SubscribeStop();
        final SocketEvents events = new SocketEvents(processCounters.errors());
        if (listenerWork.isNegative())
        {
            throw new CliException(CliException.USAGE, "--listener-work must not be negative");
        }
        final LatencyWindow window = metrics.anyEnabled() ? new LatencyWindow() : null;
        final LatencyWindow ageWindow = metrics.metricsEnabled() ? new LatencyWindow() : null;
        final StatsListener listener = new StatsListener(count, exitOnEnd, print ? stdout : null, stop, window,
            verify, ageWindow, listenerWork.toNanos(), conflate);
        final JournalRecorder recorder = record.open(Math.max(maxFrameBytes, 4096) + WireFormat.MAX_TOPIC_LENGTH,
            processCounters);
        final FeedSubscriber subscriber;
        try
        {
            subscriber = buildSubscriber(curveClient, processCounters, events, listener, recorder);
        }
        catch (final IllegalArgumentException | CliException ex)
        {
            closeRecording(recorder);
            throw ex instanceof CliException ? (CliException)ex : new CliException(CliException.USAGE, ex.getMessage());
        }

        final PublisherGone gone = new PublisherGone(exitOnEnd ? publisherGoneAfter : Duration.ZERO, subscriber,
            events.socket(FEED_SOCKET));
        final long startNs = System.nanoTime();
        MetricsServer server = null;
        StatsPrinter stats = null;
        try
        {
            try
            {
                server = SubscriberObservability.start(metrics, subscriber, events, window, ageWindow);
            }
            catch (final CliException ex)
            {
                closeRecording(recorder);
                throw ex;
            }
            final LatencyHarvester harvester = startHarvester(listener, recorder);
            request.forwardTo(() -> stop.stop(SubscribeStop.Reason.STOPPED));
            measureAfterWarmup(harvester, subscriber, listener);
            try
            {
                // Stopped during start-up: never connected; the stop latch is down, the summary has zeros.
                if (!request.before("subscribe"))
                {
                    subscriber.start();
                }
                if (metrics.statsEnabled())
                {
                    stats = metrics.startStats(System.err,
                        SubscriberMetrics.statusLine(subscriber, window, metrics.statsInterval()));
                }
            }
            catch (final IllegalArgumentException | ShmLogException ex)
            {
                closeRecording(recorder);
                throw new CliException(CliException.USAGE, ex.getMessage());
            }
            try
            {
                // Until a stop condition, the duration, or (arbitrating) lines found not to be one feed.
                stop.await(duration, () -> ArbitrationOptions.mismatch(subscriber) != null ?
                    SubscribeStop.Reason.MISMATCH : gone.check(System.nanoTime()) ?
                    SubscribeStop.Reason.PUBLISHER_GONE : null, ArbitrationOptions.MISMATCH_CHECK_NS);
            }
            finally
            {
                finishRun(subscriber, harvester, listener, recorder, startNs, stop.reason());
            }
        }
        finally
        {
            if (stats != null)
            {
                stats.close();
            }
            if (server != null)
            {
                server.close();
            }
            if (window != null)
            {
                window.close();
            }
            if (ageWindow != null)
            {
                ageWindow.close();
            }
        }
        ArbitrationOptions.failOnMismatch(subscriber);
        if (stop.reason() == SubscribeStop.Reason.PUBLISHER_GONE)
        {
            throw new CliException(CliException.FAILURE, gone.message());
        }
        return 0;
    }

    /** Allocation, GCs, rate and ages are measured from the end of the warm-up, which the harvester sees. */
    private void measureAfterWarmup(final LatencyHarvester harvester, final FeedSubscriber subscriber,
        final StatsListener listener)
    {
        final AllocationMeter meter = new AllocationMeter();
        final long[] measuredFrom = new long[2];
        harvester.onWarmupEnd(() ->
        {
            measuredFrom[0] = subscriber.counters().updatesDelivered();
            measuredFrom[1] = WallClock.epochNanos();
            meter.start(measuredFrom[0], null, null, "feed-receiver", "feed-listener", "iothread");
            listener.measureAgeFrom(measuredFrom[1]);
        });
        this.meter = meter;
        this.measuredFrom = measuredFrom;
        // Ages count from the end of the warm-up, which starts with the first updates (the harvester's).
        listener.measureAgeFrom(warmup.isZero() ? 0 : Long.MAX_VALUE);
    }

    private LatencyHarvester startHarvester(final StatsListener listener, final JournalRecorder recorder)
    {
        // Both files are created before the run, so that one that cannot be written is an error before any data.
        try
        {
            hgrmFile = hgrm == null ? null : LatencyFile.open(hgrm);
            return new LatencyHarvester(listener.sendLatency(), listener.sourceLatency(), warmup.toMillis(),
                hlog == null ? null : LatencyFile.open(hlog));
        }
        catch (final CliException ex)
        {
            closeRecording(recorder);
            throw ex;
        }
    }

    /**
     * Stops the run in order (measurement, subscriber, latency harvester, recording) and prints its summary.
     */
    private void finishRun(
        final FeedSubscriber subscriber,
        final LatencyHarvester harvester,
        final StatsListener listener,
        final JournalRecorder recorder,
        final long startNs,
        final SubscribeStop.Reason stopReason)
    {
        measuredAtStop = meter.stop(subscriber.counters().updatesDelivered());
        subscriber.close();
        harvester.close();
        if (meter.started() && listener.lastBatchEpochNs() > measuredFrom[1])
        {
            // Delivered rate over the measured window: from the end of the warm-up to the last batch.
            measuredAtStop.put("updatesPerSecond", Math.round(
                (subscriber.counters().updatesDelivered() - measuredFrom[0]) * 1e9 /
                (listener.lastBatchEpochNs() - measuredFrom[1])));
        }
        closeRecording(recorder);
        final double elapsedSeconds = (System.nanoTime() - startNs) / 1e9;
        printSummary(listener, harvester, subscriber, elapsedSeconds, recorder, stopReason);
    }

    /**
     * The subscriber the options describe, with the run's listener, counters, socket event logs and recording tap.
     */
    private FeedSubscriber buildSubscriber(final CurveClient curveClient, final ProcessCounters processCounters,
        final SocketEvents events, final StatsListener listener, final JournalRecorder recorder)
    {
        final SubscriberBuilder builder = FeedSubscriber.builder();
        final List<String> endpoints =
            connect.isEmpty() ? List.of(SubscriberConfiguration.DEFAULT_ENDPOINT) : connect;
        arbitration.validate(endpoints);
        final String recoveryEndpoint = recovery.apply(builder, endpoints, arbitration.arbitrate, listener);
        arbitration.apply(builder, recoveryEndpoint);
        if (recorder != null)
        {
            final WallClock clock = WallClock.shared();
            builder.frameTap((topic, topicLength, payload, offset, length) ->
                recorder.record(topic, topicLength, payload, offset, length, clock.nanoTime()));
        }
        if (shm != null)
        {
            if (!connect.isEmpty())
            {
                throw new CliException(CliException.USAGE, "--shm and --connect exclude each other");
            }
            builder.sharedMemory(new ShmLocation(shm, shmDirectory));
        }
        else if (shmDirectory != null)
        {
            throw new CliException(CliException.USAGE, "--shm-dir needs --shm NAME");
        }
        if (listenerThread != null)
        {
            builder.listenerOnReceiverThread(listenerThread == ListenerThread.receiver);
        }
        return builder
            .counters(processCounters)
            .curve(curveClient)
            .socketEvents(events.socket(FEED_SOCKET))
            .recoverySocketEvents(recoveryEndpoint == null ? null : events.socket(RECOVERY_SOCKET))
            .endpoints(endpoints)
            .topics(topics)
            .receiveHwm(receiveHwm)
            .ringSize(ringSize)
            .waitStrategy(waitStrategy)
            .receiveIdle(receiveIdle)
            .conflate(conflate)
            .conflateMaxTrades(conflateMaxTrades)
            .maxFrameBytes(maxFrameBytes)
            .listener(listener)
            .build();
    }

    private static void closeRecording(final JournalRecorder recorder)
    {
        if (recorder != null)
        {
            recorder.close();
        }
    }

    private void printSummary(
        final StatsListener listener,
        final LatencyHarvester harvester,
        final FeedSubscriber subscriber,
        final double elapsed,
        final JournalRecorder recorder,
        final SubscribeStop.Reason stopReason)
    {
        LatencyReport.print(stdout, "latency from publisher send to listener", harvester.sendTotal());
        final String hlogError = harvester.logError();
        final String hgrmError = hgrmFile == null ? null :
            hgrmFile.writeAndClose(out -> harvester.sendTotal().outputPercentileDistribution(out, 1000.0));
        final SubscribeSummary summary = SubscribeSummary.of(listener, harvester, subscriber, verify,
            Math.round(elapsed * 1000) / 1000.0, warmup.toMillis() / 1000.0, measuredAtStop,
            recorder == null ? null : recorder.summary(), stopReason);
        stdout.println(Json.write(summary));
        stdout.flush();
        // The summary is printed whatever happened to the latency files; a file left incomplete fails the run.
        if (hlogError != null || hgrmError != null)
        {
            throw new CliException(CliException.FAILURE, hlogError == null ? hgrmError :
                hgrmError == null ? hlogError : hlogError + "; " + hgrmError);
        }
    }

}
