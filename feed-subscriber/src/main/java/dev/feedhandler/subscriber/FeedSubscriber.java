package dev.feedhandler.subscriber;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.shm.ShmLogReader;
import dev.feedhandler.common.socket.ConnectEndpoint;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.subscriber.conflate.Conflator;
import dev.feedhandler.subscriber.receive.BatchEvent;
import dev.feedhandler.subscriber.receive.ConnectionWatchdog;
import dev.feedhandler.subscriber.receive.EventHandoff;
import dev.feedhandler.subscriber.receive.FeedReceiver;
import dev.feedhandler.subscriber.receive.InlineHandoff;
import dev.feedhandler.subscriber.receive.ListenerDispatcher;
import dev.feedhandler.subscriber.receive.ReceiveBufferPool;
import dev.feedhandler.subscriber.receive.ReceiverAgent;
import dev.feedhandler.subscriber.receive.RingHandoff;
import dev.feedhandler.subscriber.receive.ShmReceiverAgent;
import dev.feedhandler.subscriber.receive.SubscriberSocket;
import dev.feedhandler.subscriber.recovery.RecoveryClient;
import dev.feedhandler.subscriber.sequence.LineArbiter;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A feed subscriber to embed in a trading process. A receiver (an Agrona agent, on a thread of its own or driven by
 * the embedder's {@link AgentInvoker}) reads the SUB socket, decodes, checks each topic's sequence numbers and
 * publishes into a Disruptor ring of pre-allocated slots; the listener runs on the ring's consumer thread with
 * zero-copy views, or on the receiver's thread with {@link SubscriberBuilder#listenerOnReceiverThread}. Nothing on
 * that path allocates per update.
 * <p>
 * With a recovery endpoint ({@link SubscriberBuilder#recoveryEndpoint}), what the feed loses is fetched again from the
 * publisher's recovery service by a recovery client thread and delivered in its place, in order, and a topic whose
 * beginning was missed starts from a snapshot; without one, every gap is reported unrecoverable at once. Either way
 * the listener hears when the feed goes stale (nothing for three heartbeat intervals) and live again.
 * <pre>{@code
 * try (FeedSubscriber subscriber = FeedSubscriber.builder()
 *     .endpoint("tcp://127.0.0.1:5556")
 *     .topic("EUR")
 *     .listener(myListener)
 *     .build()
 *     .start())
 * {
 *     ...
 * }
 * }</pre>
 */
public final class FeedSubscriber implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FeedSubscriber.class);
    private static final long CLOSE_DRAIN_TIMEOUT_MS = 5_000;

    /** Default time to wait for a reply of the recovery service. */
    public static final long DEFAULT_RECOVERY_TIMEOUT_MS = SubscriberConfiguration.DEFAULT_RECOVERY_TIMEOUT_MS;

    /** Default number of times to ask the recovery service again after a timeout. */
    public static final int DEFAULT_RECOVERY_RETRIES = SubscriberConfiguration.DEFAULT_RECOVERY_RETRIES;

    /** Default bound of live frames held back behind recoveries. */
    public static final long DEFAULT_MAX_HELD_BYTES = SubscriberConfiguration.DEFAULT_MAX_HELD_BYTES;

    /** Default heartbeat interval of the publisher. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = SubscriberConfiguration.DEFAULT_HEARTBEAT_INTERVAL_MS;

    private final SubscriberConfiguration settings;
    private final SubscriberCounters counters;
    private final String helloId;
    private final ReceiveBufferPool pool;

    private ZContext context;
    private boolean ownsContext;
    private Disruptor<BatchEvent> disruptor;
    private volatile EventHandoff handoff;
    private volatile FeedReceiver receiver;
    private RecoveryClient recoveryClient;
    private volatile ShmReceiverAgent shmAgent;
    private volatile AgentRunner runner;
    private volatile AgentInvoker invoker;
    private boolean started;
    private boolean closed;

    FeedSubscriber(final SubscriberConfiguration settings)
    {
        this.settings = settings;
        this.counters = settings.counters() == null ? new SubscriberCounters() :
            new SubscriberCounters(settings.counters());
        this.pool = new ReceiveBufferPool(settings.pooledFrameBytes(), settings.pooledFrames());
        this.helloId = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + "-" +
            ProcessHandle.current().pid();
    }

    /**
     * A builder with the defaults of {@link SubscriberConfiguration}: {@code tcp://127.0.0.1:5556}, all topics,
     * RCVHWM 100000, a ring of 1024 slots, the {@code lite-blocking} wait strategy, a blocking receive.
     *
     * @return a new builder.
     */
    public static SubscriberBuilder builder()
    {
        return new SubscriberBuilder();
    }

    /**
     * Connects, subscribes and starts the receiver (unless the embedder drives it, {@link #agentInvoker()}) and the
     * listener's thread (unless the listener runs on the receiver's).
     *
     * @return this.
     * @throws IllegalArgumentException if an endpoint is malformed.
     * @throws IllegalStateException if already started.
     */
    public FeedSubscriber start()
    {
        if (started)
        {
            throw new IllegalStateException("already started");
        }
        started = true;
        ownsContext = settings.context() == null;
        context = ownsContext ? new ZContext(settings.ioThreads()) : settings.context();
        final ListenerDispatcher dispatcher = new ListenerDispatcher(settings.listener(), counters,
            settings.conflate() ? new Conflator(settings.conflateMaxTrades()) : null);
        if (settings.inlineListener())
        {
            handoff = new InlineHandoff(settings.slotBytes(), dispatcher);
        }
        else
        {
            final int slotBytes = settings.slotBytes();
            disruptor = new Disruptor<>(() -> new BatchEvent(slotBytes), settings.ringSize(),
                runnable -> daemon(runnable, "feed-listener"), ProducerType.SINGLE,
                WaitStrategies.of(settings.waitStrategy()));
            disruptor.handleEventsWith(dispatcher);
            dispatcher.published(disruptor.getRingBuffer());
            final RingBuffer<BatchEvent> ring = disruptor.start();
            handoff = new RingHandoff(ring, counters);
        }
        try
        {
            startReceiver();
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
        return this;
    }

    private void startReceiver()
    {
        if (settings.sharedMemory() != null)
        {
            startSharedMemoryReceiver();
            return;
        }
        // Checked before any socket opens: a mistake fails start() with its one-line reason.
        settings.endpoints().forEach(ConnectEndpoint::check);
        ConnectEndpoint.checkEach(settings.recoveryEndpoint());
        final boolean threaded = !settings.agentInvoker();
        final boolean blocking = threaded && settings.blockingReceive();
        // Identical lines get a socket each (the arbiter must know which line brought what); otherwise one socket
        // connects to every endpoint.
        final List<List<String>> lines = settings.arbitrate() ?
            settings.endpoints().stream().map(List::of).toList() : List.of(settings.endpoints());
        final SubscriberSocket[] sockets = new SubscriberSocket[lines.size()];
        final ConnectionWatchdog[] watchdogs = new ConnectionWatchdog[lines.size()];
        final ZMQ.Socket[] opened = new ZMQ.Socket[lines.size()];
        for (int i = 0; i < lines.size(); i++)
        {
            sockets[i] = new SubscriberSocket(context, lines.get(i), settings.topics(),
                helloId, settings.receiveHwm(), settings.receiveBufferBytes(),
                blocking && !settings.arbitrate() ? FeedReceiver.RECEIVE_TIMEOUT_MS : -1, settings.curve(),
                settings.socketEvents(), pool);
            watchdogs[i] = new ConnectionWatchdog(settings.handshakeTimeoutNs());
            // Opened on the caller's thread so that a malformed endpoint fails start(); the agent's thread owns it.
            opened[i] = sockets[i].open(watchdogs[i], settings.socketEvents());
        }
        final ZMQ.Socket socket = opened[0];
        final FeedReceiver feedReceiver = new FeedReceiver(socket, handoff, counters, pool, settings.maxFrameBytes(),
            settings.maxTopics(), settings.topics());
        feedReceiver.tap(settings.frameTap());
        feedReceiver.liveness(settings.heartbeatIntervalNs());
        feedReceiver.conflating(settings.conflate());
        final ZMQ.Socket link = startRecovery(feedReceiver);
        if (settings.arbitrate())
        {
            final LineArbiter lineArbiter = new LineArbiter(settings.endpoints(), settings.arbitrationWindowNs());
            lineArbiter.heartbeatInterval(settings.heartbeatIntervalNs());
            feedReceiver.arbitrate(opened, lineArbiter);
            LOG.info("arbitrating {} identical lines: {}", lines.size(), settings.endpoints());
        }
        receiver = feedReceiver;
        final ReceiverAgent agent = new ReceiverAgent(feedReceiver, sockets, opened, watchdogs, link, counters,
            settings.handshakeTimeoutNs(), blocking);
        // The idle strategy is the runner's: none for the embedder's invoker (its receive mode may be "block").
        run(agent, threaded, !threaded ? null :
            blocking ? new NoOpIdleStrategy() : IdleStrategies.of(settings.receiveIdle()));
    }

    /**
     * The receiver over the publisher's shared-memory log: the log is opened here if it is there (so that a foreign
     * or unreadable file fails start()), else the agent waits for it.
     */
    private void startSharedMemoryReceiver()
    {
        final ShmLocation location = settings.sharedMemory();
        final ShmLogReader reader = ShmReceiverAgent.open(location, settings.topics());
        final FeedReceiver feedReceiver = new FeedReceiver(null, handoff, counters, null, settings.maxFrameBytes(),
            settings.maxTopics(), settings.topics());
        feedReceiver.tap(settings.frameTap());
        feedReceiver.liveness(settings.heartbeatIntervalNs());
        feedReceiver.conflating(settings.conflate());
        final ZMQ.Socket link;
        try
        {
            link = startRecovery(feedReceiver);
        }
        catch (final RuntimeException ex)
        {
            if (reader != null)
            {
                reader.close();
            }
            throw ex;
        }
        receiver = feedReceiver;
        final ShmReceiverAgent agent = new ShmReceiverAgent(feedReceiver, location, settings.topics(), reader, link);
        shmAgent = agent;
        run(agent, !settings.agentInvoker(), agent.idleStrategy(IdleStrategies.of(settings.sharedMemoryIdle()),
            settings.blockingReceive()));
    }

    private ZMQ.Socket startRecovery(final FeedReceiver feedReceiver)
    {
        ZMQ.Socket link = null;
        if (settings.recoveryEndpoint() != null)
        {
            final String linkEndpoint = "inproc://feed-recovery-" + helloId;
            // Evidence that the service's process runs, for the client's patience with a slow service: the feed's
            // heartbeats arrive (only with liveness on: without heartbeats, silence proves nothing either way).
            final boolean liveness = settings.heartbeatIntervalNs() > 0;
            recoveryClient = new RecoveryClient(context, linkEndpoint, settings.recoveryEndpoint(),
                settings.recoveryTimeoutMs(), settings.recoveryRetries(), settings.recoveryPatienceMs(),
                () -> liveness && feedState() == FeedState.LIVE, settings.handshakeTimeoutNs() / 1_000_000L,
                settings.curve(), settings.recoveryEvents(), counters.process(), RecoveryClient.RUNNER_WAIT_MS)
                .start();
            LOG.info("recovering gaps from {}", settings.recoveryEndpoint());
            link = context.createSocket(SocketType.PAIR);
            link.setLinger(0);
            link.setSndHWM(0);
            link.setRcvHWM(0);
            link.connect(linkEndpoint);
            feedReceiver.enableRecovery(link, settings.topics(), settings.maxHeldBytes());
        }
        return link;
    }

    private void run(final Agent agent, final boolean threaded, final IdleStrategy idle)
    {
        final ErrorHandler errors = counters.process().errors().handler(
            LOG, Level.ERROR, "unexpected error in the receiver; it goes on", counters.receiverErrorCounter());
        if (threaded)
        {
            runner = new AgentRunner(idle, errors, null, agent);
            AgentRunner.startOnThread(runner, runnable -> daemon(runnable, "feed-receiver"));
        }
        else
        {
            invoker = new AgentInvoker(errors, null, agent);
            invoker.start();
        }
    }

    private static Thread daemon(final Runnable runnable, final String name)
    {
        final Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * The receiver's invoker, for an embedder that drives it from its own loop ({@code invoke()} never blocks;
     * idle as you see fit when it returns 0).
     *
     * @return the invoker, or null when the subscriber runs its own receiver thread.
     */
    public AgentInvoker agentInvoker()
    {
        return invoker;
    }

    /**
     * The subscriber's counters, readable from any thread.
     *
     * @return the counters.
     */
    public SubscriberCounters counters()
    {
        return counters;
    }

    /**
     * Batches handed to the listener and not yet handled (0 when the listener runs on the receiver's thread). Safe
     * from any thread.
     *
     * @return the occupancy, 0 before start.
     */
    public long ringOccupancy()
    {
        final EventHandoff current = handoff;
        return current == null ? 0 : current.occupancy();
    }

    /**
     * Slots in the ring (one batch each); 1 when the listener runs on the receiver's thread.
     *
     * @return the ring size.
     */
    public int ringCapacity()
    {
        return settings.inlineListener() ? 1 : settings.ringSize();
    }

    /**
     * The event log of the feed socket, if one was given to the builder.
     *
     * @return the log, or null.
     */
    public SocketEventLog socketEvents()
    {
        return settings.socketEvents();
    }

    /**
     * Topics seen so far, in id order. Safe from any thread.
     *
     * @return the topics.
     */
    public List<Topic> topics()
    {
        final FeedReceiver current = receiver;
        return current == null ? List.of() : current.topics();
    }

    /**
     * Whether the feed reaches this subscriber: {@link FeedState#WAITING} until the first message (update,
     * heartbeat or session status: the subscription is in effect), then {@link FeedState#LIVE}, or
     * {@link FeedState#STALE} while nothing has arrived for three heartbeat intervals. Safe from any thread.
     *
     * @return the state, {@link FeedState#WAITING} before start.
     */
    public FeedState feedState()
    {
        final FeedReceiver current = receiver;
        return current == null ? FeedState.WAITING : current.feedState();
    }

    /**
     * Whether the receiver runs: started, not closed, and its thread alive (or, driven by the embedder's invoker,
     * the invoker started and not closed). Safe from any thread.
     *
     * @return true while the receiver runs.
     */
    public boolean receiverRunning()
    {
        final AgentRunner threaded = runner;
        if (threaded != null)
        {
            final Thread thread = threaded.thread();
            return !threaded.isClosed() && thread != null && thread != AgentRunner.TOMBSTONE && thread.isAlive();
        }
        final AgentInvoker invoked = invoker;
        return invoked != null && invoked.isStarted() && !invoked.isClosed();
    }

    /**
     * Frames allocated because every pooled receive array was in use (the receiver fell far behind).
     *
     * @return the count.
     */
    public long receivePoolMisses()
    {
        return pool.misses();
    }

    /**
     * What is known of each identical line, when arbitrating.
     *
     * @return the arbiter, or null when not arbitrating (or not started).
     */
    public LineArbiter lineArbiter()
    {
        return receiver == null ? null : receiver.arbiter();
    }

    /**
     * The recovery client, for its counts.
     *
     * @return the client, or null without a recovery endpoint.
     */
    public RecoveryClient recoveryClient()
    {
        return recoveryClient;
    }

    /**
     * The shared-memory reader's figures ({@link ShmReceiverAgent#summary()}): path, logs opened, laps, bytes
     * skipped, damaged records, and the error while the file cannot be read.
     *
     * @return the figures, or null when the subscriber reads a socket or has not started.
     */
    public Map<String, Object> sharedMemorySummary()
    {
        final ShmReceiverAgent agent = shmAgent;
        return agent == null ? null : agent.summary();
    }

    /**
     * The id this subscriber announces to publishers in its hello subscription.
     *
     * @return the id.
     */
    public String helloId()
    {
        return helloId;
    }

    /**
     * The settings this subscriber runs with.
     *
     * @return the validated, immutable settings.
     */
    public SubscriberConfiguration configuration()
    {
        return settings;
    }

    /**
     * Stops receiving, delivers what is already in the ring to the listener (up to 5 seconds), and releases the
     * socket, threads and (if owned) the ZeroMQ context. With an invoker, call it from the invoking thread.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (closed || !started)
        {
            closed = true;
            return;
        }
        closed = true;
        if (runner != null)
        {
            runner.close();
        }
        if (invoker != null)
        {
            invoker.close();
        }
        if (recoveryClient != null)
        {
            recoveryClient.close();
        }
        if (disruptor != null)
        {
            try
            {
                disruptor.shutdown(CLOSE_DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException ex)
            {
                LOG.warn("listener did not drain the ring within {} ms; halting it", CLOSE_DRAIN_TIMEOUT_MS);
                disruptor.halt();
            }
        }
        if (ownsContext)
        {
            context.close();
        }
    }
}
