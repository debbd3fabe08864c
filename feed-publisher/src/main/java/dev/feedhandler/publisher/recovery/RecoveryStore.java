package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.TradeDecoder;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What the recovery service can serve: every frame the publisher handed over (it is the hand-off's reader), kept as
 * each topic's last sequence number, end of session and last quote (the Last Value Cache) and its batches in the
 * {@link RecoveryWindow}; behind the window, the journal. It fills reply pages of a topic's sequence range from the
 * window and, for what the window no longer holds (or never got), from the journal. No socket; recovery thread only.
 */
final class RecoveryStore implements MessageHandler
{
    /** {@link #fill} result: the service knows nothing of the session asked for. */
    static final long UNKNOWN_SESSION = Long.MIN_VALUE;

    private static final int TEMPLATE_ID_OFFSET = 2;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final long QUOTE_HEADER_V1 = packedHeader(QuoteDecoder.BLOCK_LENGTH, QuoteDecoder.TEMPLATE_ID);
    private static final long TRADE_HEADER_V1 = packedHeader(TradeDecoder.BLOCK_LENGTH, TradeDecoder.TEMPLATE_ID);

    private final long sessionEpoch;
    private final int maxReplyUpdates;
    private final RecoveryWindow window;
    private final RecoveryArchives archives;
    private final RecoveryCounters counters;
    private final Map<UnsafeBuffer, TopicSlot> slotsByTopic = new HashMap<>();
    private final List<TopicSlot> slots = new ArrayList<>();
    private final UnsafeBuffer lookupKey = new UnsafeBuffer(0, 0);
    private final LongArrayList positions = new LongArrayList();
    private LongSupplier missedFrames = () -> 0;

    /**
     * A store.
     *
     * @param sessionEpoch    the publisher's current session.
     * @param windowBytes     the window's size.
     * @param maxReplyUpdates most updates in a page (bounds a window lookup).
     * @param archives        the journal and its copy off this host (possibly none).
     * @param counters        counts what is served from where.
     */
    RecoveryStore(final long sessionEpoch, final int windowBytes, final int maxReplyUpdates,
        final RecoveryArchives archives, final RecoveryCounters counters)
    {
        this.sessionEpoch = sessionEpoch;
        this.maxReplyUpdates = maxReplyUpdates;
        this.window = new RecoveryWindow(windowBytes);
        this.archives = archives;
        this.counters = counters;
    }

    long sessionEpoch()
    {
        return sessionEpoch;
    }

    RecoveryWindow window()
    {
        return window;
    }

    RecoveryArchives archives()
    {
        return archives;
    }

    /**
     * Says how many frames the hand-off could not give the window ({@link RecoveryHandoff#notWindowed()}): once
     * there are any, a topic may go on in the journal past the last sequence the window knows of.
     *
     * @param count the count, readable from the recovery thread.
     */
    void missedFrames(final LongSupplier count)
    {
        this.missedFrames = count;
    }

    /**
     * The publisher ended its session and its journal is complete: every topic has ended, at the last sequence the
     * window knows of or, past it, where the journal ends. A catch-up stream then ends once it has sent it all.
     */
    void endSession()
    {
        for (int i = 0; i < slots.size(); i++)
        {
            slots.get(i).ended = true;
        }
    }

    /**
     * The topics of the session, in the order they were first seen.
     *
     * @return the slots (do not change).
     */
    List<TopicSlot> slots()
    {
        return slots;
    }

    /**
     * One hand-off record: a frame the publisher sent. Batches go into the window and the cache, heartbeats move the
     * topic's last sequence number (and mark its end of session); anything else is not kept.
     */
    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        counters.increment(RecoveryCounters.FRAMES_DRAINED);
        final int topicLength = buffer.getInt(index, ORDER);
        final int topicOffset = index + RecoveryHandoff.TOPIC_OFFSET;
        final int payloadOffset = topicOffset + topicLength;
        final int payloadLength = length - RecoveryHandoff.TOPIC_OFFSET - topicLength;
        if (topicLength <= 0 || buffer.getByte(topicOffset) == WireFormat.RESERVED_TOPIC_BYTE ||
            payloadLength < WireFormat.HEADER_LENGTH)
        {
            return;
        }
        final int templateId = buffer.getShort(payloadOffset + TEMPLATE_ID_OFFSET, ORDER) & 0xFFFF;
        final int blockLength = buffer.getShort(payloadOffset, ORDER) & 0xFFFF;
        final int body = payloadOffset + WireFormat.HEADER_LENGTH;
        if (templateId == BatchHeaderDecoder.TEMPLATE_ID)
        {
            final long first = buffer.getLong(body + BatchHeaderDecoder.firstSequenceEncodingOffset(), ORDER);
            final int count = buffer.getShort(body + BatchHeaderDecoder.updateCountEncodingOffset(), ORDER) & 0xFFFF;
            if (count == 0)
            {
                return;
            }
            final TopicSlot slot = slot(buffer, topicOffset, topicLength);
            window.append(slot, buffer, payloadOffset, payloadLength, first, count);
            slot.lastSequence = Math.max(slot.lastSequence, first + count - 1);
            cacheLastQuote(slot, buffer, body + blockLength, payloadOffset + payloadLength, first, count);
        }
        else if (templateId == HeartbeatDecoder.TEMPLATE_ID)
        {
            final TopicSlot slot = slot(buffer, topicOffset, topicLength);
            slot.lastSequence = Math.max(slot.lastSequence,
                buffer.getLong(body + HeartbeatDecoder.lastSequenceEncodingOffset(), ORDER));
            if ((buffer.getByte(body + HeartbeatDecoder.flagsEncodingOffset()) & 1) != 0)
            {
                slot.ended = true;
            }
        }
    }

    /**
     * Walks a batch's updates (one comparison per version-1 update) and keeps its last quote.
     */
    private static void cacheLastQuote(final TopicSlot slot, final MutableDirectBuffer buffer, final int start,
        final int end, final long first, final int count)
    {
        int position = start;
        int quoteAt = -1;
        long quoteSequence = 0;
        for (int i = 0; i < count && end - position >= WireFormat.HEADER_LENGTH; i++)
        {
            final long header = buffer.getLong(position, ORDER);
            if (header == QUOTE_HEADER_V1)
            {
                quoteAt = position;
                quoteSequence = first + i;
                position += WireFormat.QUOTE_LENGTH;
            }
            else if (header == TRADE_HEADER_V1)
            {
                position += WireFormat.TRADE_LENGTH;
            }
            else
            {
                // Another version's update: skip it by its block length (only version-1 quotes are cached).
                position += WireFormat.HEADER_LENGTH + (int)(header & 0xFFFF);
            }
        }
        if (quoteAt >= 0 && quoteAt + WireFormat.QUOTE_LENGTH <= end)
        {
            slot.quote.putBytes(0, buffer, quoteAt, WireFormat.QUOTE_LENGTH);
            slot.quoteSequence = quoteSequence;
        }
    }

    private TopicSlot slot(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        lookupKey.wrap(buffer, offset, length);
        final TopicSlot slot = slotsByTopic.get(lookupKey);
        if (slot != null)
        {
            return slot;
        }
        final byte[] topic = new byte[length];
        buffer.getBytes(offset, topic);
        final TopicSlot added = new TopicSlot(slots.size(), topic);
        slots.add(added);
        slotsByTopic.put(new UnsafeBuffer(topic), added);
        return added;
    }

    /**
     * A topic of the current session.
     *
     * @param topic its name.
     * @return its slot, or null if it has sent nothing.
     */
    TopicSlot existingSlot(final byte[] topic)
    {
        lookupKey.wrap(topic);
        return slotsByTopic.get(lookupKey);
    }

    /**
     * Fills a page with a topic's batches of a session from {@code page.from} on: the current session from the
     * window and, before the window's reach, the journal; an earlier one from the journal.
     *
     * @param topic        the topic.
     * @param epoch        the session.
     * @param to           last sequence wanted, or {@link WireFormat#SEQUENCE_TO_END}.
     * @param page         takes the batches.
     * @param journalIndex where a previous page of the same stream stopped in the journal, or {@link Long#MIN_VALUE}.
     * @return the end of the range the service can speak for: for the current session {@code to} or, if less, the
     * topic's last sequence number; for an earlier one {@code to}; {@link #UNKNOWN_SESSION} if neither the window
     * nor the journal knows the session.
     */
    long fill(final byte[] topic, final long epoch, final long to, final ReplyPage page, final long journalIndex)
    {
        if (epoch == sessionEpoch)
        {
            final TopicSlot slot = existingSlot(topic);
            final long known = slot == null ? 0 : slot.lastSequence;
            final long end = Math.min(to, known);
            if (end >= page.from)
            {
                fillCurrent(topic, slot, page.from, end, page, journalIndex);
            }
            if (page.coveredTo >= known && page.coveredTo < to && !page.full && page.holeAt == 0 &&
                missedFrames.getAsLong() > 0)
            {
                // The frames the hand-off could not take are in the journal only, the topic's newest ones too.
                final long before = page.coveredTo;
                archives.fill(topic, sessionEpoch, before + 1, to, page, true,
                    Math.max(journalIndex, page.journalIndex));
                return Math.max(end, page.coveredTo);
            }
            return end;
        }
        return archives.fill(topic, epoch, page.from, to, page, false, journalIndex) ? to : UNKNOWN_SESSION;
    }

    private void fillCurrent(final byte[] topic, final TopicSlot slot, final long from, final long end,
        final ReplyPage page, final long journalIndex)
    {
        long windowFirst = Long.MAX_VALUE;
        positions.clear();
        if (slot != null)
        {
            // Each record carries at least one update: a page never takes more records than its update limit.
            window.collect(slot, from, end, maxReplyUpdates, positions);
            if (!positions.isEmpty())
            {
                windowFirst = window.firstSequence(positions.getLong(0));
            }
        }
        if (windowFirst > from)
        {
            archives.fill(topic, sessionEpoch, from, Math.min(end, windowFirst - 1), page, true, journalIndex);
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
        final int before = page.batches;
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
        counters.add(RecoveryCounters.BATCHES_FROM_WINDOW, page.batches - before);
    }

    private static long packedHeader(final int blockLength, final int templateId)
    {
        return (blockLength & 0xFFFFL) | (templateId & 0xFFFFL) << 16 | (WireFormat.SCHEMA_ID & 0xFFFFL) << 32 |
            (WireFormat.SCHEMA_VERSION & 0xFFFFL) << 48;
    }
}
