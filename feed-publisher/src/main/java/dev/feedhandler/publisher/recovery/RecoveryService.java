package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.publisher.transport.EndpointException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.Msg;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The recovery service: a ROUTER socket next to the feed that answers gap fills (the batches of a topic's sequence
 * range, from the in-memory window or the journal) and snapshots (the last quote and sequence number of every topic
 * matching a prefix: the Last Value Cache of the ZeroMQ guide), page by page with bounded replies.
 * <p>
 * It runs on a thread of its own (an Agrona {@link AgentRunner} that waits in the socket for requests, up to
 * 5 ms at a time, so a request wakes it at once and an idle service does not spin), off the
 * price path: the publisher's thread hands it every frame through a {@link RecoveryHandoff}, and the service
 * drains that ring into its window and cache, completely before it answers a request, so it knows everything a
 * subscriber may have seen. Nothing a client sends can stop it: malformed, oversized, unknown and wrongly enveloped
 * requests are answered with an error status and counted; replies are sent without waiting (a client whose queue
 * is full loses the reply and retries), so one slow client never holds up the others.
 * <p>
 * This class is the ROUTER I/O, the thread and the linger on close: the {@link LastValueCache} takes the frames
 * drained, the {@link RecoveryResponder} turns each request into its reply without touching the socket, and
 * {@link RecoveryCounters} counts for both.
 */
public final class RecoveryService implements Agent, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryService.class);

    /**
     * ROUTER send high-water mark per client, in replies: above the requests a subscriber pipelines (16), and small
     * enough that a client that never reads pins little memory.
     */
    static final int SEND_HWM = 32;
    /** Largest message a client may send; ZeroMQ drops the connection of one that sends more. */
    static final long MAX_MESSAGE_BYTES = 64 * 1024;

    private static final int DRAIN_LIMIT = 4096;
    /** How long the thread waits for a request when it has nothing else to do: the hand-off's longest lag. */
    private static final int REQUEST_WAIT_MS = 5;
    private static final int REQUESTS_PER_CYCLE = 16;
    private static final int MAX_PARTS = 4;

    private final RecoveryConfiguration configuration;
    private final RecoveryHandoff handoff;
    private final ZContext context;
    private final boolean ownsContext;
    private final ZMQ.Socket socket;
    private final String endpoint;
    private final RecoveryWindow window;
    private final RecoveryArchives archives;
    private final LastValueCache cache;
    private final RecoveryResponder responder;
    private final Msg[] parts = new Msg[MAX_PARTS];
    private final RecoveryCounters counters = new RecoveryCounters();
    private volatile long lastRequestNs = Long.MIN_VALUE;
    private volatile AgentRunner runner;
    private boolean closed;
    private volatile boolean lingerEnded;

    /**
     * Binds the ROUTER socket (prepared by {@code setup}: CURVE, event log) and opens the journal if there is one.
     * Nothing is served until {@link #start()}; a service never started is closed at once by {@link #close()}.
     *
     * @param configuration settings.
     * @param endpoint      where to bind.
     * @param sharedContext a context to share (the publisher's, for CURVE's ZAP handler), or null to own one.
     * @param setup         applied to the socket before it binds.
     * @param handoff       where the publisher hands the service every frame sent.
     * @param sessionEpoch  the current session.
     * @throws EndpointException if the endpoint cannot be bound; nothing stays open.
     */
    public RecoveryService(
        final RecoveryConfiguration configuration,
        final String endpoint,
        final ZContext sharedContext,
        final SocketSetup setup,
        final RecoveryHandoff handoff,
        final long sessionEpoch)
    {
        this.configuration = configuration;
        this.handoff = handoff;
        this.window = new RecoveryWindow(configuration.windowBytes());
        this.cache = new LastValueCache(window, counters);
        this.ownsContext = sharedContext == null;
        this.context = ownsContext ? new ZContext(1) : sharedContext;
        this.socket = context.createSocket(SocketType.ROUTER);
        RecoveryArchives opened = null;
        try
        {
            socket.setLinger(0);
            socket.setRouterMandatory(true);
            socket.setSndHWM(SEND_HWM);
            socket.setMaxMsgSize(MAX_MESSAGE_BYTES);
            socket.setReceiveTimeOut(REQUEST_WAIT_MS);
            setup.apply(context, socket);
            try
            {
                socket.bind(endpoint);
            }
            catch (final ZMQException ex)
            {
                throw new EndpointException(endpoint, ex.getErrorCode() == ZMQ.Error.EADDRINUSE.getCode() ?
                    "address already in use" : ZMQ.Error.findByCode(ex.getErrorCode()).getMessage());
            }
            catch (final IllegalArgumentException ex)
            {
                throw new EndpointException(endpoint, "malformed endpoint (expected tcp://host:port)");
            }
            final String bound = socket.getLastEndpoint();
            this.endpoint = bound == null ? endpoint : bound;
            opened = RecoveryArchives.open(configuration.journal(), configuration.remoteJournal());
            this.archives = opened;
            this.responder = new RecoveryResponder(configuration, sessionEpoch, window, archives, cache, counters);
        }
        catch (final RuntimeException ex)
        {
            if (opened != null)
            {
                opened.close();
            }
            closeSocket();
            throw ex;
        }
        LOG.info("recovery service on {} (window {} MiB, {})", this.endpoint, window.capacity() >> 20,
            archives.description());
    }

    /**
     * Starts the service's thread.
     *
     * @return this.
     */
    public RecoveryService start()
    {
        if (runner == null)
        {
            // The thread waits in the socket for requests (a request wakes it at once), so no idle strategy on top.
            runner = new AgentRunner(new NoOpIdleStrategy(), this::onError, null, this);
            AgentRunner.startOnThread(runner, runnable ->
            {
                final Thread thread = new Thread(runnable, "feed-recovery");
                thread.setDaemon(true);
                return thread;
            });
        }
        return this;
    }

    /**
     * Whether the service's thread runs: started, not closed, and alive (health probes). Safe from any thread.
     *
     * @return true while the thread runs.
     */
    public boolean isRunning()
    {
        final AgentRunner current = runner;
        final Thread thread = current == null ? null : current.thread();
        return current != null && !current.isClosed() && thread != null && thread != AgentRunner.TOMBSTONE &&
            thread.isAlive();
    }

    private void onError(final Throwable ex)
    {
        LOG.error("recovery service error; it goes on", ex);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String roleName()
    {
        return "feed-recovery";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int doWork()
    {
        final int drained = handoff.read(cache, DRAIN_LIMIT);
        return drained + serveRequests(drained < DRAIN_LIMIT);
    }

    private void drainAll()
    {
        // Every frame handed over before the request arrived is in the window and the cache after this.
        handoff.readAll(cache);
    }

    /**
     * Serves the requests that are there, waiting a little for the first one if asked to.
     */
    private int serveRequests(final boolean wait)
    {
        int served = 0;
        Msg identity;
        while (served < REQUESTS_PER_CYCLE &&
            (identity = socket.recvMsg(served == 0 && wait ? 0 : ZMQ.DONTWAIT)) != null)
        {
            // Before each request: the client may have seen frames handed over while the previous one was served.
            drainAll();
            served++;
            lastRequestNs = System.nanoTime();
            int count = 0;
            Msg part = identity;
            while (part != null && part.hasMore())
            {
                part = socket.recvMsg(0);
                if (part != null && count < MAX_PARTS)
                {
                    parts[count] = part;
                }
                count++;
            }
            try
            {
                handle(identity.data(), count);
            }
            catch (final RuntimeException ex)
            {
                // A request must never stop the service: count it as malformed and go on.
                counters.increment(RecoveryCounters.MALFORMED);
                LOG.warn("recovery request failed; the service goes on", ex);
            }
            finally
            {
                Arrays.fill(parts, null);
            }
        }
        return served;
    }

    private void handle(final byte[] identity, final int count)
    {
        // A DEALER sends [topic][request]; a REQ socket puts an empty delimiter in front, echoed in the reply.
        final boolean delimiter = count >= 3 && parts[0].size() == 0;
        final int first = delimiter ? 1 : 0;
        final RecoveryReply reply = count - first == 2 ?
            responder.respond(parts[first].data(), parts[first + 1].data()) : responder.malformedEnvelope();
        send(identity, delimiter, reply);
    }

    private void send(final byte[] identity, final boolean delimiter, final RecoveryReply reply)
    {
        final List<byte[]> frames = reply.frames;
        try
        {
            // With ROUTER_MANDATORY the identity frame fails at once if the client is gone or its queue is full;
            // once it is accepted, the whole reply is.
            if (!socket.send(identity, ZMQ.SNDMORE | ZMQ.DONTWAIT))
            {
                counters.increment(RecoveryCounters.REPLIES_DROPPED);
                return;
            }
        }
        catch (final ZMQException ex)
        {
            counters.increment(RecoveryCounters.REPLIES_DROPPED);
            return;
        }
        if (delimiter)
        {
            socket.send(new byte[0], ZMQ.SNDMORE | ZMQ.DONTWAIT);
        }
        socket.send(reply.topic, ZMQ.SNDMORE | ZMQ.DONTWAIT);
        socket.send(reply.response, frames.isEmpty() ? ZMQ.DONTWAIT : ZMQ.SNDMORE | ZMQ.DONTWAIT);
        for (int i = 0; i < frames.size(); i++)
        {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
        }
        counters.increment(RecoveryCounters.REPLIES);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onClose()
    {
        closeSocket();
    }

    private void closeSocket()
    {
        socket.close();
        if (ownsContext)
        {
            context.close();
        }
    }

    /**
     * The endpoint bound, with a wildcard port resolved.
     *
     * @return the endpoint.
     */
    public String endpoint()
    {
        return endpoint;
    }

    /**
     * Frames sent that the hand-off ring had no room for.
     *
     * @return the count.
     */
    public long notWindowed()
    {
        return handoff.notWindowed();
    }

    /**
     * The {@code recovery} object of the publisher's summary: the endpoint, requests by kind, replies, errors by
     * kind, what was served from where, and the hand-off's losses. Safe from any thread.
     *
     * @return an ordered map for the JSON writer.
     */
    public Map<String, Object> summary()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("endpoint", endpoint);
        map.put("gapFillRequests", counters.get(RecoveryCounters.GAP_FILLS));
        map.put("snapshotRequests", counters.get(RecoveryCounters.SNAPSHOTS));
        map.put("replies", counters.get(RecoveryCounters.REPLIES));
        map.put("repliesDropped", counters.get(RecoveryCounters.REPLIES_DROPPED));
        map.put("partial", counters.get(RecoveryCounters.PARTIAL));
        map.put("unavailable", counters.get(RecoveryCounters.UNAVAILABLE));
        final Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("malformed", counters.get(RecoveryCounters.MALFORMED));
        errors.put("unknownRequest", counters.get(RecoveryCounters.UNKNOWN_REQUEST));
        errors.put("tooLarge", counters.get(RecoveryCounters.TOO_LARGE));
        errors.put("wrongEpoch", counters.get(RecoveryCounters.WRONG_EPOCH));
        map.put("errors", errors);
        map.put("batchesFromWindow", counters.get(RecoveryCounters.BATCHES_FROM_WINDOW));
        map.put("batchesFromJournal", archives.fromJournal());
        map.put("batchesFromKafka", archives.fromRemote());
        map.put("updatesServed", counters.get(RecoveryCounters.UPDATES_SERVED));
        map.put("snapshotEntries", counters.get(RecoveryCounters.SNAPSHOT_ENTRIES));
        map.put("framesHandedOver", counters.get(RecoveryCounters.FRAMES_DRAINED));
        map.put("notWindowed", handoff.notWindowed());
        map.put("windowBytes", window.capacity());
        return map;
    }

    /**
     * Errors answered so far, all kinds (malformed, unknown request, too large, wrong epoch). Safe from any thread.
     *
     * @return the count.
     */
    public long errors()
    {
        return counters.errors();
    }

    /**
     * Replies sent so far. Safe from any thread.
     *
     * @return the count.
     */
    public long replies()
    {
        return counters.get(RecoveryCounters.REPLIES);
    }

    /**
     * Ends the linger of {@link #close()} now (a stop asked for while it lingers). Safe from any thread.
     */
    public void endLinger()
    {
        lingerEnded = true;
    }

    /**
     * Keeps answering until no request has come for the linger (counted from this call or the last request,
     * whichever is later) or {@link #endLinger()}, then stops the thread and closes the socket and the journal.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (runner == null)
        {
            closeSocket();
        }
        else
        {
            final long lingerNs = configuration.linger().toNanos();
            final long startNs = System.nanoTime();
            while (!runner.isClosed())
            {
                final long lastNs = lastRequestNs;
                final long idleSinceNs = lastNs == Long.MIN_VALUE || lastNs - startNs < 0 ? startNs : lastNs;
                final long leftNs = idleSinceNs + lingerNs - System.nanoTime();
                if (leftNs <= 0 || lingerEnded)
                {
                    break;
                }
                try
                {
                    Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(leftNs), 10)));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            runner.close(5_000, thread -> LOG.warn("recovery thread {} did not stop; interrupting it", thread));
        }
        archives.close();
    }

}
