package dev.feedhandler.cli.publish;

import dev.feedhandler.metrics.CurveServerMetrics;
import dev.feedhandler.metrics.HealthProbes;
import dev.feedhandler.publisher.recovery.RecoveryService;
import dev.feedhandler.metrics.GatedRegistry;
import dev.feedhandler.metrics.SocketEventMetrics;
import dev.feedhandler.common.counters.ErrorLog;
import dev.feedhandler.common.metrics.JournalStatistics;
import dev.feedhandler.cli.options.MetricsOptions;
import dev.feedhandler.metrics.MetricsServer;
import dev.feedhandler.metrics.StatsPrinter;
import dev.feedhandler.common.security.CurveServer;
import dev.feedhandler.common.socket.SocketEvents;
import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.metrics.PublisherMetrics;
import dev.feedhandler.publisher.journal.RecorderJournalStatistics;
import dev.feedhandler.publisher.transport.IoThreadPolicy;
import dev.feedhandler.publisher.transport.ZmqThreadErrors;
import org.zeromq.ZContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * What {@code feed publish} adds around a publisher: the socket event log, CURVE (a ZeroMQ context of its own,
 * since the ZAP handler lives in the context), the metrics endpoint and the status lines. Closed after the
 * publisher, in the order the ZAP handler needs: handler, then context.
 */
final class PublisherObservability implements AutoCloseable
{
    /** The name of the feed socket in logs and metrics. */
    static final String FEED_SOCKET = "feed";

    /** The name of the recovery service's socket in logs and metrics. */
    static final String RECOVERY_SOCKET = "recovery";

    /** The name of the conflated stream's socket in logs and metrics. */
    static final String CONFLATED_SOCKET = "conflated";

    private final MetricsOptions options;
    private final int expectedSubscribers;
    private final CurveServer curve;
    private final SocketEvents events;
    private final ZContext context;
    private final HealthProbes probes = new HealthProbes("publisher");
    private GatedRegistry registry;
    private MetricsServer server;
    private StatsPrinter stats;

    private PublisherObservability(final MetricsOptions options, final CurveServer curve, final ZContext context,
        final int expectedSubscribers, final ErrorLog errors)
    {
        this.events = new SocketEvents(errors);
        this.options = options;
        this.expectedSubscribers = expectedSubscribers;
        this.curve = curve;
        this.context = context;
    }

    /**
     * Reads the keys, makes the context if CURVE needs one, and binds the metrics endpoint, whose scrapes wait until
     * {@link #attach} has registered every metric.
     */
    static PublisherObservability create(final MetricsOptions options, final CurveServerOptions curveOptions,
        final int ioThreads, final IoThreadPolicy ioThreadPolicy, final int lingerMs, final int expectedSubscribers,
        final ErrorLog errors)
    {
        options.validate();
        final CurveServer curve = curveOptions.create();
        ZContext context = null;
        if (curve != null)
        {
            context = ioThreadPolicy.install(ZmqThreadErrors.install(new ZContext(ioThreads)));
            context.setLinger(lingerMs);
        }
        final PublisherObservability observability =
            new PublisherObservability(options, curve, context, expectedSubscribers, errors);
        try
        {
            if (options.metricsEnabled())
            {
                // Bound now (a port in use is a one-line error before anything starts); scrapes wait for attach().
                observability.registry = MetricsServer.newGatedRegistry();
                SocketEventMetrics.register(observability.registry, observability.events);
                CurveServerMetrics.register(observability.registry, curve);
                observability.server = options.startServer(observability.registry, observability.probes);
            }
        }
        catch (final RuntimeException ex)
        {
            observability.close();
            throw ex;
        }
        return observability;
    }

    /**
     * The context for the publisher, or null for it to own one.
     */
    ZContext context()
    {
        return context;
    }

    /**
     * CURVE (if on), then the event log, for the feed socket.
     */
    SocketSetup socketSetup()
    {
        return socketSetup(FEED_SOCKET);
    }

    /**
     * CURVE (if on), then the event log, for a socket the publisher binds.
     */
    SocketSetup socketSetup(final String socket)
    {
        final SocketSetup hook = events.hook(socket);
        return curve == null ? hook : curve.andThen(hook);
    }

    /**
     * Connections open now on a socket the publisher binds (its event log's count).
     */
    IntSupplier peers(final String socket)
    {
        return events.socket(socket)::peers;
    }

    /**
     * Registers the publisher's metrics (fed from the journal too, when there is one), then lets scrapes through
     * and starts the status lines: the endpoint's first answer already has every series, at zero.
     */
    void attach(final FeedPublisher publisher, final JournalRecorder journal)
    {
        if (registry != null)
        {
            final PublisherMetrics metrics = PublisherMetrics.register(registry, publisher.counters());
            metrics.conflated(publisher.conflatedStream());
            metrics.recovery(publisher.recovery());
            metrics.expectedSubscribers(expectedSubscribers);
            if (journal != null)
            {
                metrics.journal(new RecorderJournalStatistics(journal, publisher.counters()));
            }
            probes.health(healthChecks(publisher, journal)).ready(readinessChecks(publisher));
            registry.open();
        }
        final JournalStatistics journalStatistics = journal == null ? JournalStatistics.NONE :
            new RecorderJournalStatistics(journal, publisher.counters());
        stats = options.startStats(System.err, PublisherMetrics.statusLine(publisher.counters(),
            () -> journalStatistics));
    }

    /**
     * Liveness: the publisher's loop has not ended, and the journal and recovery threads (when there are) run.
     */
    private static Map<String, BooleanSupplier> healthChecks(final FeedPublisher publisher,
        final JournalRecorder journal)
    {
        final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("publisherLoop", () -> publisher.state() != FeedPublisher.State.ENDED);
        if (journal != null)
        {
            checks.put("journalThread", journal::isRunning);
        }
        final RecoveryService recovery = publisher.recovery();
        if (recovery != null)
        {
            checks.put("recoveryThread", recovery::isRunning);
        }
        return checks;
    }

    /**
     * Readiness: the feed socket is bound (and not yet closed) and the source runs (not held for subscribers).
     */
    private static Map<String, BooleanSupplier> readinessChecks(final FeedPublisher publisher)
    {
        final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("bound", () -> !publisher.boundEndpoints().isEmpty() &&
            publisher.state() != FeedPublisher.State.ENDED);
        checks.put("sourceRunning", () -> publisher.state() == FeedPublisher.State.RUNNING);
        return checks;
    }

    @Override
    public void close()
    {
        if (stats != null)
        {
            stats.close();
        }
        if (server != null)
        {
            server.close();
        }
        if (curve != null)
        {
            curve.close();
        }
        if (context != null)
        {
            context.close();
        }
    }
}
