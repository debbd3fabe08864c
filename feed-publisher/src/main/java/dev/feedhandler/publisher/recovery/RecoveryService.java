package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.journal.ArchiveUnavailableException;
import dev.feedhandler.publisher.transport.EndpointException;
import dev.feedhandler.publisher.transport.IoThreadPolicy;
import dev.feedhandler.publisher.transport.ZmqThreadErrors;
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
import java.util.function.IntSupplier;

/**
 * The recovery service: a ROUTER socket next to the feed that answers gap fills (the batches of a topic's sequence
 * range, from the in-memory window or the journal), snapshots (the last quote and sequence number of every topic
 * matching a prefix: the Last Value Cache of the ZeroMQ guide) and catch-up streams (a topic's batches page after
 * page as the client's credit allows, following the topic until the client merges into the live feed). This class is
 * the socket and the thread; what is answered is the {@link RecoveryResponder}'s, what is known the
 * {@link RecoveryStore}'s.
 * <p>
 * It runs on a thread of its own (an Agrona {@link AgentRunner} that waits in a poller for requests, so a request
 * wakes it at once and an idle service does not spin: {@link ServiceWait} says how long), off the price path:
 * the publisher's thread hands it every frame through a {@link RecoveryHandoff}, and the service drains that ring
 * into its window and cache, completely before it answers a request, so it knows everything a subscriber may have
 * seen. Nothing a client sends can stop it: malformed, oversized, unknown and wrongly enveloped
 * requests are answered with an error status and counted; replies are sent without waiting (a client whose queue
 * is full loses the reply and retries; a stream's page waits for room), so one slow client never holds up the others.
 */
public final class RecoveryService implements Agent, ReplySink, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryService.class);

    /**
     * ROUTER send high-water mark per client, in replies: above the requests a subscriber pipelines (16) and the
     * pages its streams may have in flight, and small enough that a client that never reads pins little memory.
     */
    static final int SEND_HWM = 32;
    /** Largest message a client may send; ZeroMQ drops the connection of one that sends more. */
    static final long MAX_MESSAGE_BYTES = 64 * 1024;

    private static final int DRAIN_LIMIT = 4096;
    private static final int REQUESTS_PER_CYCLE = 16;
    private static final int PAGES_PER_CYCLE = 16;
    private static final int MAX_PARTS = 4;
    private static final byte[] EMPTY = new byte[0];

    private final RecoveryConfiguration configuration;
    private final RecoveryHandoff handoff;
    private final ZContext context;
    private final boolean ownsContext;
    private final ZMQ.Socket socket;
    private final String endpoint;
    private final RecoveryCounters counters = new RecoveryCounters();
    private final RecoveryStore store;
    private final RecoveryResponder responder;
    private final Msg[] parts = new Msg[MAX_PARTS];
    private final ServiceWait waits;
    private final ServiceLinger linger;
    private volatile long lastRequestNs = Long.MIN_VALUE;
    private volatile boolean sessionOver;
    private boolean sessionEnded;
    private boolean streaming;
    private volatile AgentRunner runner;
    private boolean closed;
    private volatile boolean stopping;

    /**
     * Binds the ROUTER socket (prepared by {@code setup}: CURVE, event log) and opens the journal if there is one.
     * Nothing is served until {@link #start()}; a service never started is closed at once by {@link #close()}.
     *
     * @param configuration settings.
     * @param endpoint      where to bind.
     * @param sharedContext a context to share (the publisher's, for CURVE's ZAP handler), or null to own one.
     * @param ioThreadPolicy scheduling policy of the I/O thread of a context of its own.
     * @param setup         applied to the socket before it binds.
     * @param handoff       where the publisher hands the service every frame sent.
     * @param sessionEpoch  the current session.
     * @throws EndpointException if the endpoint cannot be bound; nothing stays open.
     */
    public RecoveryService(
        final RecoveryConfiguration configuration,
        final String endpoint,
        final ZContext sharedContext,
        final IoThreadPolicy ioThreadPolicy,
        final SocketSetup setup,
        final RecoveryHandoff handoff,
        final long sessionEpoch)
    {
        this.configuration = configuration;
        this.linger = new ServiceLinger(configuration.linger(), configuration.lingerMax());
        this.handoff = handoff;
        this.ownsContext = sharedContext == null;
        this.context = ownsContext ? ioThreadPolicy.install(ZmqThreadErrors.install(new ZContext(1))) : sharedContext;
        this.socket = context.createSocket(SocketType.ROUTER);
        RecoveryArchives opened = null;
        ServiceWait waiting = null;
        try
        {
            socket.setLinger(0);
            socket.setRouterMandatory(true);
            socket.setSndHWM(SEND_HWM);
            socket.setMaxMsgSize(MAX_MESSAGE_BYTES);
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
            waiting = new ServiceWait(socket, handoff);
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
        this.waits = waiting;
        this.store = new RecoveryStore(sessionEpoch, configuration.windowBytes(), opened, counters);
        store.missedFrames(handoff::notWindowed);
        this.responder = new RecoveryResponder(configuration, store, counters);
        LOG.info("recovery service on {} (window {} MiB, {})", this.endpoint, store.window().capacity() >> 20,
            opened.description());
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
            // The thread waits in its poller for requests (a request wakes it at once), so no idle strategy on top.
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
        final int drained = handoff.read(store, DRAIN_LIMIT) + handoff.readLateEnds(store);
        store.noteJournalClean(System.nanoTime());
        if (sessionOver && !sessionEnded && drained < DRAIN_LIMIT)
        {
            sessionEnded = true;
            store.endSession();
            if (store.tailsFromJournal() > 0)
            {
                LOG.info("recovery service: the hand-off missed {} frames, so where every topic ended was read from " +
                    "the journal ({} frames)", handoff.notWindowed(), store.tailsFromJournal());
            }
        }
        waits.await(drained >= DRAIN_LIMIT, streaming,
            drained > 0 || responder.streams() > 0 || stopping || (sessionOver && !sessionEnded));
        final int served = serveRequests();
        final int pages = responder.pollStreams(System.nanoTime(), this, PAGES_PER_CYCLE);
        // Streams with pages to send keep the thread from waiting in the poller; a stream that waits for new updates
        // does not (the wait is what brings them).
        streaming = pages > 0;
        return drained + served + pages;
    }

    /**
     * Serves the requests that are there.
     */
    private int serveRequests()
    {
        int served = 0;
        Msg identity;
        while (served < REQUESTS_PER_CYCLE && (identity = socket.recvMsg(ZMQ.DONTWAIT)) != null)
        {
            // Before each request: the client may have seen frames handed over while the previous one was served.
            handoff.readAll(store);
            handoff.readLateEnds(store);
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
                onEnvelope(identity.data(), count);
            }
            catch (final ArchiveUnavailableException ex)
            {
                // Kafka did not answer in time: no reply (the client asks again), never "unavailable" for that.
                counters.increment(RecoveryCounters.ARCHIVE_UNAVAILABLE);
                LOG.warn("recovery request left unanswered, the client will ask again: {}", ex.getMessage());
            }
            catch (final RuntimeException ex)
            {
                // A request must never stop the service: count it as malformed and go on.
                responder.onFailure();
                LOG.warn("recovery request failed; the service goes on", ex);
            }
            finally
            {
                Arrays.fill(parts, null);
            }
        }
        return served;
    }

    /**
     * A DEALER sends [topic][request]; a REQ socket puts an empty delimiter in front, echoed in the reply.
     */
    private void onEnvelope(final byte[] identity, final int count)
    {
        final boolean delimiter = count >= 3 && parts[0].size() == 0;
        final int first = delimiter ? 1 : 0;
        final Peer client = new Peer(identity, delimiter);
        final RecoveryReply reply = count - first == 2 ?
            responder.respond(client, parts[first].data(), parts[first + 1].data(), lastRequestNs) :
            responder.malformedEnvelope();
        if (reply != null)
        {
            send(client, reply);
        }
    }

    /**
     * Sends a reply without waiting, and counts it sent or dropped (the client was gone or its queue full: it asks
     * again).
     */
    private void send(final Peer client, final RecoveryReply reply)
    {
        if (reply(client, reply.topic, reply.response, reply.frames) == SENT)
        {
            counters.increment(RecoveryCounters.REPLIES);
        }
        else
        {
            counters.increment(RecoveryCounters.REPLIES_DROPPED);
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * A catch-up stream's pages and notices come this way, the replies of requests through {@link #send}. With
     * ROUTER_MANDATORY the identity frame fails at once if the client is gone (an exception) or its queue is
     * full (false); once it is accepted, the whole reply is.
     */
    @Override
    public int reply(final Peer client, final byte[] topic, final byte[] response, final List<byte[]> frames)
    {
        try
        {
            if (!socket.send(client.identity(), ZMQ.SNDMORE | ZMQ.DONTWAIT))
            {
                return FULL;
            }
        }
        catch (final ZMQException ex)
        {
            return GONE;
        }
        if (client.delimiter())
        {
            socket.send(EMPTY, ZMQ.SNDMORE | ZMQ.DONTWAIT);
        }
        socket.send(topic, ZMQ.SNDMORE | ZMQ.DONTWAIT);
        socket.send(response, frames.isEmpty() ? ZMQ.DONTWAIT : ZMQ.SNDMORE | ZMQ.DONTWAIT);
        for (int i = 0; i < frames.size(); i++)
        {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
        }
        return SENT;
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
        if (waits != null)
        {
            waits.close();
        }
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
     * Frames of the session's end that went beside the hand-off ring, which stayed full for the end's whole wait.
     *
     * @return the count.
     */
    public long endsLate()
    {
        return handoff.endsLate();
    }

    /**
     * The {@code recovery} object of the publisher's summary: the endpoint, requests by kind, replies, errors by
     * kind, what was served from where, catch-up streams, the hand-off's losses and its session's end that went beside
     * the ring. Safe from any thread.
     *
     * @return an ordered map for the JSON writer.
     */
    public Map<String, Object> summary()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("endpoint", endpoint);
        counters.summary(map, store.archives());
        map.put("notWindowed", handoff.notWindowed());
        map.put("endsLate", handoff.endsLate());
        map.put("tailsFromJournal", store.tailsFromJournal());
        map.put("windowBytes", store.window().capacity());
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
     * Replies sent so far (a stream's pages included). Safe from any thread.
     *
     * @return the count.
     */
    public long replies()
    {
        return counters.get(RecoveryCounters.REPLIES);
    }

    /**
     * Tells the linger of {@link #close()} how many subscribers are connected to the service, so that it goes on
     * answering while some are (up to {@code lingerMax}); without it, only the requests count. Safe from any thread.
     *
     * @param connected connections open now, read from any thread (the socket's event log).
     */
    public void connectedClients(final IntSupplier connected)
    {
        linger.clients(connected);
    }

    /**
     * A stop was asked for (SIGTERM): the linger of {@link #close()} no longer waits for connected subscribers, only
     * for requests, or not at all. Safe from any thread.
     *
     * @param now whether to end the linger now (before the session ran, or while it lingers).
     */
    public void stopRequested(final boolean now)
    {
        linger.stopRequested();
        if (now)
        {
            linger.end();
        }
    }

    /**
     * Keeps answering until no request has come for the linger (counted from this call or the last request,
     * whichever is later) and, when known, no subscriber is connected any more (at most the longest linger:
     * {@link ServiceLinger}), or a stop ends it ({@link #stopRequested}); then stops the thread and closes the socket
     * and the journal. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        // The publisher closes its journal (writing all of it) before this: the session is over and complete.
        sessionOver = true;
        if (runner == null)
        {
            closeSocket();
        }
        else
        {
            // Wake the thread out of a long wait: it ends the session now, and stops as soon as asked.
            waits.wake();
            linger.await(() -> lastRequestNs, runner::isClosed, endpoint);
            stopping = true;
            waits.wake();
            runner.close(5_000, thread -> LOG.warn("recovery thread {} did not stop; interrupting it", thread));
        }
        store.archives().close();
    }
}
