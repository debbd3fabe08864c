package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.GapFillRequestDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.codec.SnapshotRequestDecoder;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers recovery requests without a socket: validates and decodes a request, pages a gap fill from the window and
 * the archives (journal, then Kafka) or a snapshot from the {@link LastValueCache}, counts it, and returns the reply
 * to send after the client's envelope. Every request gets a reply: malformed, oversized, unknown and wrong-epoch
 * requests get their error status. Recovery thread only; cold path (requests are rare, each reply is built in arrays
 * of its own).
 */
final class RecoveryResponder
{
    private final RecoveryConfiguration configuration;
    private final long sessionEpoch;
    private final RecoveryWindow window;
    private final RecoveryArchives archives;
    private final LastValueCache cache;
    private final RecoveryCounters counters;
    private final UnsafeBuffer requestBuffer = new UnsafeBuffer(0, 0);
    private final RecoveryReader reader = new RecoveryReader();
    private final RecoveryWriter writer = new RecoveryWriter();
    private final LongArrayList positions = new LongArrayList();
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
        this.configuration = configuration;
        this.sessionEpoch = sessionEpoch;
        this.window = window;
        this.archives = archives;
        this.cache = cache;
        this.counters = counters;
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
     * Answers a request.
     *
     * @param topic   the request's topic frame: the topic of a gap fill, the prefix of a snapshot.
     * @param request the request frame.
     * @return the reply, valid until the next call.
     */
    RecoveryReply respond(final byte[] topic, final byte[] request)
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
            case RecoveryReader.INVALID:
                final DecodeError error = reader.error();
                return error(error == DecodeError.UNKNOWN_TEMPLATE || error == DecodeError.UNEXPECTED_MESSAGE ?
                    RecoveryStatus.UNKNOWN_REQUEST : RecoveryStatus.MALFORMED);
            default:
                return error(RecoveryStatus.UNKNOWN_REQUEST);
        }
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
        if (from < 1 || to < from || !WireFormat.isValidSymbol(new String(topic, StandardCharsets.US_ASCII)))
        {
            return error(RecoveryStatus.MALFORMED);
        }
        final ReplyPage page = new ReplyPage(from, configuration.maxReplyUpdates(), configuration.maxReplyBytes());
        if (epoch == sessionEpoch)
        {
            final TopicSlot slot = cache.find(topic);
            final long end = Math.min(to, slot == null ? 0 : slot.lastSequence);
            if (end < from)
            {
                // Nothing of the range has been published: the reply covers nothing, and says so.
                return reply(RecoveryStatus.OK, epoch, from, from - 1, 0, page.frames);
            }
            fillCurrent(slot, from, end, page);
            return finish(epoch, end, false, page);
        }
        if (!archives.fill(topic, epoch, from, to, page, false))
        {
            return error(RecoveryStatus.WRONG_EPOCH);
        }
        return finish(epoch, to, to == WireFormat.SEQUENCE_TO_END, page);
    }

    private void fillCurrent(final TopicSlot slot, final long from, final long end, final ReplyPage page)
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

    private RecoveryReply finish(final long epoch, final long end, final boolean openEnded, final ReplyPage page)
    {
        final long from = page.from;
        if (page.isEmpty())
        {
            if (page.holeAt > from && page.holeAt <= end)
            {
                counters.increment(RecoveryCounters.UNAVAILABLE);
                return reply(RecoveryStatus.UNAVAILABLE, epoch, from, page.holeAt - 1, page.holeAt, page.frames);
            }
            if (openEnded)
            {
                return reply(RecoveryStatus.OK, epoch, from, from - 1, 0, page.frames);
            }
            counters.increment(RecoveryCounters.UNAVAILABLE);
            return reply(RecoveryStatus.UNAVAILABLE, epoch, from, end, 0, page.frames);
        }
        counters.add(RecoveryCounters.UPDATES_SERVED, page.updates);
        if (page.coveredTo >= end || (openEnded && !page.full && page.holeAt == 0))
        {
            return reply(RecoveryStatus.OK, epoch, from, openEnded ? page.coveredTo : end, 0, page.frames);
        }
        counters.increment(RecoveryCounters.PARTIAL);
        return reply(RecoveryStatus.PARTIAL, epoch, from, page.coveredTo, page.coveredTo + 1, page.frames);
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
        return reply(more ? RecoveryStatus.PARTIAL : RecoveryStatus.OK, sessionEpoch, 0, 0, more ? id : 0, frames);
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
        if (topic == null)
        {
            topic = new byte[0];
        }
        return reply(status, sessionEpoch, 0, 0, 0, List.of());
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
