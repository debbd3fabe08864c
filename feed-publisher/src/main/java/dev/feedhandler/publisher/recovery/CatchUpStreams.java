package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.journal.ArchiveUnavailableException;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The catch-up streams the service serves (Aeron Archive's replay, for one topic): each sends page after page of a
 * topic's batches, from the window or the journal, as long as its client has credit (flow control: a client takes
 * pages at its own pace, with several in flight), and follows the topic as it is published until the client cancels
 * it, its range is covered, or its session ends. Streams take turns, one page each. A stream at the newest update
 * of its topic waits for more, sending an empty page every {@value #KEEPALIVE_MS} ms so that its client knows the
 * service is there; a range that neither the window nor the journal holds is said to be unavailable, and the stream
 * goes on after it. No socket; recovery thread only.
 */
final class CatchUpStreams
{
    /** Most streams at once, all clients together; a request beyond is answered BUSY. */
    static final int MAX_STREAMS = 256;
    /** Most pages a client may have in flight on one stream. */
    static final int MAX_CREDIT = 64;
    /** Largest page frame: well below the size the JVM allocates outside the young generation. */
    static final int MAX_PAGE_BYTES = 256 * 1024;
    /** How often a stream that waits for new updates says it is alive. */
    static final long KEEPALIVE_MS = 100;
    /** A stream whose client has neither taken a page nor sent credit for this long is forgotten. */
    static final long IDLE_TIMEOUT_MS = 30_000;

    private static final long KEEPALIVE_NS = TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MS);
    private static final long IDLE_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS);

    private final RecoveryStore store;
    private final RecoveryCounters counters;
    private final int maxPageUpdates;
    private final int maxPageBytes;
    private final RecoveryWriter writer = new RecoveryWriter();
    private final ControlWriter control = new ControlWriter();
    private final ReplyPage page = new ReplyPage();
    private final Map<Peer, Long2ObjectHashMap<CatchUpStream>> byClient = new HashMap<>();
    private final List<CatchUpStream> streams = new ArrayList<>();
    private int cursor;

    /**
     * Streams over a store.
     *
     * @param store           what is served.
     * @param counters        counts pages and updates.
     * @param maxReplyUpdates most updates per page.
     * @param maxReplyBytes   most bytes per page (capped at {@link #MAX_PAGE_BYTES}).
     */
    CatchUpStreams(final RecoveryStore store, final RecoveryCounters counters, final int maxReplyUpdates,
        final int maxReplyBytes)
    {
        this.store = store;
        this.counters = counters;
        this.maxPageUpdates = maxReplyUpdates;
        this.maxPageBytes = Math.min(maxReplyBytes, MAX_PAGE_BYTES);
    }

    /**
     * Opens a stream (or opens it again: a request id a client uses again replaces its stream).
     *
     * @return false if there is no room for another stream.
     */
    boolean open(final Peer client, final byte[] topic, final long requestId, final long epoch, final long from,
        final long to, final int credit, final long nowNs)
    {
        final Long2ObjectHashMap<CatchUpStream> ofClient = byClient.computeIfAbsent(client,
            key -> new Long2ObjectHashMap<>());
        final CatchUpStream replaced = ofClient.remove(requestId);
        if (replaced != null)
        {
            streams.remove(replaced);
        }
        else if (streams.size() >= MAX_STREAMS)
        {
            if (ofClient.isEmpty())
            {
                byClient.remove(client);
            }
            return false;
        }
        final CatchUpStream stream = new CatchUpStream(client, requestId, topic, epoch, from, to, credit, nowNs);
        ofClient.put(requestId, stream);
        streams.add(stream);
        return true;
    }

    /**
     * More pages for a stream, or its end. Unknown streams (ended, forgotten, or never opened) are ignored.
     */
    void credit(final Peer client, final long requestId, final int credit, final boolean cancel, final long nowNs)
    {
        final Long2ObjectHashMap<CatchUpStream> ofClient = byClient.get(client);
        final CatchUpStream stream = ofClient == null ? null : ofClient.get(requestId);
        if (stream == null)
        {
            return;
        }
        if (cancel)
        {
            remove(stream);
            return;
        }
        stream.credit = (int)Math.min(MAX_CREDIT, (long)stream.credit + credit);
        stream.lastActiveNs = nowNs;
    }

    /**
     * Streams open.
     *
     * @return the count.
     */
    int size()
    {
        return streams.size();
    }

    /**
     * Serves the streams in turn, one page each, up to a budget.
     *
     * @param nowNs  the time.
     * @param sink   where pages go.
     * @param budget most pages to send.
     * @return pages and notices sent (keep-alives not counted: they are not work).
     */
    int poll(final long nowNs, final ReplySink sink, final int budget)
    {
        int sent = 0;
        final int turns = streams.size();
        for (int i = 0; i < turns && sent < budget && !streams.isEmpty(); i++)
        {
            if (cursor >= streams.size())
            {
                cursor = 0;
            }
            final CatchUpStream stream = streams.get(cursor);
            final int size = streams.size();
            sent += serve(stream, nowNs, sink);
            if (streams.size() == size)
            {
                cursor++;
            }
        }
        return sent;
    }

    private int serve(final CatchUpStream stream, final long nowNs, final ReplySink sink)
    {
        if (nowNs - stream.lastActiveNs > IDLE_TIMEOUT_NS)
        {
            remove(stream);
            return 0;
        }
        if (stream.credit <= 0)
        {
            return 0;
        }
        page.reset(stream.next, maxPageUpdates, maxPageBytes);
        final long end;
        try
        {
            end = store.fill(stream.topic, stream.epoch, stream.to, page, stream.journalIndex);
        }
        catch (final ArchiveUnavailableException ex)
        {
            // The journal's copy did not answer in time: the range may well be there, so it is never said to be
            // unavailable; the stream sends nothing this turn and looks again on a later one.
            return 0;
        }
        if (end == RecoveryStore.UNKNOWN_SESSION)
        {
            counters.error(RecoveryStatus.WRONG_EPOCH);
            send(stream, RecoveryStatus.WRONG_EPOCH, 0, 0, 0, sink);
            remove(stream);
            return 1;
        }
        if (!page.isEmpty())
        {
            return sendPage(stream, end, nowNs, sink);
        }
        if (page.journalIndex != Long.MIN_VALUE)
        {
            // Nothing taken, only passed over: the next look at the journal starts there.
            stream.journalIndex = page.journalIndex;
        }
        return sendNotice(stream, end, nowNs, sink);
    }

    private int sendPage(final CatchUpStream stream, final long end, final long nowNs, final ReplySink sink)
    {
        final long covered = page.coveredTo;
        // An earlier session's page stops where the journal does; the current one's where the topic is now.
        final boolean more = page.full || page.holeAt != 0 || (stream.epoch == store.sessionEpoch() && covered < end);
        final boolean complete = !more && (covered >= stream.to || ended(stream, covered));
        if (complete)
        {
            endOfSession(stream, covered);
        }
        final int result = send(stream, complete ? RecoveryStatus.OK : RecoveryStatus.PARTIAL, page.from, covered,
            complete ? 0 : covered + 1, sink);
        if (result == ReplySink.FULL)
        {
            return 0;
        }
        if (result == ReplySink.SENT)
        {
            counters.increment(RecoveryCounters.CATCH_UP_PAGES);
            counters.add(RecoveryCounters.CATCH_UP_UPDATES, page.updates);
            counters.add(RecoveryCounters.UPDATES_SERVED, page.updates);
            stream.credit--;
            stream.next = covered + 1;
            stream.lastActiveNs = nowNs;
            stream.lastSentNs = nowNs;
            if (page.journalIndex != Long.MIN_VALUE)
            {
                stream.journalIndex = page.journalIndex;
            }
        }
        if (complete || result == ReplySink.GONE)
        {
            remove(stream);
        }
        return 1;
    }

    /**
     * Nothing to send from {@code stream.next} on: a range that no longer exists, the end of the stream, or (at the
     * newest update of a topic still published) a keep-alive now and then.
     */
    private int sendNotice(final CatchUpStream stream, final long end, final long nowNs, final ReplySink sink)
    {
        final long from = page.from;
        final boolean current = stream.epoch == store.sessionEpoch();
        if (page.holeAt > from && page.holeAt <= end)
        {
            return unavailable(stream, from, page.holeAt - 1, page.holeAt, sink);
        }
        if (end >= from)
        {
            // Published, and held by neither the window nor the journal.
            final boolean last = end >= stream.to || !current;
            if (!last || stream.to != WireFormat.SEQUENCE_TO_END)
            {
                return unavailable(stream, from, end, last ? 0 : end + 1, sink);
            }
        }
        if (!current || from > stream.to || ended(stream, from - 1))
        {
            endOfSession(stream, from - 1);
            final int result = send(stream, RecoveryStatus.OK, from, from - 1, 0, sink);
            if (result != ReplySink.FULL)
            {
                remove(stream);
            }
            return result == ReplySink.FULL ? 0 : 1;
        }
        if (nowNs - stream.lastSentNs >= KEEPALIVE_NS)
        {
            final int result = send(stream, RecoveryStatus.PARTIAL, from, from - 1, from, sink);
            if (result == ReplySink.GONE)
            {
                remove(stream);
            }
            else if (result == ReplySink.SENT)
            {
                stream.lastSentNs = nowNs;
            }
        }
        return 0;
    }

    private int unavailable(final CatchUpStream stream, final long from, final long to, final long next,
        final ReplySink sink)
    {
        final int result = send(stream, RecoveryStatus.UNAVAILABLE, from, to, next, sink);
        if (result == ReplySink.FULL)
        {
            return 0;
        }
        counters.increment(RecoveryCounters.UNAVAILABLE);
        if (next == 0 || result == ReplySink.GONE)
        {
            remove(stream);
        }
        else
        {
            stream.next = next;
        }
        return 1;
    }

    /**
     * Whether the stream's session has nothing after {@code covered}: an earlier session's journal holds no more, or
     * the current session's topic ended there.
     */
    private boolean ended(final CatchUpStream stream, final long covered)
    {
        if (stream.epoch != store.sessionEpoch())
        {
            return stream.to == WireFormat.SEQUENCE_TO_END;
        }
        final TopicSlot slot = store.existingSlot(stream.topic);
        return slot != null && slot.ended && covered >= slot.lastSequence;
    }

    /**
     * The last page of a current session's topic that ended at {@code covered} carries its end-of-session heartbeat
     * (see {@link ReplyPage#endOfSession}); a stream that ends anywhere else does not.
     */
    private void endOfSession(final CatchUpStream stream, final long covered)
    {
        if (stream.epoch == store.sessionEpoch() && ended(stream, covered))
        {
            page.endOfSession(control, stream.epoch, store.existingSlot(stream.topic).lastSequence,
                System.currentTimeMillis() * 1_000_000L);
        }
    }

    private int send(final CatchUpStream stream, final RecoveryStatus status, final long from, final long to,
        final long next, final ReplySink sink)
    {
        final List<byte[]> frames = status == RecoveryStatus.OK || status == RecoveryStatus.PARTIAL ?
            page.frames() : List.of();
        final byte[] response = new byte[WireFormat.RECOVERY_RESPONSE_LENGTH];
        writer.response(new UnsafeBuffer(response), 0, stream.requestId, status, stream.epoch, from, to, next,
            frames.size());
        final int result = sink.reply(stream.client, stream.topic, response, frames);
        if (result == ReplySink.SENT)
        {
            counters.increment(RecoveryCounters.REPLIES);
        }
        else if (result == ReplySink.GONE)
        {
            // A page the client's queue has no room for now is sent later; one to a client gone is dropped.
            counters.increment(RecoveryCounters.REPLIES_DROPPED);
        }
        return result;
    }

    private void remove(final CatchUpStream stream)
    {
        final Long2ObjectHashMap<CatchUpStream> ofClient = byClient.get(stream.client);
        if (ofClient != null && ofClient.get(stream.requestId) == stream)
        {
            ofClient.remove(stream.requestId);
            if (ofClient.isEmpty())
            {
                byClient.remove(stream.client);
            }
        }
        final int index = streams.indexOf(stream);
        if (index >= 0)
        {
            streams.remove(index);
            if (index < cursor)
            {
                cursor--;
            }
            if (streams.isEmpty())
            {
                store.archives().idle();
            }
        }
    }
}
