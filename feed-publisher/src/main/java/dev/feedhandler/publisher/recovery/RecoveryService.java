package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.GapFillRequestDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.codec.SnapshotRequestDecoder;
import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.transport.EndpointException;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.Msg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
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
    private final long sessionEpoch;
    private final RecoveryHandoff handoff;
    private final ZContext context;
    private final boolean ownsContext;
    private final ZMQ.Socket socket;
    private final String endpoint;
    private final RecoveryWindow window;
    private final RecoveryArchives archives;
    private final LastValueCache cache;
    private final UnsafeBuffer requestBuffer = new UnsafeBuffer(0, 0);
    private final RecoveryReader reader = new RecoveryReader();
    private final RecoveryWriter writer = new RecoveryWriter();
    private final LongArrayList positions = new LongArrayList();
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
        this.sessionEpoch = sessionEpoch;
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
        if (count - first != 2)
        {
            error(identity, delimiter, null, 0, RecoveryStatus.MALFORMED);
            return;
        }
        final byte[] topic = parts[first].data();
        final Msg request = parts[first + 1];
        if (topic.length > WireFormat.MAX_TOPIC_LENGTH)
        {
            error(identity, delimiter, null, 0, RecoveryStatus.MALFORMED);
            return;
        }
        if (request.size() > WireFormat.MAX_RECOVERY_REQUEST_LENGTH)
        {
            error(identity, delimiter, topic, 0, RecoveryStatus.TOO_LARGE);
            return;
        }
        final byte[] requestBytes = request.data();
        requestBuffer.wrap(requestBytes);
        final int templateId = reader.read(requestBuffer, 0, requestBytes.length);
        switch (templateId)
        {
            case GapFillRequestDecoder.TEMPLATE_ID:
                serveGapFill(identity, delimiter, topic);
                break;
            case SnapshotRequestDecoder.TEMPLATE_ID:
                serveSnapshot(identity, delimiter, topic);
                break;
            case RecoveryReader.INVALID:
                final DecodeError error = reader.error();
                error(identity, delimiter, topic, 0,
                    error == DecodeError.UNKNOWN_TEMPLATE || error == DecodeError.UNEXPECTED_MESSAGE ?
                    RecoveryStatus.UNKNOWN_REQUEST : RecoveryStatus.MALFORMED);
                break;
            default:
                error(identity, delimiter, topic, 0, RecoveryStatus.UNKNOWN_REQUEST);
                break;
        }
    }

    private void serveGapFill(final byte[] identity, final boolean delimiter, final byte[] topic)
    {
        counters.increment(RecoveryCounters.GAP_FILLS);
        final GapFillRequestDecoder request = reader.gapFillRequest();
        final long requestId = request.requestId();
        final long epoch = request.sessionEpoch();
        final long from = request.fromSequence();
        final long to = request.toSequence();
        if (from < 1 || to < from || !WireFormat.isValidSymbol(new String(topic, StandardCharsets.US_ASCII)))
        {
            error(identity, delimiter, topic, requestId, RecoveryStatus.MALFORMED);
            return;
        }
        final ReplyPage page = new ReplyPage(from, configuration.maxReplyUpdates(), configuration.maxReplyBytes());
        if (epoch == sessionEpoch)
        {
            final TopicSlot slot = cache.find(topic);
            final long end = Math.min(to, slot == null ? 0 : slot.lastSequence);
            if (end < from)
            {
                // Nothing of the range has been published: the reply covers nothing, and says so.
                send(identity, delimiter, topic, requestId, RecoveryStatus.OK, epoch, from, from - 1, 0, page);
                return;
            }
            fillCurrent(topic, slot, from, end, page);
            finish(identity, delimiter, topic, requestId, epoch, end, false, page);
        }
        else
        {
            if (!archives.fill(topic, epoch, from, to, page, false))
            {
                error(identity, delimiter, topic, requestId, RecoveryStatus.WRONG_EPOCH);
                return;
            }
            finish(identity, delimiter, topic, requestId, epoch, to, to == WireFormat.SEQUENCE_TO_END, page);
        }
    }

    private void fillCurrent(final byte[] topic, final TopicSlot slot, final long from, final long end,
        final ReplyPage page)
    {
        long windowFirst = Long.MAX_VALUE;
        if (slot != null)
        {
            // Each record carries at least one update: a reply never takes more records than its update limit.
            window.collect(slot, from, end, configuration.maxReplyUpdates(), positions);
            if (!positions.isEmpty())
            {
                windowFirst = window.firstSequence(positions.getLong(0));
            }
        }
        if (windowFirst > from)
        {
            archives.fill(topic, sessionEpoch, from, Math.min(end, windowFirst - 1), page, true);
            if (page.full || page.holeAt != 0)
            {
                return;
            }
            if (page.coveredTo < windowFirst - 1)
            {
                page.holeAt = windowFirst == Long.MAX_VALUE ? 0 : windowFirst;
                return;
            }
        }
        final int before = page.frames.size();
        for (int i = 0; i < positions.size(); i++)
        {
            final long position = positions.getLong(i);
            final int result = page.offer(window.buffer(), window.payloadOffset(position), window.length(position),
                window.firstSequence(position), window.count(position));
            if (result == ReplyPage.FULL || result == ReplyPage.HOLE)
            {
                break;
            }
        }
        counters.add(RecoveryCounters.BATCHES_FROM_WINDOW, page.frames.size() - before);
    }

    private void finish(final byte[] identity, final boolean delimiter, final byte[] topic, final long requestId,
        final long epoch, final long end, final boolean openEnded, final ReplyPage page)
    {
        final long from = page.from;
        if (page.isEmpty())
        {
            if (page.holeAt > from && page.holeAt <= end)
            {
                counters.increment(RecoveryCounters.UNAVAILABLE);
                send(identity, delimiter, topic, requestId, RecoveryStatus.UNAVAILABLE, epoch, from, page.holeAt - 1,
                    page.holeAt, page);
            }
            else if (openEnded)
            {
                send(identity, delimiter, topic, requestId, RecoveryStatus.OK, epoch, from, from - 1, 0, page);
            }
            else
            {
                counters.increment(RecoveryCounters.UNAVAILABLE);
                send(identity, delimiter, topic, requestId, RecoveryStatus.UNAVAILABLE, epoch, from, end, 0, page);
            }
            return;
        }
        counters.add(RecoveryCounters.UPDATES_SERVED, page.updates);
        if (page.coveredTo >= end || (openEnded && !page.full && page.holeAt == 0))
        {
            send(identity, delimiter, topic, requestId, RecoveryStatus.OK, epoch, from,
                openEnded ? page.coveredTo : end, 0, page);
        }
        else
        {
            counters.increment(RecoveryCounters.PARTIAL);
            send(identity, delimiter, topic, requestId, RecoveryStatus.PARTIAL, epoch, from, page.coveredTo,
                page.coveredTo + 1, page);
        }
    }

    private void serveSnapshot(final byte[] identity, final boolean delimiter, final byte[] prefix)
    {
        counters.increment(RecoveryCounters.SNAPSHOTS);
        final long requestId = reader.snapshotRequest().requestId();
        final long cursor = reader.snapshotRequest().cursor();
        if (cursor < 0 || cursor > Integer.MAX_VALUE)
        {
            error(identity, delimiter, prefix, requestId, RecoveryStatus.MALFORMED);
            return;
        }
        final List<byte[]> frames = new ArrayList<>();
        int entries = 0;
        int bytes = 0;
        int id = (int)cursor;
        for (; id < cache.size(); id++)
        {
            final TopicSlot slot = cache.slotAt(id);
            if (!startsWith(slot.topic, prefix))
            {
                continue;
            }
            final int length =
                WireFormat.SNAPSHOT_ENTRY_LENGTH + (slot.quoteSequence > 0 ? WireFormat.QUOTE_LENGTH : 0);
            if (entries > 0 && (entries >= configuration.maxReplyUpdates() ||
                bytes + length > configuration.maxReplyBytes()))
            {
                break;
            }
            final byte[] entry = new byte[length];
            writer.snapshotEntry(new UnsafeBuffer(entry), 0, sessionEpoch, slot.lastSequence, slot.quoteSequence,
                slot.quoteSequence > 0 ? slot.quote : null, 0);
            frames.add(slot.topic);
            frames.add(entry);
            entries++;
            bytes += length + slot.topic.length;
        }
        counters.add(RecoveryCounters.SNAPSHOT_ENTRIES, entries);
        final boolean more = id < cache.size();
        if (more)
        {
            counters.increment(RecoveryCounters.PARTIAL);
        }
        reply(identity, delimiter, prefix, requestId, more ? RecoveryStatus.PARTIAL : RecoveryStatus.OK,
            sessionEpoch, 0, 0, more ? id : 0, frames);
    }

    private static boolean startsWith(final byte[] topic, final byte[] prefix)
    {
        if (prefix.length > topic.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (topic[i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private void error(final byte[] identity, final boolean delimiter, final byte[] topic, final long requestId,
        final RecoveryStatus status)
    {
        switch (status)
        {
            case TOO_LARGE:
                counters.increment(RecoveryCounters.TOO_LARGE);
                break;
            case UNKNOWN_REQUEST:
                counters.increment(RecoveryCounters.UNKNOWN_REQUEST);
                break;
            case WRONG_EPOCH:
                counters.increment(RecoveryCounters.WRONG_EPOCH);
                break;
            default:
                counters.increment(RecoveryCounters.MALFORMED);
                break;
        }
        reply(identity, delimiter, topic == null ? new byte[0] : topic, requestId, status, sessionEpoch, 0, 0, 0,
            List.of());
    }

    private void send(final byte[] identity, final boolean delimiter, final byte[] topic, final long requestId,
        final RecoveryStatus status, final long epoch, final long from, final long to, final long next,
        final ReplyPage page)
    {
        reply(identity, delimiter, topic, requestId, status, epoch, from, to, next, page.frames);
    }

    private void reply(final byte[] identity, final boolean delimiter, final byte[] topic, final long requestId,
        final RecoveryStatus status, final long epoch, final long from, final long to, final long next,
        final List<byte[]> frames)
    {
        final byte[] response = new byte[WireFormat.RECOVERY_RESPONSE_LENGTH];
        writer.response(new UnsafeBuffer(response), 0, requestId, status, epoch, from, to, next, frames.size());
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
        socket.send(topic, ZMQ.SNDMORE | ZMQ.DONTWAIT);
        socket.send(response, frames.isEmpty() ? ZMQ.DONTWAIT : ZMQ.SNDMORE | ZMQ.DONTWAIT);
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
