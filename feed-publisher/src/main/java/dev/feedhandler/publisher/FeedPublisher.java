package dev.feedhandler.publisher;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.concurrent.ParkingIdleStrategy;
import dev.feedhandler.common.shm.ShmLogWriter;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.shm.SharedMemoryConfiguration;
import dev.feedhandler.publisher.shm.SharedMemoryPublication;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.conflate.ConflatingPublication;
import dev.feedhandler.publisher.journal.JournalingPublication;
import dev.feedhandler.publisher.recovery.DroppingPublication;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.recovery.RecoveryHandoff;
import dev.feedhandler.publisher.recovery.RecoveryPublication;
import dev.feedhandler.publisher.source.Instrument;
import dev.feedhandler.publisher.recovery.RecoveryService;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.transport.RepeatingPublication;
import dev.feedhandler.publisher.transport.XPubPublication;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A publisher session: a price source, the smart batcher and the XPUB socket, made from one
 * {@link PublisherContext} and driven by one thread, the duty cycle of an Agrona {@link Agent} ({@link #agent()}):
 * on the caller's thread with {@link #run()}, or on an embedder's own. The session has its own epoch; it announces
 * itself on the control topic, waits for subscribers if asked, publishes until stopped, the duration ends or the
 * source is exhausted, and then stops gracefully: pending batches flushed, a final heartbeat on every topic, a final
 * session status, the socket closed with a linger so queued messages still go out. Frames pass the decorators
 * recovery hand-off, journal, packet repetition and drop hook on their way to the socket.
 * <p>
 * With a {@link RecoveryConfiguration}, a recovery service answers gap fills and snapshots on a ROUTER socket next
 * to the feed, on a thread of its own; it outlives {@link #run()} (subscribers may still be recovering when the
 * session ends) and stops in {@link #close()}, after its linger. With a conflation configuration, a second XPUB socket
 * serves the conflated stream, sent by the publisher's own thread ({@link ConflatedStream}).
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
        /**
         * The source failed ({@link PriceSource.SourceException}), or the socket's ZeroMQ context was terminated
         * under the publisher; what came before was published.
         */
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

    private final PublisherConfiguration configuration;
    private final PriceSource source;
    private final XPubPublication publication;
    private final JournalRecorder journal;
    private final DroppingPublication dropping;
    private final RepeatingPublication repeating;
    private final ShmLogWriter shm;
    private final RecoveryService recovery;
    private final ConflatedStream conflated;
    private final SmartBatcher batcher;
    private final PublisherAgent agent;
    private volatile Thread runner;
    private final long sessionEpoch;
    private final PublisherCounters counters;

    private boolean sessionClosed;
    private boolean closed;

    /**
     * Binds the feed socket and, with a recovery configuration, the recovery service's socket (each prepared by its
     * setup first: CURVE, event log), and prepares the session; nothing is sent until the agent runs ({@link #run()}
     * or {@link #agent()}). The recovery service starts answering at once.
     *
     * @param context what the publisher is made of; concluded here.
     * @throws EndpointException     if an endpoint cannot be bound (a recovery endpoint only if it was given
     *                               explicitly: the default one, in use, turns the service off with a warning).
     * @throws IllegalStateException if the context lacks a configuration, a source or a registry.
     * @throws IllegalArgumentException if the configuration names a {@link FeedLine} and the source cannot be
     *                                  anchored to its start (it is not paced).
     */
    public FeedPublisher(final PublisherContext context)
    {
        context.conclude();
        final RecoveryConfiguration recoveryConfiguration = context.recovery();
        this.configuration = context.configuration();
        this.source = context.source();
        final FeedLine line = configuration.line();
        if (line != null && !source.anchor(line.startEpochNs()))
        {
            throw new IllegalArgumentException("--line needs a paced source (a --rate or --speed other than max): " +
                "flat out, two lines' updates would not be due at the same times nor carry the same timestamps");
        }
        this.journal = context.journal();
        this.counters = context.counters() == null ? new PublisherCounters() :
            new PublisherCounters(context.counters());
        final WallClock clock = WallClock.shared();
        this.sessionEpoch = line == null ? clock.nanoTime() : line.sessionEpoch();
        // The log first: a file that may not be replaced fails the start before any socket is bound.
        final ShmLogWriter shmWriter = configuration.sharedMemory() == null ? null :
            createSharedMemory(configuration.sharedMemory());
        try
        {
            this.publication = new XPubPublication(
                configuration.socket(), context.zContext(), configuration.batch().maxBytes(), context.socketSetup());
        }
        catch (final RuntimeException ex)
        {
            if (shmWriter != null)
            {
                shmWriter.close();
            }
            throw ex;
        }
        final RecoveryHandoff handoff = recoveryConfiguration == null || RecoveryConfiguration.NONE.equalsIgnoreCase(
            recoveryConfiguration.bind()) ? null : new RecoveryHandoff(recoveryConfiguration.ringBytes());
        try
        {
            this.conflated = context.conflation() == null ? null :
                new ConflatedStream(context.conflation(), configuration.socket(), context.zContext());
        }
        catch (final RuntimeException ex)
        {
            publication.close();
            throw ex;
        }
        try
        {
            this.recovery = handoff == null ? null :
                RecoveryBinding.bind(recoveryConfiguration, configuration.socket(), context, handoff,
                    sessionEpoch);
        }
        catch (final RuntimeException ex)
        {
            if (shmWriter != null)
            {
                shmWriter.close();
            }
            publication.close();
            if (conflated != null)
            {
                conflated.close();
            }
            throw ex;
        }
        this.shm = shmWriter;
        // The log next to the socket, behind the drop hook: a frame the hook drops is lost on both transports.
        final Publication transport = shm == null ? publication : new SharedMemoryPublication(publication, shm);
        this.dropping = recoveryConfiguration == null || !recoveryConfiguration.drop().isActive() ? null :
            new DroppingPublication(transport, recoveryConfiguration.drop());
        final Publication socketSide = dropping == null ? transport : dropping;
        // Packet repetition above the drop hook (each copy may be lost on its own), below the journal (once there).
        this.repeating = context.repeatBatches() ? new RepeatingPublication(socketSide) : null;
        final Publication lineSide = repeating == null ? socketSide : repeating;
        final Publication journaled = journal == null ? lineSide : new JournalingPublication(lineSide, journal, clock);
        final RecoveryPublication handedOver = this.recovery == null ? null :
            new RecoveryPublication(journaled, handoff);
        final Publication recovered = handedOver == null ? journaled : handedOver;
        final Publication output = conflated == null ? recovered : conflated.wrap(recovered, clock);
        this.batcher = new SmartBatcher(configuration.batch(), context.registry(), output, clock, sessionEpoch);
        // The instruments known now are topics from the start: counters and metrics show them, at zero, at once.
        batcher.ensureAllTopics();
        if (handedOver != null)
        {
            // ... and for the recovery service too: a late joiner's snapshot names them (last sequence 0).
            for (final Instrument instrument : context.registry().instruments())
            {
                handedOver.announce(instrument.topicBytes(), sessionEpoch, WallClock.epochNanos());
            }
        }
        counters.update(batcher, publication);
        this.agent = new PublisherAgent(configuration, source, publication, conflated, batcher, counters,
            this::closeSession);
        agent.sharedMemory(shm);
        if (this.recovery != null)
        {
            this.recovery.start();
        }
    }

    private ShmLogWriter createSharedMemory(final SharedMemoryConfiguration shmConfiguration)
    {
        final ShmLogWriter writer = ShmLogWriter.create(shmConfiguration.location(), shmConfiguration.capacityBytes(),
            configuration.batch().maxBytes(), shmConfiguration.group(), sessionEpoch, shmConfiguration.wakeReaders());
        LOG.info("writing the feed into shared memory {} ({} MiB ring{}, {})", writer.path(),
            writer.capacity() >> 20, shmConfiguration.group() == null ? ", owner only" :
            ", readable by group " + shmConfiguration.group(), writer.wakesReaders() ? "waking its readers" :
            "readers look on their timer");
        return writer;
    }

    /**
     * Runs the session on the calling thread until it ends, then stops gracefully and closes the socket: the
     * publisher's {@linkplain #agent() agent} driven by an {@link AgentInvoker}, waiting between duty cycles with
     * the configured idle strategy. The blocking convenience; an embedder that runs its own threads uses
     * {@link #agent()} instead.
     *
     * @return why it ended.
     */
    public StopReason run()
    {
        final IdleStrategy idle = IdleStrategies.of(configuration.idleStrategy());
        agent.dueTimes(idle instanceof ParkingIdleStrategy ? (ParkingIdleStrategy)idle : null);
        runner = Thread.currentThread();
        try (AgentInvoker invoker = new AgentInvoker(FeedPublisher::onAgentError, null, agent))
        {
            invoker.start();
            while (!invoker.isClosed() && invoker.isRunning())
            {
                idle.idle(invoker.invoke());
            }
        }
        return agent.stopReason();
    }

    /**
     * The publisher's duty cycle, for an embedder that runs it on a thread of its own: in an Agrona
     * {@link org.agrona.concurrent.AgentRunner}, or by calling an {@link AgentInvoker} from its own loop. It
     * terminates itself when the session ends (an expected {@link org.agrona.concurrent.AgentTerminationException})
     * and its {@code onClose} closes the socket, the source and the journal. Use either this or {@link #run()}.
     *
     * @return the agent.
     */
    public Agent agent()
    {
        return agent;
    }

    private static void onAgentError(final Throwable ex)
    {
        LOG.error("publisher thread error; it goes on", ex);
    }

    /**
     * Leaves the first part of the run out of the measured window (allocation, GC and throughput after warm-up in
     * the summary). Call before the agent runs.
     *
     * @param warmup how long to wait before measuring.
     */
    public void measureAfter(final java.time.Duration warmup)
    {
        agent.measureAfter(warmup.toNanos());
    }

    /**
     * Asks the running session to stop gracefully; {@link #run()} then returns. Asked before it ran or after it
     * ended, it also ends the recovery service's linger in {@link #close()}. Safe from any thread.
     */
    public void requestStop()
    {
        agent.requestStop();
        // The run loop may park until its next due time (up to a second): wake it to stop now.
        final Thread thread = runner;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
        if (recovery != null)
        {
            // A stop's linger waits for requests only; before the session ran or after it ended, none at all.
            recovery.stopRequested(state() == State.ENDED || state() == State.BOUND);
        }
    }

    /**
     * Where the publisher is in its life: bound, awaiting subscribers, running its source, or ended. Safe from any
     * thread.
     *
     * @return the state.
     */
    public State state()
    {
        return agent.lifecycle();
    }

    /**
     * Why the source failed, when {@link #run()} returned {@link StopReason#FAILED}.
     *
     * @return the source's one-line message, or null if it did not fail.
     */
    public String failure()
    {
        return agent.failure();
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
        final Map<String, Object> summary = PublisherSummary.session(agent, batcher, publication, source, sessionEpoch,
            configuration.line());
        summary.put("endpoints", publication.boundEndpoints());
        summary.put("measured", agent.measurement());
        // The parts of what this publisher has, in this order.
        PublisherSummary.putPresent(summary, "journal", journal == null ? null : journal.summary());
        PublisherSummary.putPresent(summary, "recovery", recovery == null ? null : recovery.summary());
        PublisherSummary.putPresent(summary, "shm", shm == null ? null : shm.summary());
        PublisherSummary.putPresent(summary, "droppedByTestHook", dropping == null ? null : dropping.dropped());
        PublisherSummary.putPresent(summary, "repeatedBatches", repeating == null ? null : repeating.repeated());
        PublisherSummary.putPresent(summary, "conflated", conflated == null ? null : conflated.summary());
        return summary;
    }

    /**
     * The summary of a publisher stopped before it was built: {@link #summary()}'s keys that need no socket, at 0.
     *
     * @param source  the price source, closed.
     * @param journal the journal opened for it, closed, or null.
     * @return an ordered map for the JSON writer.
     */
    public static Map<String, Object> summaryBeforeStart(final PriceSource source, final JournalRecorder journal)
    {
        return PublisherSummary.beforeStart(source, journal);
    }

    /**
     * The conflated stream's endpoints.
     *
     * @return the endpoints bound (wildcard ports resolved), or an empty list without a conflated stream.
     */
    public List<String> conflatedEndpoints()
    {
        return conflated == null ? List.of() : conflated.endpoints();
    }

    /**
     * The conflated stream, for its counts.
     *
     * @return the stream, or null without one.
     */
    public ConflatingPublication conflatedStream()
    {
        return conflated == null ? null : conflated.publication();
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
            if (conflated != null)
            {
                conflated.close();
            }
        }
        finally
        {
            try
            {
                if (shm != null)
                {
                    // Readers deliver what the log holds, then wait for the next publisher.
                    shm.close();
                }
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
