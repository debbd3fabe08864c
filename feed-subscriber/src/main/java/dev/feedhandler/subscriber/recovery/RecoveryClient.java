package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The subscriber's client of the publisher's recovery service, on a thread of its own so that the receiver never
 * waits on the network. It takes tasks from the receiver (fill a gap, fetch a snapshot) over an inproc PAIR socket,
 * asks the service with a DEALER socket, and passes the recovered batches and snapshot entries back, page by page.
 * <p>
 * Lazy Pirate (ZeroMQ guide, chapter 4), pipelined: each task has at most one request outstanding, and up to
 * {@value #MAX_IN_FLIGHT} tasks have one at a time (one request per round trip could not keep up with a feed that
 * loses hundreds of batches a second). A request with no reply within the timeout means close the socket, open a
 * new one (which also gets round JeroMQ 0.6.0's stalled connects) and ask again, the other outstanding requests with
 * it, up to the retries; then the task fails, and so do the tasks queued behind it (the service is not answering;
 * later tasks try again). Replies to an attempt given up on are told apart by their request id and dropped. Tasks
 * take turns page by page, so one long recovery does not hold up the others; pages the receiver has not handled yet
 * are bounded ({@value #MAX_UNACKED}), so memory stays bounded whatever the size of a gap.
 */
public final class RecoveryClient implements Runnable, AutoCloseable
{
    /** Most tasks with a request outstanding at once. */
    static final int MAX_IN_FLIGHT = 16;
    /** Most pages passed to the receiver and not yet handled by it. */
    static final int MAX_UNACKED = 8;

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryClient.class);
    private static final long IDLE_POLL_MS = 100;

    private final ZContext context;
    private final String endpoint;
    private final long timeoutMs;
    private final int retries;
    private final CurveClient curve;
    private final SocketEventLog events;
    private final ZMQ.Socket link;
    private final Deque<Task> queue = new ArrayDeque<>();
    private final Long2ObjectHashMap<Task> inFlight = new Long2ObjectHashMap<>();
    private final RecoveryLink header = new RecoveryLink();
    private final RecoveryReader reader = new RecoveryReader();
    private final RecoveryWriter writer = new RecoveryWriter();
    private final AtomicCounter requests;
    private final AtomicCounter timeouts;
    private final AtomicCounter failures;
    private final ErrorHandler errorHandler;
    private final Thread thread;
    private volatile boolean running = true;

    private ZMQ.Socket dealer;
    private ZMQ.Poller poller;
    private long requestId;
    private int unacked;

    /**
     * A client, its end of the link bound; {@link #start()} starts its thread.
     *
     * @param context      the subscriber's context (the link is inproc).
     * @param linkEndpoint the inproc endpoint the receiver connects to.
     * @param endpoint     the recovery service.
     * @param timeoutMs    how long to wait for a reply.
     * @param retries      how many times to ask again after a timeout.
     * @param curve        CURVE client keys, or null.
     * @param events       the event log of the recovery socket, or null.
     * @param counters     where its counters and its thread's errors go.
     */
    public RecoveryClient(
        final ZContext context,
        final String linkEndpoint,
        final String endpoint,
        final long timeoutMs,
        final int retries,
        final CurveClient curve,
        final SocketEventLog events,
        final ProcessCounters counters)
    {
        this.requests = counters.newCounter(CounterTypes.RECOVERY_CLIENT, "recovery client: requests");
        this.timeouts = counters.newCounter(CounterTypes.RECOVERY_CLIENT, "recovery client: timeouts");
        this.failures = counters.newCounter(CounterTypes.RECOVERY_CLIENT, "recovery client: requests given up");
        this.errorHandler = counters.errors().handler(LOG, Level.ERROR, "recovery client error; it goes on",
            counters.newCounter(CounterTypes.ERRORS, "errors: recovery client thread"));
        this.context = context;
        this.endpoint = endpoint;
        this.timeoutMs = timeoutMs;
        this.retries = retries;
        this.curve = curve;
        this.events = events;
        this.link = context.createSocket(SocketType.PAIR);
        link.setLinger(0);
        link.setSndHWM(0);
        link.setRcvHWM(0);
        link.bind(linkEndpoint);
        this.thread = new Thread(this, "feed-recovery-client");
        thread.setDaemon(true);
    }

    /**
     * Starts the thread.
     *
     * @return this.
     */
    public RecoveryClient start()
    {
        thread.start();
        return this;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void run()
    {
        try
        {
            openDealer();
            while (running)
            {
                try
                {
                    doWork();
                }
                catch (final ZMQException ex)
                {
                    if (ex.getErrorCode() == ZMQ.Error.ETERM.getCode())
                    {
                        break;
                    }
                    errorHandler.onError(ex);
                }
                catch (final RuntimeException ex)
                {
                    errorHandler.onError(ex);
                }
            }
        }
        finally
        {
            closeDealer();
            link.close();
        }
    }

    private void doWork()
    {
        while (!queue.isEmpty() && inFlight.size() < MAX_IN_FLIGHT && unacked < MAX_UNACKED)
        {
            send(queue.pollFirst());
        }
        final long nowNs = System.nanoTime();
        long waitMs = IDLE_POLL_MS;
        for (final Task task : inFlight.values())
        {
            waitMs = Math.min(waitMs, Math.max(0, (task.deadlineNs - nowNs) / 1_000_000));
        }
        poller.poll(waitMs);
        byte[] frame;
        while ((frame = link.recv(ZMQ.DONTWAIT)) != null)
        {
            onLinkMessage(frame);
        }
        while ((frame = dealer.recv(ZMQ.DONTWAIT)) != null)
        {
            onReply(frame, rest(dealer));
        }
        if (!inFlight.isEmpty())
        {
            checkTimeouts(System.nanoTime());
        }
    }

    private void onLinkMessage(final byte[] first)
    {
        final List<byte[]> frames = rest(link);
        if (header.wrap(first) == null)
        {
            return;
        }
        final long task = header.task();
        switch (header.type())
        {
            case RecoveryLink.GAP_FILL:
                if (!frames.isEmpty())
                {
                    queue.addLast(Task.gapFill(task, frames.get(0), header.epoch(), header.from(), header.to()));
                }
                break;
            case RecoveryLink.SNAPSHOT:
                queue.addLast(Task.snapshot(task, frames.isEmpty() ? List.of(new byte[0]) : frames));
                break;
            case RecoveryLink.CANCEL:
                cancel(task);
                break;
            case RecoveryLink.ACK:
                unacked = Math.max(0, unacked - 1);
                break;
            default:
                break;
        }
    }

    /**
     * Every task ends with one DONE, a cancelled one too, so the receiver can count what is in flight.
     */
    private void cancel(final long task)
    {
        if (queue.removeIf(t -> t.id == task))
        {
            done(task, RecoveryLink.CANCELLED);
            return;
        }
        for (final Task pending : inFlight.values())
        {
            if (pending.id == task)
            {
                // A reply to it, if one comes, no longer matches an outstanding request.
                inFlight.remove(pending.requestId);
                done(task, RecoveryLink.CANCELLED);
                return;
            }
        }
    }

    private void send(final Task task)
    {
        task.requestId = ++requestId;
        requests.incrementRelease();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.GAP_FILL_REQUEST_LENGTH]);
        final int length;
        final byte[] frame0;
        if (task.kind == Task.GAP_FILL)
        {
            length = writer.gapFillRequest(buffer, 0, task.requestId, task.epoch, task.next, task.to);
            frame0 = task.topic;
        }
        else
        {
            length = writer.snapshotRequest(buffer, 0, task.requestId, task.next);
            frame0 = task.prefixes.get(task.prefix);
        }
        dealer.send(frame0, ZMQ.SNDMORE);
        dealer.send(Arrays.copyOf(buffer.byteArray(), length), 0);
        task.deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        inFlight.put(task.requestId, task);
    }

    private void onReply(final byte[] first, final List<byte[]> frames)
    {
        if (frames.isEmpty())
        {
            return;
        }
        final byte[] response = frames.get(0);
        if (reader.read(new UnsafeBuffer(response), 0, response.length) != RecoveryResponseDecoder.TEMPLATE_ID)
        {
            LOG.warn("recovery service sent a reply that is not a response ({}); ignored", reader.error());
            return;
        }
        final RecoveryResponseDecoder decoder = reader.response();
        final Task task = inFlight.remove(decoder.requestId());
        if (task == null)
        {
            // The late reply to an attempt given up on, or to a cancelled task.
            return;
        }
        final RecoveryStatus status = decoder.status();
        final long next = decoder.nextSequence();
        if (decoder.frameCount() != frames.size() - 1)
        {
            LOG.warn("recovery reply says {} frames and has {}; asking again", decoder.frameCount(), frames.size() - 1);
            queue.addFirst(task);
            return;
        }
        task.attempts = 0;
        switch (status)
        {
            case OK:
            case PARTIAL:
                forward(task, first, frames);
                if (next != 0)
                {
                    continueWith(task, next);
                }
                else if (task.kind == Task.SNAPSHOT && task.prefix + 1 < task.prefixes.size())
                {
                    task.prefix++;
                    continueWith(task, 0);
                }
                else
                {
                    done(task.id, RecoveryLink.ANSWERED);
                }
                break;
            case UNAVAILABLE:
                if (next != 0)
                {
                    continueWith(task, next);
                }
                else
                {
                    done(task.id, RecoveryLink.ANSWERED);
                }
                break;
            default:
                LOG.warn("recovery service refused a request for {}: {}", task, status);
                done(task.id, RecoveryLink.REFUSED);
                break;
        }
    }

    private void forward(final Task task, final byte[] topic, final List<byte[]> frames)
    {
        if (frames.size() <= 1)
        {
            return;
        }
        link.send(RecoveryLink.header(task.kind == Task.GAP_FILL ? RecoveryLink.PAGE : RecoveryLink.ENTRIES,
            task.id, 0, 0, 0), ZMQ.SNDMORE);
        if (task.kind == Task.GAP_FILL)
        {
            link.send(topic, ZMQ.SNDMORE);
        }
        for (int i = 1; i < frames.size(); i++)
        {
            link.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
        unacked++;
    }

    private void continueWith(final Task task, final long next)
    {
        task.next = next;
        // Take turns: the task goes behind the others queued.
        queue.addLast(task);
    }

    private void done(final long task, final long outcome)
    {
        link.send(RecoveryLink.header(RecoveryLink.DONE, task, outcome, 0, 0), 0);
    }

    private void checkTimeouts(final long nowNs)
    {
        Task expired = null;
        for (final Task task : inFlight.values())
        {
            if (nowNs - task.deadlineNs >= 0)
            {
                expired = task;
                break;
            }
        }
        if (expired == null)
        {
            return;
        }
        timeouts.incrementRelease();
        // Lazy Pirate: the socket may be stuck (a lost connection, a stalled connect): replace it, and ask again
        // everything that was outstanding on it.
        closeDealer();
        openDealer();
        final List<Task> outstanding = new ArrayList<>(inFlight.values());
        inFlight.clear();
        outstanding.sort((a, b) -> Long.compare(a.requestId, b.requestId));
        expired.attempts++;
        if (expired.attempts > retries)
        {
            failures.incrementRelease();
            LOG.warn("recovery service {} did not answer {} attempt(s) of {} ms for {}; giving up on it and on {} " +
                "other request(s)", endpoint, retries + 1, timeoutMs, expired, outstanding.size() - 1 + queue.size());
            for (final Task task : outstanding)
            {
                done(task.id, RecoveryLink.NO_ANSWER);
            }
            while (!queue.isEmpty())
            {
                done(queue.pollFirst().id, RecoveryLink.NO_ANSWER);
            }
            return;
        }
        for (final Task task : outstanding)
        {
            send(task);
        }
    }

    private void openDealer()
    {
        dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        if (curve != null)
        {
            curve.configure(dealer);
        }
        if (events != null)
        {
            events.curve(curve != null);
            dealer.setEventHook(events, SocketEventLog.EVENTS);
        }
        dealer.connect(endpoint);
        poller = context.createPoller(2);
        poller.register(link, ZMQ.Poller.POLLIN);
        poller.register(dealer, ZMQ.Poller.POLLIN);
    }

    private void closeDealer()
    {
        if (poller != null)
        {
            poller.close();
            poller = null;
        }
        if (dealer != null)
        {
            dealer.close();
            dealer = null;
        }
    }

    private static List<byte[]> rest(final ZMQ.Socket socket)
    {
        final List<byte[]> frames = new ArrayList<>();
        while (socket.hasReceiveMore())
        {
            frames.add(socket.recv(0));
        }
        return frames;
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
     * Requests sent, retries included. Safe from any thread.
     *
     * @return the count.
     */
    public long requests()
    {
        return requests.get();
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
     * Tasks given up after every retry. Safe from any thread.
     *
     * @return the count.
     */
    public long failures()
    {
        return failures.get();
    }

    /**
     * Stops the thread (it closes its sockets). Idempotent.
     */
    @Override
    public void close()
    {
        running = false;
        if (thread.isAlive() && Thread.currentThread() != thread)
        {
            try
            {
                thread.join(2_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        else if (!thread.isAlive() && thread.getState() == Thread.State.NEW)
        {
            link.close();
        }
    }

    /**
     * One task of the receiver's.
     */
    private static final class Task
    {
        static final int GAP_FILL = 1;
        static final int SNAPSHOT = 2;

        final long id;
        final int kind;
        final byte[] topic;
        final long epoch;
        final long to;
        final List<byte[]> prefixes;
        long next;
        int prefix;
        int attempts;
        long requestId;
        long deadlineNs;

        private Task(final long id, final int kind, final byte[] topic, final long epoch, final long from,
            final long to, final List<byte[]> prefixes)
        {
            this.id = id;
            this.kind = kind;
            this.topic = topic;
            this.epoch = epoch;
            this.next = from;
            this.to = to;
            this.prefixes = prefixes;
        }

        static Task gapFill(final long id, final byte[] topic, final long epoch, final long from, final long to)
        {
            return new Task(id, GAP_FILL, topic, epoch, from, to, List.of());
        }

        static Task snapshot(final long id, final List<byte[]> prefixes)
        {
            return new Task(id, SNAPSHOT, null, 0, 0, 0, prefixes);
        }

        @Override
        public String toString()
        {
            return kind == GAP_FILL ?
                "gap fill of " + new String(topic, StandardCharsets.US_ASCII) + " from " + next +
                    (to == WireFormat.SEQUENCE_TO_END ? " to the end of session " + epoch : " to " + to) :
                "snapshot";
        }
    }
}
