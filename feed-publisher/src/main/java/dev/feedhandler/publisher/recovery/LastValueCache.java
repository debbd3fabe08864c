package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.TradeDecoder;
import dev.feedhandler.common.wire.TopicKey;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Last Value Cache of the ZeroMQ guide, fed from the hand-off: for every topic of the current session its last
 * sequence number, whether its session ended, and its last version-1 quote (a {@link TopicSlot}), with each data
 * batch filed into the
 * {@link RecoveryWindow} on the way. A frame is read in one pass, without allocation once its topic is known;
 * reserved topics and frames too short for a header are skipped. Recovery thread only.
 */
final class LastValueCache implements MessageHandler
{
    private static final int TEMPLATE_ID_OFFSET = 2;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final long QUOTE_HEADER_V1 = packedHeader(QuoteDecoder.BLOCK_LENGTH, QuoteDecoder.TEMPLATE_ID);
    private static final long TRADE_HEADER_V1 = packedHeader(TradeDecoder.BLOCK_LENGTH, TradeDecoder.TEMPLATE_ID);

    private final RecoveryWindow window;
    private final RecoveryCounters counters;
    private final Map<TopicKey, TopicSlot> slotsByTopic = new HashMap<>();
    private final List<TopicSlot> slots = new ArrayList<>();
    private final TopicKey lookupKey = new TopicKey();

    /**
     * An empty cache.
     *
     * @param window   takes the data batches.
     * @param counters counts the frames drained.
     */
    LastValueCache(final RecoveryWindow window, final RecoveryCounters counters)
    {
        this.window = window;
        this.counters = counters;
    }

    /**
     * Takes one frame handed over (a {@link RecoveryHandoff} record) and counts it: a data batch goes into the
     * window, and its topic's last sequence and last quote into the cache; a heartbeat moves its topic's last
     * sequence on (and marks its end of session); anything else is skipped.
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

    private TopicSlot slot(final DirectBuffer buffer, final int offset, final int length)
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
        slotsByTopic.put(new TopicKey().wrap(topic, 0, length), added);
        return added;
    }

    /**
     * How far a topic went, learnt from the journal rather than the hand-off (the hand-off missed frames): its last
     * sequence moves up to {@code sequence}, and it ends there if {@code ended}; the window is not touched. A topic
     * first heard of this way gets a slot.
     *
     * @param buffer      holds the topic.
     * @param topicOffset where it starts.
     * @param topicLength its length.
     * @param sequence    the last sequence a frame of it covers.
     * @param ended       whether the frame is its end of session.
     */
    void advance(final DirectBuffer buffer, final int topicOffset, final int topicLength, final long sequence,
        final boolean ended)
    {
        final TopicSlot slot = slot(buffer, topicOffset, topicLength);
        slot.lastSequence = Math.max(slot.lastSequence, sequence);
        slot.ended |= ended;
    }

    /**
     * The topic's slot, if any of its frames was handed over.
     *
     * @param topic the topic.
     * @return its slot, or null.
     */
    TopicSlot find(final byte[] topic)
    {
        lookupKey.wrap(topic, 0, topic.length);
        return slotsByTopic.get(lookupKey);
    }

    /**
     * Topics known so far, numbered in the order they first came.
     *
     * @return how many.
     */
    int size()
    {
        return slots.size();
    }

    /**
     * A topic's slot by its number (a snapshot's cursor).
     *
     * @param id from 0 to {@link #size()} - 1.
     * @return the slot.
     */
    TopicSlot slotAt(final int id)
    {
        return slots.get(id);
    }

    /**
     * The publisher ended its session and its journal is complete: every topic has ended (a catch-up stream at a
     * topic's end then completes).
     */
    void endSession()
    {
        for (int i = 0; i < slots.size(); i++)
        {
            slots.get(i).ended = true;
        }
    }

    private static long packedHeader(final int blockLength, final int templateId)
    {
        return (blockLength & 0xFFFFL) | (templateId & 0xFFFFL) << 16 | (WireFormat.SCHEMA_ID & 0xFFFFL) << 32 |
            (WireFormat.SCHEMA_VERSION & 0xFFFFL) << 48;
    }
}
