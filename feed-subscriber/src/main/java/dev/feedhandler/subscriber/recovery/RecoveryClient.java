package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.wire.RecoveryReader;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The subscriber's client of the publisher's recovery service, an Agrona {@link Agent}: {@link #start()} runs it
 * on a thread of its own (an {@link AgentRunner}), so that the receiver never waits on the network; an embedder
 * that owns its threads runs it with an {@link AgentInvoker} instead (with a wait of 0). It takes tasks from the
 * receiver (fill a gap, fetch a snapshot, catch a topic up) over an inproc PAIR socket ({@link RecoveryLink}), asks
 * the service with a DEALER socket, and passes recovered batches, unavailable ranges and snapshot entries back.
 * <p>
 * Lazy Pirate (ZeroMQ guide, chapter 4), pipelined: up to {@value #MAX_IN_FLIGHT} gap fills and snapshots have a
 * request outstanding at once, page by page; up to {@value #MAX_STREAMS} catch-up streams are open, each with
 * {@value #STREAM_CREDIT} pages of credit (one more per page the receiver has handled), so memory stays bounded
 * whatever the size of a gap. A request with no reply within the timeout (a stream sending neither a page nor a
 * keep-alive) means a new socket and everything outstanding asked again, up to the retries; then every task fails.
 * A socket whose connection has no greeting within the handshake timeout is replaced once, not counted as an
 * attempt (JeroMQ 0.6.0 stalls connects: {@link ServiceSocket#reopenIfStalled}). While a reply came on the socket
 * within {@code timeout × (retries + 1)}, a late stream waits longer and a late gap fill is asked again on it
 * ({@link StreamPatience}); while the feed is live and the socket through its greeting, a late request waits on it
 * up to the patience ({@code --recovery-patience}) before its silence counts: a service starved of CPU is not asked
 * everything again. Replies to an attempt given up on are told apart by their request id and dropped.
 */
public final class RecoveryClient implements Agent, AutoCloseable
{
    /** How long the client's own thread waits in its sockets when there is nothing to do. */
    public static final int RUNNER_WAIT_MS = 100;
    /** Most gap fills and snapshots with a request outstanding at once. */
    static final int MAX_IN_FLIGHT = 16;
    /** Most gap fill and snapshot pages passed to the receiver and not yet handled by it. */
    static final int MAX_UNACKED = 8;
    /** Most catch-up streams open at once; more wait their turn. */
    static final int MAX_STREAMS = 8;
    /** Pages a catch-up stream may have in flight. */
    static final int STREAM_CREDIT = 4;

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryClient.class);

    private final String endpoint;
    private final long timeoutNs;
    private final int retries;
    private final int waitMs;
    private final ZMQ.Socket link;
    private final RecoveryLink header = new RecoveryLink();
    private final RecoveryReader reader = new RecoveryReader();
    private final UnsafeBuffer responseView = new UnsafeBuffer(0, 0);
    private final ServiceProxy service = new ServiceProxy();
    private final ServiceSocket sockets;
    private final ReceiverProxy receiver;
    private final FillTasks fills;
    private final CatchUpTasks streams;
    private final StreamPatience patience;
    private final AtomicCounter requests;
    private final AtomicCounter snapshotRequests;
    private final AtomicCounter timeouts;
    private final AtomicCounter failures;
    private final AtomicCounter slowWaits;
    private final BadReplies badReplies;
    private final ErrorHandler errorHandler;
    private final BooleanSupplier publisherLive;

    private AgentRunner runner;
    private long requestId;
    private long socketHeardNs = StreamPatience.NEVER;
    private boolean slowSpell;
    private boolean released;

    /**
     * A client, its end of the link bound.
     *
     * @param context      the subscriber's context (the link is inproc).
     * @param linkEndpoint the inproc endpoint the receiver connects to.
     * @param endpoint     the recovery service.
     * @param timeoutMs    how long to wait for a reply.
     * @param retries      how many times to ask again after a timeout.
     * @param patienceMs   how long a request may wait for a service that is slow, not gone (the publisher's feed
     *                     live, the socket connected), before its silence counts toward the retries; 0 for never.
     * @param publisherLive whether the publisher's feed is live now (heartbeats arriving); any thread may call it.
     * @param handshakeTimeoutMs how long a socket's connection may go without a greeting before it is replaced once.
     * @param curve        CURVE client keys, or null.
     * @param events       the event log of the recovery socket, or null.
     * @param counters     where its counters and its thread's errors go.
     * @param waitMs       how long {@link #doWork()} may wait in the sockets when there is nothing to do: 0 under
     *                     an {@link AgentInvoker} on a thread that does other work too.
     */
    public RecoveryClient(final ZContext context, final String linkEndpoint, final String endpoint,
        final long timeoutMs, final int retries, final long patienceMs, final BooleanSupplier publisherLive,
        final long handshakeTimeoutMs, final CurveClient curve, final SocketEventLog events,
        final ProcessCounters counters, final int waitMs)
    {
        this.requests = counters.newCounter(CounterTypes.RECOVERY_CLIENT, "recovery client: requests");
        this.snapshotRequests = counters.newCounter(CounterTypes.RECOVERY_CLIENT,
            "recovery client: snapshot requests");
        this.timeouts = counters.newCounter(CounterTypes.RECOVERY_CLIENT, "recovery client: timeouts");
        this.failures = counters.newCounter(CounterTypes.RECOVERY_CLIENT, "recovery client: requests given up");
        this.slowWaits = counters.newCounter(CounterTypes.RECOVERY_CLIENT,
            "recovery client: waits for a slow service");
        this.badReplies = new BadReplies(endpoint, counters, LOG);
        this.publisherLive = publisherLive;
        this.errorHandler = counters.errors().handler(LOG, Level.ERROR, "recovery client error; it goes on",
            counters.newCounter(CounterTypes.ERRORS, "errors: recovery client thread"));
        this.endpoint = endpoint;
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.retries = retries;
        this.waitMs = waitMs;
        this.link = context.createSocket(SocketType.PAIR);
        link.setLinger(0);
        link.setSndHWM(0);
        link.setRcvHWM(0);
        link.bind(linkEndpoint);
        this.receiver = new ReceiverProxy(link);
        this.sockets = new ServiceSocket(context, endpoint, curve, events, link, service,
            TimeUnit.MILLISECONDS.toNanos(handshakeTimeoutMs));
        this.fills = new FillTasks(service, receiver, this::nextRequestId, this::nextSnapshotRequestId, timeoutNs);
        this.streams = new CatchUpTasks(service, receiver, this::nextRequestId, timeoutNs, retries);
        this.patience = new StreamPatience(timeoutNs, retries, TimeUnit.MILLISECONDS.toNanos(patienceMs));
    }

    /**
     * Runs the client on a thread of its own, an {@link AgentRunner} (it waits in its sockets, so no idle strategy
     * on top).
     *
     * @return this.
     */
    public RecoveryClient start()
    {
        if (runner == null)
        {
            runner = new AgentRunner(new NoOpIdleStrategy(), errorHandler, null, this);
            AgentRunner.startOnThread(runner, runnable ->
            {
                final Thread thread = new Thread(runnable, roleName());
                thread.setDaemon(true);
                return thread;
            });
        }
        return this;
    }

    /** {@inheritDoc} */
    @Override
    public String roleName()
    {
        return "feed-recovery-client";
    }

    /** {@inheritDoc} */
    @Override
    public void onStart()
    {
        openDealer();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int doWork()
    {
        try
        {
            long nowNs = System.nanoTime();
            int work = sendQueued(nowNs);
            if (work == 0 && waitMs > 0)
            {
                sockets.poll(waitMs(nowNs));
            }
            byte[] frame;
            while ((frame = link.recv(ZMQ.DONTWAIT)) != null)
            {
                onLinkMessage(frame);
                work++;
            }
            final ZMQ.Socket dealer = sockets.dealer();
            while (dealer != null && (frame = dealer.recv(ZMQ.DONTWAIT)) != null)
            {
                onReply(frame, RecoveryLink.rest(dealer));
                work++;
            }
            if (released && dealer != null && fills.isEmpty() && streams.isEmpty())
            {
                sockets.letGo();
                LOG.debug("the session ended with nothing to recover: {} let go until needed", endpoint);
            }
            return work + checkTimeouts(System.nanoTime());
        }
        catch (final ZMQException ex)
        {
            if (ex.getErrorCode() == ZMQ.Error.ETERM.getCode())
            {
                throw new AgentTerminationException(ex);
            }
            throw ex;
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onClose()
    {
        sockets.close();
        link.close();
    }

    private int sendQueued(final long nowNs)
    {
        return fills.sendQueued(nowNs) + streams.openQueued(nowNs);
    }

    private long waitMs(final long nowNs)
    {
        final long waitNs = streams.wait(nowNs, fills.wait(nowNs, TimeUnit.MILLISECONDS.toNanos(waitMs)));
        // Rounded up: a wait of 0 would not wait at all until the deadline.
        return Math.max(0, (waitNs + 999_999) / 1_000_000);
    }

    private void onLinkMessage(final byte[] first)
    {
        final List<byte[]> frames = RecoveryLink.rest(link);
        if (header.wrap(first) == null)
        {
            return;
        }
        final long task = header.task();
        final byte type = header.type();
        if (type == RecoveryLink.GAP_FILL || type == RecoveryLink.CATCH_UP || type == RecoveryLink.SNAPSHOT)
        {
            released = false;
            if (sockets.dealer() == null)
            {
                openDealer();
            }
        }
        switch (type)
        {
            case RecoveryLink.GAP_FILL:
                if (!frames.isEmpty())
                {
                    fills.add(ClientTask.gapFill(task, frames.get(0), header.epoch(), header.from(), header.to()));
                }
                break;
            case RecoveryLink.CATCH_UP:
                if (!frames.isEmpty())
                {
                    streams.add(ClientTask.catchUp(task, frames.get(0), header.epoch(), header.from()));
                }
                break;
            case RecoveryLink.SNAPSHOT:
                fills.add(ClientTask.snapshot(task, frames.isEmpty() ? List.of(new byte[0]) : frames));
                break;
            case RecoveryLink.CANCEL:
                // Every task ends with one DONE, a cancelled one too, so the receiver can count what is in flight.
                if (!fills.cancel(task))
                {
                    streams.cancel(task);
                }
                break;
            case RecoveryLink.ACK:
                fills.ack();
                break;
            case RecoveryLink.STREAM_ACK:
                streams.ack(task, System.nanoTime());
                break;
            case RecoveryLink.RELEASE:
                released = true;
                break;
            default:
                break;
        }
    }

    private long nextRequestId()
    {
        requests.incrementRelease();
        return ++requestId;
    }

    private long nextSnapshotRequestId()
    {
        snapshotRequests.incrementRelease();
        return nextRequestId();
    }

    private void onReply(final byte[] first, final List<byte[]> frames)
    {
        if (frames.isEmpty())
        {
            return;
        }
        final byte[] response = frames.get(0);
        responseView.wrap(response);
        if (reader.read(responseView, 0, response.length) != RecoveryResponseDecoder.TEMPLATE_ID)
        {
            badReplies.onReply(reader.error());
            return;
        }
        final RecoveryResponseDecoder decoder = reader.response();
        // Evidence that the service is there and answers on this socket, whichever request this is for.
        socketHeardNs = System.nanoTime();
        if (slowSpell)
        {
            slowSpell = false;
            LOG.info("recovery service {} answers again", endpoint);
        }
        if (!fills.onReply(first, frames, decoder))
        {
            // Otherwise a stream's page, or the late reply to an attempt given up on, or to a cancelled task.
            streams.onReply(first, frames, decoder, System.nanoTime());
        }
    }

    private int checkTimeouts(final long nowNs)
    {
        if (sockets.reopenIfStalled(nowNs))
        {
            fills.resendAll(nowNs); // nothing was heard on the socket replaced: socketHeardNs is still NEVER
            streams.reopenAll(nowNs);
            return 1;
        }
        ClientTask expired = fills.expired(nowNs);
        if (expired != null && streams.openCount() > 0 && patience.alive(nowNs, socketHeardNs))
        {
            // The streams are served on this socket: ask for the fill again on it rather than drop their pages.
            fills.resend(expired, nowNs);
            return 1;
        }
        if (expired == null)
        {
            expired = streams.expired(nowNs);
            if (expired == null)
            {
                return 0;
            }
            switch (patience.onLate(nowNs, socketHeardNs, expired.waits))
            {
                case StreamPatience.WAIT:
                    expired.waits++;
                    expired.deadlineNs = patience.nextDeadline(nowNs, expired.waits);
                    return 1;
                case StreamPatience.REOPEN:
                    streams.reopen(expired, nowNs);
                    return 1;
                default:
                    break;
            }
        }
        if (patience.slow(nowNs, expired.owedSinceNs, publisherLive.getAsBoolean(), sockets.through()))
        {
            // Slow, not gone: keep the socket and the work the service has started on it; wait longer.
            slowWaits.incrementRelease();
            expired.waits++;
            expired.deadlineNs = patience.nextDeadline(nowNs, expired.waits);
            if (!slowSpell)
            {
                slowSpell = true;
                LOG.info("recovery service {} is slow to answer {} ({} ms so far; the publisher's feed is live and " +
                    "the service connected): waiting on the same socket", endpoint, expired,
                    TimeUnit.NANOSECONDS.toMillis(nowNs - expired.owedSinceNs));
            }
            return 1;
        }
        timeouts.incrementRelease();
        // Lazy Pirate: the socket may be stuck (a lost connection, a stalled connect): replace it, and ask again
        // everything that was outstanding on it.
        openDealer();
        if (++expired.attempts > retries)
        {
            failures.incrementRelease();
            final int failed = fills.failAll() + streams.failAll();
            LOG.warn("recovery service {} did not answer {} attempt(s) of {} ms for {} (asked {} ms ago); giving up " +
                "on it and on {} other task(s)", endpoint, retries + 1, TimeUnit.NANOSECONDS.toMillis(timeoutNs),
                expired, TimeUnit.NANOSECONDS.toMillis(nowNs - expired.owedSinceNs), failed - 1);
            return 1;
        }
        fills.resendAll(nowNs);
        streams.reopenAll(nowNs);
        return 1;
    }

    private void openDealer()
    {
        sockets.open();
        socketHeardNs = StreamPatience.NEVER;
    }

    /**
     * The recovery service's endpoint.
     *
     * @return the endpoint.
     */
    public String endpoint()
    {
        return endpoint;
    }

    /**
     * Requests sent (catch-up streams opened included), retries included. Safe from any thread.
     *
     * @return the count.
     */
    public long requests()
    {
        return requests.get();
    }

    /**
     * Of the {@link #requests()}, those for snapshots: a late join's, and the audit of every topic's last sequence
     * number when the feed goes stale or a session ends with updates missing. Safe from any thread.
     *
     * @return the count.
     */
    public long snapshotRequests()
    {
        return snapshotRequests.get();
    }

    /**
     * Times a request got no reply in time (each replaced the socket). Safe from any thread.
     *
     * @return the count.
     */
    public long timeouts()
    {
        return timeouts.get();
    }

    /**
     * Times every task was given up after every retry. Safe from any thread.
     *
     * @return the count.
     */
    public long failures()
    {
        return failures.get();
    }

    /**
     * Whether the current socket's connection to the service is through its greeting (and none was lost since it
     * opened). Safe from any thread.
     *
     * @return true if so.
     */
    public boolean serviceConnected()
    {
        return sockets.through();
    }

    /**
     * Times a late request waited longer on the same socket because the service was slow, not gone (the
     * publisher's feed live, the socket connected), instead of counting toward the retries.
     *
     * @return the count.
     */
    public long slowWaits()
    {
        return slowWaits.get();
    }

    /**
     * Stops the thread (it closes its sockets), or closes the link of a client never started. Idempotent.
     */
    @Override
    public void close()
    {
        if (runner != null)
        {
            runner.close(5_000, thread -> LOG.warn("recovery client thread {} did not stop; interrupting it", thread));
        }
        else if (sockets.dealer() == null)
        {
            link.close();
        }
    }
}
