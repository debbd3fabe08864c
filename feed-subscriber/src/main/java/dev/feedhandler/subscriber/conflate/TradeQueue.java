package dev.feedhandler.subscriber.conflate;

import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.TradeDecoder;
import dev.feedhandler.common.codec.TradeEncoder;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.Topic;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * The {@link Conflator}'s trades waiting for the listener: a bounded ring in arrival order, all topics together, with
 * the number each topic has in it (what a later quote or report of the topic must wait for). Allocation-free, except
 * to grow the per-topic counts for a topic id beyond the capacity.
 */
final class TradeQueue
{
    private final int capacity;
    private final Topic[] topic;
    private final long[] sequence;
    private final long[] sessionEpoch;
    private final long[] sendTimestampNs;
    private final byte[] delivery;
    private final int[] instrumentId;
    private final short[] side;
    private final long[] price;
    private final long[] size;
    private final long[] tradeId;
    private final long[] sourceTimestampNs;
    private int head;
    private int count;
    private int[] queuedPerTopic;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final TradeEncoder tradeEncoder = new TradeEncoder();

    TradeQueue(final int capacity, final int topicCapacity)
    {
        this.capacity = capacity;
        topic = new Topic[capacity];
        sequence = new long[capacity];
        sessionEpoch = new long[capacity];
        sendTimestampNs = new long[capacity];
        delivery = new byte[capacity];
        instrumentId = new int[capacity];
        side = new short[capacity];
        price = new long[capacity];
        size = new long[capacity];
        tradeId = new long[capacity];
        sourceTimestampNs = new long[capacity];
        queuedPerTopic = new int[topicCapacity];
    }

    /**
     * Trades queued.
     *
     * @return the count.
     */
    int count()
    {
        return count;
    }

    /**
     * Whether the queue holds as many trades as it can.
     *
     * @return true when full.
     */
    boolean isFull()
    {
        return count == capacity;
    }

    /**
     * Trades of a topic queued.
     *
     * @param id the topic's id.
     * @return the count.
     */
    int queued(final int id)
    {
        return queuedPerTopic[id];
    }

    /**
     * Queues a trade at the end; the queue must not be full.
     *
     * @param of     the topic.
     * @param seq    its sequence number.
     * @param epoch  its session.
     * @param sendNs when the publisher sent its batch.
     * @param how    how its batch arrived (a {@link dev.feedhandler.subscriber.Delivery} ordinal).
     * @param trade  the trade.
     */
    void add(
        final Topic of, final long seq, final long epoch, final long sendNs, final byte how, final TradeDecoder trade)
    {
        int index = head + count;
        if (index >= capacity)
        {
            index -= capacity;
        }
        count++;
        queuedPerTopic[of.id()]++;
        topic[index] = of;
        sequence[index] = seq;
        sessionEpoch[index] = epoch;
        sendTimestampNs[index] = sendNs;
        delivery[index] = how;
        instrumentId[index] = trade.instrumentId();
        side[index] = trade.aggressorSideRaw();
        price[index] = trade.price().mantissa();
        size[index] = trade.size();
        tradeId[index] = trade.tradeId();
        sourceTimestampNs[index] = trade.sourceTimestampNs();
    }

    /**
     * Where the oldest trade is, to read its fields before {@link #removeOldest}.
     *
     * @return its index; the queue must not be empty.
     */
    int oldest()
    {
        return head;
    }

    Topic topic(final int index)
    {
        return topic[index];
    }

    long sequence(final int index)
    {
        return sequence[index];
    }

    long sessionEpoch(final int index)
    {
        return sessionEpoch[index];
    }

    long sendTimestampNs(final int index)
    {
        return sendTimestampNs[index];
    }

    byte delivery(final int index)
    {
        return delivery[index];
    }

    /**
     * Takes the oldest trade out and encodes it, with a message header, into a buffer.
     *
     * @param buffer where the trade goes, at offset 0.
     */
    void removeOldest(final MutableDirectBuffer buffer)
    {
        final int index = head;
        head = index + 1 == capacity ? 0 : index + 1;
        count--;
        queuedPerTopic[topic[index].id()]--;
        topic[index] = null;
        tradeEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .instrumentId(instrumentId[index])
            .size(size[index])
            .tradeId(tradeId[index])
            .sourceTimestampNs(sourceTimestampNs[index]);
        tradeEncoder.price().mantissa(price[index]);
        // The side as it arrived, a value this version does not know included.
        buffer.putByte(WireFormat.HEADER_LENGTH + TradeEncoder.aggressorSideEncodingOffset(), (byte)side[index]);
    }

    /**
     * Makes room for topic ids below a new capacity (the cold path).
     *
     * @param topicCapacity the new capacity, larger than the current one.
     */
    void growTopics(final int topicCapacity)
    {
        queuedPerTopic = Arrays.copyOf(queuedPerTopic, topicCapacity);
    }
}
