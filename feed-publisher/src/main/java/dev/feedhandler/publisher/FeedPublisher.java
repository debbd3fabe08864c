package dev.feedhandler.publisher;

import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.socket.RecoveryEndpoints;
import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.common.diag.AllocationMeter;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.batch.TopicBatch;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.journal.JournalingPublication;
import dev.feedhandler.publisher.recovery.DroppingPublication;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.recovery.RecoveryHandoff;
import dev.feedhandler.publisher.recovery.RecoveryPublication;
import dev.feedhandler.publisher.recovery.RecoveryService;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.transport.EndpointException;
import dev.feedhandler.publisher.transport.XPubPublication;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A publisher session: a price source, the smart batcher and the XPUB socket, driven by one thread (the caller
 * of {@link #run()}). The session has its own epoch; it announces itself on the control topic, waits for
 * subscribers if asked, publishes until stopped, the duration ends or the source is exhausted, and then stops
 * gracefully: pending batches flushed, a final heartbeat on every topic, a final session status, the socket
 * closed with a linger so queued messages still go out.
 * <p>
 * With a {@link RecoveryConfiguration}, a recovery service answers gap fills and snapshots on a ROUTER socket next
 * to the feed, on a thread of its own; it outlives {@link #run()} (subscribers may still be recovering when the
 * session ends) and stops in {@link #close()}, after its linger.
 */
public final class FeedPublisher implements AutoCloseable
{
    /** Why a run ended. */
    public enum StopReason
    {
        /** {@link #requestStop()} was called (a signal, in the CLI). */
        STOPPED,
        /** The configured duration elapsed. */
        DURATION,
        /** The source has nothing more (end of file, count reached). */
        EXHAUSTED,
        /** Not enough subscribers arrived before the await timeout; nothing was published. */
        AWAIT_TIMEOUT,
        /** The source failed ({@link PriceSource.SourceException}); what it gave before was published. */
        FAILED
    }

    /** Where a publisher is in its life, readable from any thread (health and readiness probes). */
    public enum State
    {
        /** Constructed: the sockets are bound, {@link #run()} has not started. */
        BOUND,
        /** {@link #run()} holds the source until enough subscribers have subscribed. */
        AWAITING_SUBSCRIBERS,
        /** The source runs and its updates are published. */
        RUNNING,
        /** {@link #run()} has returned: the session ended. */
        ENDED
    }

    private static final Logger LOG = LoggerFactory.getLogger(FeedPublisher.class);
    private static final int POLL_LIMIT = 1024;
    private static final long HOUSEKEEPING_INTERVAL_NS = 10_000_000L;

    private final PublisherConfiguration configuration;
    private final PriceSource source;
    private final InstrumentRegistry registry;
    private final WallClock clock;
    private final XPubPublication publication;
    private final JournalRecorder journal;
    private final DroppingPublication dropping;
    private final RecoveryService recovery;
    private final Publication output;
    private final SmartBatcher batcher;
    private final long sessionEpoch;
    private final ControlWriter controlWriter = new ControlWriter();
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[128]);
    private final PublisherCounters counters = new PublisherCounters();

    private final AllocationMeter allocationMeter = new AllocationMeter();
    private long measureAfterNs;
    private long measuredFromUpdates;
    private long measuredFromNs;
    private volatile boolean running = true;
    private volatile State state = State.BOUND;
    private StopReason stopReason;
    private Map<String, Object> measurement = Map.of();
    private PriceSource.SourceException failure;
    private long startNs;
    private long endNs;
    private boolean sessionClosed;
    private boolean closed;

    /**
     * Binds the socket and prepares the session; nothing is sent until {@link #run()}.
     *
     * @param configuration settings.
     * @param source        where prices come from.
     * @param registry      the instruments the source registered (and will register).
     * @param sharedContext a ZeroMQ context to share (for inproc), or null to own one.
     * @throws dev.feedhandler.publisher.transport.EndpointException if an endpoint cannot be bound.
     */
    public FeedPublisher(
        final PublisherConfiguration configuration,
        final PriceSource source,
        final InstrumentRegistry registry,
        final ZContext sharedContext)
    {
        this(configuration, source, registry, sharedContext, null, SocketSetup.NONE);
    }

    /**
     * Binds the socket and prepares the session, journaling every frame sent; nothing is sent until {@link #run()}.
     *
     * @param configuration settings.
     * @param source        where prices come from.
     * @param registry      the instruments the source registered (and will register).
     * @param sharedContext a ZeroMQ context to share (for inproc), or null to own one.
     * @param journal       a started journal recorder that gets every frame sent, closed with the publisher; or null.
     * @throws dev.feedhandler.publisher.transport.EndpointException if an endpoint cannot be bound.
     */
    public FeedPublisher(
        final PublisherConfiguration configuration,
        final PriceSource source,
        final InstrumentRegistry registry,
        final ZContext sharedContext,
        final JournalRecorder journal)
    {
        this(configuration, source, registry, sharedContext, journal, SocketSetup.NONE);
    }

    /**
     * Binds the socket, prepared by {@code socketSetup} first (CURVE, event log), and prepares the session.
     *
     * @param configuration settings.
     * @param source        where prices come from.
     * @param registry      the instruments the source registered (and will register).
     * @param sharedContext a ZeroMQ context to share (for inproc, or for a ZAP handler), or null to own one.
     * @param journal       a started journal recorder that gets every frame sent, closed with the publisher; or null.
     * @param socketSetup   applied to the feed socket before it binds.
     * @throws dev.feedhandler.publisher.transport.EndpointException if an endpoint cannot be bound.
     */
    public FeedPublisher(
        final PublisherConfiguration configuration,
        final PriceSource source,
        final InstrumentRegistry registry,
        final ZContext sharedContext,
        final JournalRecorder journal,
        final SocketSetup socketSetup)
    {
        this(configuration, source, registry, sharedContext, journal, socketSetup, null, SocketSetup.NONE);
    }

    /**
     * Binds the feed socket and, with {@code recovery}, the recovery service's socket (each prepared by its setup
     * first: CURVE, event log), and prepares the session. The recovery service starts answering at once.
     *
     * @param configuration       settings.
     * @param source              where prices come from.
     * @param registry            the instruments the source registered (and will register).
     * @param sharedContext       a ZeroMQ context to share (for inproc, or for a ZAP handler), or null to own one.
     * @param journal             a started journal recorder that gets every frame sent, closed with the publisher;
     *                            or null.
     * @param socketSetup         applied to the feed socket before it binds.
     * @param recovery            the recovery service's settings (with the bind endpoint
     *                            {@link RecoveryConfiguration#NONE}: no service, only the test hook), or null.
     * @param recoverySocketSetup applied to the recovery service's socket before it binds.
     * @throws EndpointException if an endpoint cannot be bound (a recovery endpoint only if it was given
     *                           explicitly: the default one, in use, turns the service off with a warning).
     */
    public FeedPublisher(
        final PublisherConfiguration configuration,
        final PriceSource source,
        final InstrumentRegistry registry,
        final ZContext sharedContext,
        final JournalRecorder journal,
        final SocketSetup socketSetup,
        final RecoveryConfiguration recovery,
        final SocketSetup recoverySocketSetup)
    {
        this.configuration = configuration;
        this.source = source;
        this.registry = registry;
        this.clock = WallClock.shared();
        this.sessionEpoch = clock.nanoTime();
        this.journal = journal;
        this.publication = new XPubPublication(
            configuration.socket(), sharedContext, configuration.batch().maxBytes(), socketSetup);
        final RecoveryHandoff handoff = recovery == null || RecoveryConfiguration.NONE.equalsIgnoreCase(
            recovery.bind()) ? null : new RecoveryHandoff(recovery.ringBytes());
        try
        {
            this.recovery = handoff == null ? null :
                bindRecovery(recovery, sharedContext, recoverySocketSetup, handoff);
        }
        catch (final RuntimeException ex)
        {
            publication.close();
            throw ex;
        }
        this.dropping = recovery == null || !recovery.drop().isActive() ? null :
            new DroppingPublication(publication, recovery.drop());
        final Publication socketSide = dropping == null ? publication : dropping;
        final Publication journaled = journal == null ? socketSide :
            new JournalingPublication(socketSide, journal, clock);
        this.output = this.recovery == null ? journaled : new RecoveryPublication(journaled, handoff);
        this.batcher = new SmartBatcher(configuration.batch(), registry, output, clock, sessionEpoch);
        // The instruments known now are topics from the start: counters and metrics show them, at zero, at once.
        batcher.ensureAllTopics();
        counters.update(batcher, publication);
        if (this.recovery != null)
        {
            this.recovery.start();
        }
    }

    private RecoveryService bindRecovery(final RecoveryConfiguration recoveryConfiguration,
        final ZContext sharedContext, final SocketSetup setup, final RecoveryHandoff handoff)
    {
        String endpoint = recoveryConfiguration.bind();
        final boolean derived = endpoint == null;
        if (derived)
        {
            for (final String feed : configuration.socket().endpoints())
            {
                endpoint = RecoveryEndpoints.next(feed);
                if (endpoint != null)
                {
                    break;
                }
            }
            if (endpoint == null)
            {
                LOG.info("no recovery service: no tcp feed endpoint to put it next to (give --recovery-bind)");
                return null;
            }
        }
        try
        {
            return new RecoveryService(recoveryConfiguration, endpoint, sharedContext, setup, handoff, sessionEpoch);
        }
        catch (final EndpointException ex)
        {
            if (!derived)
            {
                throw ex;
            }
            LOG.warn("no recovery service: {} (the default, next to the feed); give --recovery-bind", ex.getMessage());
            return null;
        }
    }

    /**
     * Runs the session on the calling thread until it ends, then stops gracefully and closes the socket.
     *
     * @return why it ended.
     */
    public StopReason run()
    {
        try
        {
            if (configuration.awaitSubscribers() > 0)
            {
                state = State.AWAITING_SUBSCRIBERS;
            }
            if (configuration.awaitSubscribers() > 0 && !awaitSubscribers())
            {
                stopReason = running ? StopReason.AWAIT_TIMEOUT : StopReason.STOPPED;
                startNs = System.nanoTime();
                endNs = startNs;
                return stopReason;
            }
            publishLoop();
            endSession();
            return stopReason;
        }
        finally
        {
            state = State.ENDED;
            closeSession();
        }
    }

    private boolean awaitSubscribers()
    {
        final int count = configuration.awaitSubscribers();
        LOG.info("waiting up to {} for {} subscriber(s)", configuration.awaitTimeout(), count);
        final boolean arrived = publication.awaitSubscribers(
            count, configuration.awaitTimeout().toMillis(), () -> running);
        if (!arrived && running)
        {
            LOG.error("timed out after {} waiting for {} subscriber(s): {} subscribed",
                configuration.awaitTimeout(), count, publication.subscriberCount());
        }
        return arrived;
    }

    private void publishLoop()
    {
        final IdleStrategy idle = IdleStrategies.of(configuration.idleStrategy());
        final long heartbeatIntervalNs = configuration.heartbeatInterval().toNanos();
        final long durationNs = configuration.duration() == null || configuration.duration().isZero() ?
            Long.MAX_VALUE : configuration.duration().toNanos();

        startNs = System.nanoTime();
        state = State.RUNNING;
        sendSessionStatus(SessionState.ACTIVE);
        if (measureAfterNs == 0)
        {
            startMeasuring(startNs);
        }
        long nextHousekeepingNs = startNs + HOUSEKEEPING_INTERVAL_NS;
        long nextStatusNs = startNs + heartbeatIntervalNs;

        while (true)
        {
            final long nowNs = System.nanoTime();
            if (!running)
            {
                stopReason = StopReason.STOPPED;
                break;
            }
            if (nowNs - startNs >= durationNs)
            {
                stopReason = StopReason.DURATION;
                break;
            }
            if (source.isExhausted())
            {
                stopReason = StopReason.EXHAUSTED;
                break;
            }

            batcher.nowNs(nowNs);
            final int updates;
            try
            {
                updates = source.poll(batcher, POLL_LIMIT, nowNs);
            }
            catch (final PriceSource.SourceException ex)
            {
                failure = ex;
                stopReason = StopReason.FAILED;
                break;
            }
            if (updates == 0)
            {
                batcher.flushAll();
            }
            else
            {
                batcher.flushExpired(nowNs);
            }

            int work = updates;
            if (nowNs - nextHousekeepingNs >= 0)
            {
                if (!allocationMeter.started() && nowNs - startNs >= measureAfterNs)
                {
                    startMeasuring(nowNs);
                }
                nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
                work += publication.pollSubscriptions();
                work += batcher.sendHeartbeats(nowNs, heartbeatIntervalNs);
                counters.update(batcher, publication);
                if (nowNs - nextStatusNs >= 0)
                {
                    nextStatusNs = nowNs + heartbeatIntervalNs;
                    sendSessionStatus(SessionState.ACTIVE);
                }
            }
            idle.idle(work);
        }
    }

    private void startMeasuring(final long nowNs)
    {
        measuredFromNs = nowNs;
        measuredFromUpdates = batcher.publishedUpdates();
        allocationMeter.start(measuredFromUpdates, Thread.currentThread(), "publisher", "iothread");
    }

    /**
     * Leaves the first part of the run out of the measured window (allocation, GC and throughput after warm-up in
     * the summary). Call before {@link #run()}.
     *
     * @param warmup how long to wait before measuring.
     */
    public void measureAfter(final java.time.Duration warmup)
    {
        measureAfterNs = warmup.toNanos();
    }

    private void endSession()
    {
        batcher.nowNs(System.nanoTime());
        batcher.endSession();
        sendSessionStatus(SessionState.ENDED);
        counters.update(batcher, publication);
        endNs = System.nanoTime();
        measurement = allocationMeter.stop(batcher.publishedUpdates());
        if (allocationMeter.started() && endNs > measuredFromNs)
        {
            measurement.put("updatesPerSecond",
                Math.round((batcher.publishedUpdates() - measuredFromUpdates) * 1e9 / (endNs - measuredFromNs)));
        }
        LOG.info("session ended ({}): {} updates in {} batches", stopReason.name().toLowerCase(),
            batcher.publishedUpdates(), batcher.publishedBatches());
    }

    private void sendSessionStatus(final SessionState state)
    {
        final int length = controlWriter.sessionStatus(controlBuffer, 0, sessionEpoch, clock.nanoTime(),
            batcher.publishedUpdates(), batcher.publishedBatches(), registry.size(), state);
        output.send(WireFormat.CONTROL_TOPIC_BYTES, controlBuffer, 0, length);
    }

    /**
     * Asks the running session to stop gracefully; {@link #run()} then returns. Safe from any thread.
     */
    public void requestStop()
    {
        running = false;
    }

    /**
     * Where the publisher is in its life: bound, awaiting subscribers, running its source, or ended. Safe from any
     * thread.
     *
     * @return the state.
     */
    public State state()
    {
        return state;
    }

    /**
     * Why the source failed, when {@link #run()} returned {@link StopReason#FAILED}.
     *
     * @return the source's one-line message, or null if it did not fail.
     */
    public String failure()
    {
        return failure == null ? null : failure.getMessage();
    }

    /**
     * The endpoints bound, with wildcard ports resolved.
     *
     * @return the endpoints.
     */
    public List<String> boundEndpoints()
    {
        return publication.boundEndpoints();
    }

    /**
     * This session's epoch.
     *
     * @return the epoch.
     */
    public long sessionEpoch()
    {
        return sessionEpoch;
    }

    /**
     * The session's counters, readable from any thread (metrics, status lines): a copy of the publisher thread's
     * own counters that it refreshes every 10 ms and at the end of the session.
     *
     * @return the counters.
     */
    public PublisherCounters counters()
    {
        return counters;
    }

    /**
     * The batcher, for its counters.
     *
     * @return the batcher.
     */
    public SmartBatcher batcher()
    {
        return batcher;
    }

    /**
     * The final summary: {@code published} (updates), {@code batches}, {@code topics} (symbol to updates),
     * {@code elapsedSeconds}, and more figures, with the source's own figures and, if the source failed, its
     * message as {@code error}; with a journal, its figures as {@code journal}. Call after {@link #run()} returned.
     *
     * @return an ordered map for the JSON writer.
     */
    public Map<String, Object> summary()
    {
        final Map<String, Object> topics = new LinkedHashMap<>();
        for (final TopicBatch topic : batcher.topics())
        {
            if (topic.publishedUpdates() > 0)
            {
                topics.put(topic.instrument().symbol(), topic.publishedUpdates());
            }
        }
        final double elapsedSeconds = Math.max(0, endNs - startNs) / 1e9;
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("published", batcher.publishedUpdates());
        summary.put("batches", batcher.publishedBatches());
        summary.put("topics", topics);
        summary.put("elapsedSeconds", Math.round(elapsedSeconds * 1000) / 1000.0);
        summary.put("updatesPerSecond",
            elapsedSeconds > 0 ? Math.round(batcher.publishedUpdates() / elapsedSeconds) : 0);
        summary.put("heartbeats", batcher.heartbeatsSent());
        summary.put("bytesSent", publication.bytesSent());
        summary.put("fullBatches", batcher.fullBatches());
        summary.put("lingerFlushes", batcher.lingerFlushes());
        summary.put("sendRetries", publication.sendRetries());
        summary.put("subscribers", publication.subscriberCount());
        summary.put("sessionEpoch", sessionEpoch);
        summary.put("source", source.name());
        summary.putAll(source.statistics());
        summary.put("stopReason", stopReason == null ? "none" : stopReason.name().toLowerCase());
        if (failure != null)
        {
            summary.put("error", failure.getMessage());
        }
        summary.put("endpoints", publication.boundEndpoints());
        summary.put("measured", measurement);
        if (journal != null)
        {
            summary.put("journal", journal.summary());
        }
        if (recovery != null)
        {
            summary.put("recovery", recovery.summary());
        }
        if (dropping != null)
        {
            summary.put("droppedByTestHook", dropping.dropped());
        }
        return summary;
    }

    /**
     * The recovery service's endpoint.
     *
     * @return the endpoint bound (a wildcard port resolved), or null without a recovery service.
     */
    public String recoveryEndpoint()
    {
        return recovery == null ? null : recovery.endpoint();
    }

    /**
     * The recovery service, for its counts.
     *
     * @return the service, or null.
     */
    public RecoveryService recovery()
    {
        return recovery;
    }

    private void closeSession()
    {
        if (sessionClosed)
        {
            return;
        }
        sessionClosed = true;
        try
        {
            publication.close();
        }
        finally
        {
            try
            {
                source.close();
            }
            finally
            {
                if (journal != null)
                {
                    journal.close();
                }
            }
        }
    }

    /**
     * Closes the socket (delivering queued messages within the close linger), the source and the journal (which
     * first writes everything handed to it), then the recovery service after its linger: it answers until no
     * request has come for that long. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            closeSession();
        }
        finally
        {
            if (recovery != null)
            {
                recovery.close();
            }
        }
    }
}
