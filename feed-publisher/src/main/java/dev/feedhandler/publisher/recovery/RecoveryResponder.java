package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.CatchUpCreditDecoder;
import dev.feedhandler.common.codec.CatchUpRequestDecoder;
import dev.feedhandler.common.codec.GapFillRequestDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.codec.SnapshotRequestDecoder;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The recovery service's answers, without a socket: a request's frames in, reply frames out to a {@link ReplySink}.
 * Gap fills get the batches of a topic's sequence range page by page, snapshots the last value of every topic of a
 * prefix, catch-up requests open a {@link CatchUpStreams stream}; anything else gets an error status, counted by
 * kind. Recovery thread only.
 */
final class RecoveryResponder
{
    private static final byte[] NO_TOPIC = new byte[0];

    private final RecoveryStore store;
    private final CatchUpStreams streams;
    private final RecoveryCounters counters;
    private final ReplySink sink;
    private final int maxReplyUpdates;
    private final int maxReplyBytes;
    private final RecoveryReader reader = new RecoveryReader();
    private final RecoveryWriter writer = new RecoveryWriter();
    private final UnsafeBuffer requestBuffer = new UnsafeBuffer(0, 0);

    /**
     * A responder.
     *
     * @param configuration the page limits.
     * @param store         what there is to serve.
     * @param counters      counts requests, replies and errors.
     * @param sink          where replies go.
     */
    RecoveryResponder(final RecoveryConfiguration configuration, final RecoveryStore store,
        final RecoveryCounters counters, final ReplySink sink)
    {
        this.store = store;
        this.counters = counters;
        this.sink = sink;
        this.maxReplyUpdates = configuration.maxReplyUpdates();
        this.maxReplyBytes = configuration.maxReplyBytes();
        this.streams = new CatchUpStreams(store, counters, maxReplyUpdates, maxReplyBytes);
    }

    /**
     * A request in its envelope: {@code [topic or prefix][request]}.
     *
     * @param client  who asked.
     * @param topic   frame 0.
     * @param request frame 1.
     * @param nowNs   the time.
     */
    void onRequest(final Peer client, final byte[] topic, final byte[] request, final long nowNs)
    {
        if (topic.length > WireFormat.MAX_TOPIC_LENGTH)
        {
            error(client, NO_TOPIC, 0, RecoveryStatus.MALFORMED);
            return;
        }
        if (request.length > WireFormat.MAX_RECOVERY_REQUEST_LENGTH)
        {
            error(client, topic, 0, RecoveryStatus.TOO_LARGE);
            return;
        }
        requestBuffer.wrap(request);
        final int templateId = reader.read(requestBuffer, 0, request.length);
        switch (templateId)
        {
            case GapFillRequestDecoder.TEMPLATE_ID:
                serveGapFill(client, topic);
                break;
            case SnapshotRequestDecoder.TEMPLATE_ID:
                serveSnapshot(client, topic);
                break;
            case CatchUpRequestDecoder.TEMPLATE_ID:
                openStream(client, topic, nowNs);
                break;
            case CatchUpCreditDecoder.TEMPLATE_ID:
                credit(client, topic, nowNs);
                break;
            case RecoveryReader.INVALID:
                final DecodeError error = reader.error();
                final boolean unknown =
                    error == DecodeError.UNKNOWN_TEMPLATE || error == DecodeError.UNEXPECTED_MESSAGE;
                error(client, topic, 0, unknown ? RecoveryStatus.UNKNOWN_REQUEST : RecoveryStatus.MALFORMED);
                break;
            default:
                error(client, topic, 0, RecoveryStatus.UNKNOWN_REQUEST);
                break;
        }
    }

    /**
     * A message whose envelope is wrong (not two frames after the identity and delimiter).
     *
     * @param client who sent it.
     */
    void onBadEnvelope(final Peer client)
    {
        error(client, NO_TOPIC, 0, RecoveryStatus.MALFORMED);
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
     * @param budget most pages.
     * @return pages and notices sent.
     */
    int pollStreams(final long nowNs, final int budget)
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

    private void serveGapFill(final Peer client, final byte[] topic)
    {
        counters.increment(RecoveryCounters.GAP_FILLS);
        final GapFillRequestDecoder request = reader.gapFillRequest();
        final long requestId = request.requestId();
        final long epoch = request.sessionEpoch();
        final long from = request.fromSequence();
        final long to = request.toSequence();
        if (from < 1 || to < from || !isTopic(topic))
        {
            error(client, topic, requestId, RecoveryStatus.MALFORMED);
            return;
        }
        final ReplyPage page = new ReplyPage(from, maxReplyUpdates, maxReplyBytes);
        final long end = store.fill(topic, epoch, to, page, Long.MIN_VALUE);
        if (end == RecoveryStore.UNKNOWN_SESSION)
        {
            error(client, topic, requestId, RecoveryStatus.WRONG_EPOCH);
            return;
        }
        final boolean current = epoch == store.sessionEpoch();
        if (current && end < from)
        {
            // Nothing of the range has been published: the reply covers nothing, and says so.
            reply(client, topic, requestId, RecoveryStatus.OK, epoch, from, from - 1, 0, page.frames());
            return;
        }
        finish(client, topic, requestId, epoch, end, !current && to == WireFormat.SEQUENCE_TO_END, page);
    }

    private void finish(final Peer client, final byte[] topic, final long requestId, final long epoch,
        final long end, final boolean openEnded, final ReplyPage page)
    {
        final long from = page.from;
        if (page.isEmpty())
        {
            if (page.holeAt > from && page.holeAt <= end)
            {
                counters.increment(RecoveryCounters.UNAVAILABLE);
                reply(client, topic, requestId, RecoveryStatus.UNAVAILABLE, epoch, from, page.holeAt - 1,
                    page.holeAt, List.of());
            }
            else if (openEnded)
            {
                reply(client, topic, requestId, RecoveryStatus.OK, epoch, from, from - 1, 0, List.of());
            }
            else
            {
                counters.increment(RecoveryCounters.UNAVAILABLE);
                reply(client, topic, requestId, RecoveryStatus.UNAVAILABLE, epoch, from, end, 0, List.of());
            }
            return;
        }
        counters.add(RecoveryCounters.UPDATES_SERVED, page.updates);
        if (page.coveredTo >= end || (openEnded && !page.full && page.holeAt == 0))
        {
            reply(client, topic, requestId, RecoveryStatus.OK, epoch, from, openEnded ? page.coveredTo : end, 0,
                page.frames());
        }
        else
        {
            counters.increment(RecoveryCounters.PARTIAL);
            reply(client, topic, requestId, RecoveryStatus.PARTIAL, epoch, from, page.coveredTo, page.coveredTo + 1,
                page.frames());
        }
    }

    private void serveSnapshot(final Peer client, final byte[] prefix)
    {
        counters.increment(RecoveryCounters.SNAPSHOTS);
        final long requestId = reader.snapshotRequest().requestId();
        final long cursor = reader.snapshotRequest().cursor();
        if (cursor < 0 || cursor > Integer.MAX_VALUE)
        {
            error(client, prefix, requestId, RecoveryStatus.MALFORMED);
            return;
        }
        final List<TopicSlot> slots = store.slots();
        final List<byte[]> frames = new ArrayList<>();
        int entries = 0;
        int bytes = 0;
        int id = (int)cursor;
        for (; id < slots.size(); id++)
        {
            final TopicSlot slot = slots.get(id);
            if (!startsWith(slot.topic, prefix))
            {
                continue;
            }
            final int length =
                WireFormat.SNAPSHOT_ENTRY_LENGTH + (slot.quoteSequence > 0 ? WireFormat.QUOTE_LENGTH : 0);
            if (entries > 0 && (entries >= maxReplyUpdates || bytes + length > maxReplyBytes))
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
        final boolean more = id < slots.size();
        if (more)
        {
            counters.increment(RecoveryCounters.PARTIAL);
        }
        reply(client, prefix, requestId, more ? RecoveryStatus.PARTIAL : RecoveryStatus.OK, store.sessionEpoch(), 0,
            0, more ? id : 0, frames);
    }

    private void openStream(final Peer client, final byte[] topic, final long nowNs)
    {
        counters.increment(RecoveryCounters.CATCH_UPS);
        final CatchUpRequestDecoder request = reader.catchUpRequest();
        final long requestId = request.requestId();
        final long epoch = request.sessionEpoch();
        final long from = request.fromSequence();
        final long to = request.toSequence();
        final int credit = request.credit();
        if (from < 1 || to < from || credit < 0 || credit > CatchUpStreams.MAX_CREDIT || !isTopic(topic))
        {
            error(client, topic, requestId, RecoveryStatus.MALFORMED);
            return;
        }
        if (epoch != store.sessionEpoch() && store.archives().isEmpty())
        {
            error(client, topic, requestId, RecoveryStatus.WRONG_EPOCH);
            return;
        }
        if (!streams.open(client, topic, requestId, epoch, from, to, credit, nowNs))
        {
            error(client, topic, requestId, RecoveryStatus.BUSY);
        }
    }

    private void credit(final Peer client, final byte[] topic, final long nowNs)
    {
        final CatchUpCreditDecoder credit = reader.catchUpCredit();
        if (credit.credit() < 0)
        {
            error(client, topic, credit.requestId(), RecoveryStatus.MALFORMED);
            return;
        }
        streams.credit(client, credit.requestId(), credit.credit(), credit.flags().cancel(), nowNs);
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

    private void error(final Peer client, final byte[] topic, final long requestId, final RecoveryStatus status)
    {
        counters.error(status);
        reply(client, topic, requestId, status, store.sessionEpoch(), 0, 0, 0, List.of());
    }

    private void reply(final Peer client, final byte[] topic, final long requestId, final RecoveryStatus status,
        final long epoch, final long from, final long to, final long next, final List<byte[]> frames)
    {
        final byte[] response = new byte[WireFormat.RECOVERY_RESPONSE_LENGTH];
        writer.response(new UnsafeBuffer(response), 0, requestId, status, epoch, from, to, next, frames.size());
        if (sink.reply(client, topic, response, frames) == ReplySink.SENT)
        {
            counters.increment(RecoveryCounters.REPLIES);
        }
        else
        {
            counters.increment(RecoveryCounters.REPLIES_DROPPED);
        }
    }
}
