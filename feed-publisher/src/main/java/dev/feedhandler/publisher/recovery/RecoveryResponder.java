package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.CatchUpCreditDecoder;
import dev.feedhandler.common.codec.CatchUpRequestDecoder;
import dev.feedhandler.common.codec.GapFillRequestDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.codec.SnapshotRequestDecoder;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers recovery requests without a socket: validates and decodes a request, pages a gap fill from the window and
 * the archives (journal, then Kafka) or a snapshot from the {@link LastValueCache}, counts it, and returns the reply
 * to send after the client's envelope. Every request gets a reply: malformed, oversized, unknown and wrong-epoch
 * requests get their error status. A catch-up request opens a {@link CatchUpStreams stream} instead (and a credit
 * feeds one): its pages go out later, from {@link #pollStreams}, to a {@link ReplySink}; only a refusal (malformed,
 * wrong epoch, busy) is a reply at once. Recovery thread only; cold path (requests are rare, each reply is built in
 * arrays of its own).
 */
final class RecoveryResponder
{
    private final RecoveryConfiguration configuration;
    private final RecoveryStore store;
    private final LastValueCache cache;
    private final RecoveryCounters counters;
    private final CatchUpStreams streams;
    private final UnsafeBuffer requestBuffer = new UnsafeBuffer(0, 0);
    private final RecoveryReader reader = new RecoveryReader();
    private final RecoveryWriter writer = new RecoveryWriter();
    private final ControlWriter control = new ControlWriter();
    private final RecoveryReply reply = new RecoveryReply();
    private byte[] topic;
    private long requestId;

    /**
     * A responder for the current session.
     *
     * @param configuration the reply limits.
     * @param sessionEpoch  the current session.
     * @param window        the session's recent batches.
     * @param archives      what the window no longer holds, and older sessions.
     * @param cache         each topic's last sequence and quote.
     * @param counters      counts requests, errors and what was served.
     */
    RecoveryResponder(final RecoveryConfiguration configuration, final long sessionEpoch, final RecoveryWindow window,
        final RecoveryArchives archives, final LastValueCache cache, final RecoveryCounters counters)
    {
        this(configuration, new RecoveryStore(sessionEpoch, window, cache, archives, counters), counters);
    }

    /**
     * A responder over a store.
     *
     * @param configuration the reply limits.
     * @param store         what there is to serve.
     * @param counters      counts requests, errors and what was served.
     */
    RecoveryResponder(final RecoveryConfiguration configuration, final RecoveryStore store,
        final RecoveryCounters counters)
    {
        this.configuration = configuration;
        this.store = store;
        this.cache = store.cache();
        this.counters = counters;
        this.streams = new CatchUpStreams(store, counters, configuration.maxReplyUpdates(),
            configuration.maxReplyBytes());
    }

    /**
     * The reply to a request whose envelope is not {@code [topic][request]}: {@code MALFORMED}, with no topic.
     *
     * @return the reply, valid until the next call.
     */
    RecoveryReply malformedEnvelope()
    {
        start(null, 0);
        return error(RecoveryStatus.MALFORMED);
    }

    /**
     * Answers a request that has one reply (a gap fill, a snapshot, anything invalid). A catch-up request needs its
     * client ({@link #respond(Peer, byte[], byte[], long)}): without one it is answered {@code UNKNOWN_REQUEST}.
     *
     * @param topic   the request's topic frame: the topic of a gap fill, the prefix of a snapshot.
     * @param request the request frame.
     * @return the reply, valid until the next call.
     */
    RecoveryReply respond(final byte[] topic, final byte[] request)
    {
        return respond(null, topic, request, 0);
    }

    /**
     * Answers a request.
     *
     * @param client  who asked (a stream's pages go to it), or null.
     * @param topic   the request's topic frame: the topic of a gap fill or stream, the prefix of a snapshot.
     * @param request the request frame.
     * @param nowNs   the time (a stream's last sign of life).
     * @return the reply, valid until the next call; null when there is nothing to send now (a stream opened or got
     * credit: its pages come from {@link #pollStreams}).
     */
    RecoveryReply respond(final Peer client, final byte[] topic, final byte[] request, final long nowNs)
    {
        if (topic.length > WireFormat.MAX_TOPIC_LENGTH)
        {
            return malformedEnvelope();
        }
        start(topic, 0);
        if (request.length > WireFormat.MAX_RECOVERY_REQUEST_LENGTH)
        {
            return error(RecoveryStatus.TOO_LARGE);
        }
        requestBuffer.wrap(request);
        final int templateId = reader.read(requestBuffer, 0, request.length);
        switch (templateId)
        {
            case GapFillRequestDecoder.TEMPLATE_ID:
                return gapFill();
            case SnapshotRequestDecoder.TEMPLATE_ID:
                return snapshot();
            case CatchUpRequestDecoder.TEMPLATE_ID:
                return client == null ? error(RecoveryStatus.UNKNOWN_REQUEST) : openStream(client, nowNs);
            case CatchUpCreditDecoder.TEMPLATE_ID:
                return client == null ? error(RecoveryStatus.UNKNOWN_REQUEST) : credit(client, nowNs);
            case RecoveryReader.INVALID:
                final DecodeError error = reader.error();
                return error(error == DecodeError.UNKNOWN_TEMPLATE || error == DecodeError.UNEXPECTED_MESSAGE ?
                    RecoveryStatus.UNKNOWN_REQUEST : RecoveryStatus.MALFORMED);
            default:
                return error(RecoveryStatus.UNKNOWN_REQUEST);
        }
    }

    /**
     * A request that failed in a way no rule foresaw: counted as malformed (the service goes on).
     */
    void onFailure()
    {
        counters.increment(RecoveryCounters.MALFORMED);
    }

    /**
     * Serves the catch-up streams, one page each in turn.
     *
     * @param nowNs  the time.
     * @param sink   where pages go.
     * @param budget most pages.
     * @return pages and notices sent.
     */
    int pollStreams(final long nowNs, final ReplySink sink, final int budget)
    {
        return streams.poll(nowNs, sink, budget);
    }

    /**
     * Catch-up streams open.
     *
     * @return the count.
     */
    int streams()
    {
        return streams.size();
    }

    private void start(final byte[] topic, final long requestId)
    {
        this.topic = topic;
        this.requestId = requestId;
    }

    private RecoveryReply gapFill()
    {
        counters.increment(RecoveryCounters.GAP_FILLS);
        final GapFillRequestDecoder request = reader.gapFillRequest();
        requestId = request.requestId();
        final long epoch = request.sessionEpoch();
        final long from = request.fromSequence();
        final long to = request.toSequence();
        if (from < 1 || to < from || !isTopic(topic))
        {
            return error(RecoveryStatus.MALFORMED);
        }
        final ReplyPage page = new ReplyPage(from, configuration.maxReplyUpdates(), configuration.maxReplyBytes());
        final long end = store.fill(topic, epoch, to, page, Long.MIN_VALUE);
        if (end == RecoveryStore.UNKNOWN_SESSION)
        {
            return error(RecoveryStatus.WRONG_EPOCH);
        }
        final boolean current = epoch == store.sessionEpoch();
        if (current && end < from)
        {
            // Nothing of the range has been published: the reply covers nothing, and says so.
            return reply(RecoveryStatus.OK, epoch, from, from - 1, 0, page.frames());
        }
        if (current && !page.isEmpty() && page.coveredTo >= end)
        {
            final byte[] heartbeat = endOfSession(epoch, page.coveredTo);
            if (heartbeat != null)
            {
                page.frames().add(heartbeat);
            }
        }
        return finish(epoch, end, !current && to == WireFormat.SEQUENCE_TO_END, page);
    }

    /**
     * A fill that reaches the last update of a current session's topic that ended (its page covers it, or says it
     * unavailable: the window missed the topic's last updates, not its end) ends with the topic's end-of-session
     * heartbeat, as a catch-up stream's last page does: a client that missed the feed's end, or asked for the
     * topic's last update again to hear it, learns it.
     *
     * @param reached the last sequence the reply speaks for.
     * @return the heartbeat, or null if the topic goes on past it (or is of an earlier session).
     */
    private byte[] endOfSession(final long epoch, final long reached)
    {
        final TopicSlot slot = epoch == store.sessionEpoch() ? store.existingSlot(topic) : null;
        return slot != null && slot.ended && reached >= slot.lastSequence ? heartbeat(epoch, slot.lastSequence) : null;
    }

    private byte[] heartbeat(final long epoch, final long lastSequence)
    {
        final byte[] heartbeat = new byte[WireFormat.HEARTBEAT_LENGTH];
        control.heartbeat(new UnsafeBuffer(heartbeat), 0, epoch, lastSequence, System.currentTimeMillis() * 1_000_000L,
            true);
        return heartbeat;
    }

    private RecoveryReply finish(final long epoch, final long end, final boolean openEnded, final ReplyPage page)
    {
        final long from = page.from;
        if (page.isEmpty())
        {
            if (page.holeAt > from && page.holeAt <= end)
            {
                counters.increment(RecoveryCounters.UNAVAILABLE);
                return reply(RecoveryStatus.UNAVAILABLE, epoch, from, page.holeAt - 1, page.holeAt, List.of());
            }
            if (openEnded)
            {
                return reply(RecoveryStatus.OK, epoch, from, from - 1, 0, List.of());
            }
            counters.increment(RecoveryCounters.UNAVAILABLE);
            final byte[] heartbeat = endOfSession(epoch, end);
            return reply(RecoveryStatus.UNAVAILABLE, epoch, from, end, 0,
                heartbeat == null ? List.of() : List.of(heartbeat));
        }
        counters.add(RecoveryCounters.UPDATES_SERVED, page.updates);
        if (page.coveredTo >= end || (openEnded && !page.full && page.holeAt == 0))
        {
            return reply(RecoveryStatus.OK, epoch, from, openEnded ? page.coveredTo : end, 0, page.frames());
        }
        counters.increment(RecoveryCounters.PARTIAL);
        return reply(RecoveryStatus.PARTIAL, epoch, from, page.coveredTo, page.coveredTo + 1, page.frames());
    }

    private RecoveryReply snapshot()
    {
        counters.increment(RecoveryCounters.SNAPSHOTS);
        requestId = reader.snapshotRequest().requestId();
        final long cursor = reader.snapshotRequest().cursor();
        if (cursor < 0 || cursor > Integer.MAX_VALUE)
        {
            return error(RecoveryStatus.MALFORMED);
        }
        final List<byte[]> frames = new ArrayList<>();
        int entries = 0;
        int bytes = 0;
        int id = (int)cursor;
        for (; id < cache.size(); id++)
        {
            final TopicSlot slot = cache.slotAt(id);
            if (!startsWith(slot.topic, topic))
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
            writer.snapshotEntry(new UnsafeBuffer(entry), 0, store.sessionEpoch(), slot.lastSequence,
                slot.quoteSequence, slot.quoteSequence > 0 ? slot.quote : null, 0);
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
        return reply(more ? RecoveryStatus.PARTIAL : RecoveryStatus.OK, store.sessionEpoch(), 0, 0, more ? id : 0,
            frames);
    }

    private RecoveryReply openStream(final Peer client, final long nowNs)
    {
        counters.increment(RecoveryCounters.CATCH_UPS);
        final CatchUpRequestDecoder request = reader.catchUpRequest();
        requestId = request.requestId();
        final long epoch = request.sessionEpoch();
        final long from = request.fromSequence();
        final long to = request.toSequence();
        final int credit = request.credit();
        if (from < 1 || to < from || credit < 0 || credit > CatchUpStreams.MAX_CREDIT || !isTopic(topic))
        {
            return error(RecoveryStatus.MALFORMED);
        }
        if (epoch != store.sessionEpoch() && store.archives().isEmpty())
        {
            return error(RecoveryStatus.WRONG_EPOCH);
        }
        if (!streams.open(client, topic, requestId, epoch, from, to, credit, nowNs))
        {
            return error(RecoveryStatus.BUSY);
        }
        return null;
    }

    private RecoveryReply credit(final Peer client, final long nowNs)
    {
        final CatchUpCreditDecoder credit = reader.catchUpCredit();
        requestId = credit.requestId();
        if (credit.credit() < 0)
        {
            return error(RecoveryStatus.MALFORMED);
        }
        streams.credit(client, credit.requestId(), credit.credit(), credit.flags().cancel(), nowNs);
        return null;
    }

    private static boolean isTopic(final byte[] topic)
    {
        return WireFormat.isValidSymbol(new String(topic, StandardCharsets.US_ASCII));
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

    private RecoveryReply error(final RecoveryStatus status)
    {
        counters.error(status);
        if (topic == null)
        {
            topic = new byte[0];
        }
        return reply(status, store.sessionEpoch(), 0, 0, 0, List.of());
    }

    private RecoveryReply reply(final RecoveryStatus status, final long epoch, final long from, final long to,
        final long next, final List<byte[]> frames)
    {
        final byte[] response = new byte[WireFormat.RECOVERY_RESPONSE_LENGTH];
        writer.response(new UnsafeBuffer(response), 0, requestId, status, epoch, from, to, next, frames.size());
        reply.topic = topic;
        reply.response = response;
        reply.frames = frames;
        return reply;
    }
}
