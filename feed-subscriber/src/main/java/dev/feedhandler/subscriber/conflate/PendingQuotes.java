package dev.feedhandler.subscriber.conflate;

import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.QuoteEncoder;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

/**
 * The {@link Conflator}'s merged quotes: one slot per topic holding its newest pending quote and the number of older
 * ones it replaced, and the order in which the quotes free to go are taken out (oldest first). A topic's quote is not
 * free while trades of the topic that came before it are still queued: it waits for that many trades to be taken out,
 * then goes first. Allocation-free, except to grow for a topic id beyond the capacity.
 */
final class PendingQuotes
{
    private boolean[] pending;
    private long[] sequence;
    private long[] sessionEpoch;
    private long[] sendTimestampNs;
    private byte[] delivery;
    private long[] stamp;
    private long[] replaced;
    private int[] instrumentId;
    private long[] bidPrice;
    private long[] bidSize;
    private long[] askPrice;
    private long[] askSize;
    private long[] sourceTimestampNs;
    private int[] blockers;
    private final TopicOrder free;
    private long count;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final QuoteEncoder quoteEncoder = new QuoteEncoder();

    PendingQuotes(final int capacity)
    {
        pending = new boolean[capacity];
        sequence = new long[capacity];
        sessionEpoch = new long[capacity];
        sendTimestampNs = new long[capacity];
        delivery = new byte[capacity];
        stamp = new long[capacity];
        replaced = new long[capacity];
        instrumentId = new int[capacity];
        bidPrice = new long[capacity];
        bidSize = new long[capacity];
        askPrice = new long[capacity];
        askSize = new long[capacity];
        sourceTimestampNs = new long[capacity];
        blockers = new int[capacity];
        free = new TopicOrder(capacity);
    }

    /**
     * A quote arrived: it becomes its topic's pending quote, replacing (and counting) any older one, and goes after
     * the topic's trades still queued.
     *
     * @param id             the topic's id.
     * @param seq            its sequence number.
     * @param epoch          its session.
     * @param sendNs         when the publisher sent its batch.
     * @param how            how its batch arrived (a {@link dev.feedhandler.subscriber.Delivery} ordinal).
     * @param quote          the quote.
     * @param alsoReplaced   quotes it already stands for (a conflated stream's message), 0 for a plain quote.
     * @param arrival        its place in the order of arrival of everything the conflator holds.
     * @param earlierTrades  trades of the topic still queued, all of which came before it.
     */
    void put(
        final int id, final long seq, final long epoch, final long sendNs, final byte how, final QuoteDecoder quote,
        final long alsoReplaced, final long arrival, final int earlierTrades)
    {
        if (pending[id])
        {
            replaced[id] += 1 + alsoReplaced;
            if (blockers[id] == 0)
            {
                free.remove(id);
            }
        }
        else
        {
            pending[id] = true;
            replaced[id] = alsoReplaced;
            count++;
        }
        sequence[id] = seq;
        sessionEpoch[id] = epoch;
        sendTimestampNs[id] = sendNs;
        delivery[id] = how;
        stamp[id] = arrival;
        instrumentId[id] = quote.instrumentId();
        bidPrice[id] = quote.bidPrice().mantissa();
        bidSize[id] = quote.bidSize();
        askPrice[id] = quote.askPrice().mantissa();
        askSize[id] = quote.askSize();
        sourceTimestampNs[id] = quote.sourceTimestampNs();
        blockers[id] = earlierTrades;
        if (earlierTrades == 0)
        {
            free.addLast(id);
        }
    }

    /**
     * A trade of the topic was taken out: a quote that waited for it (and no other) may go now, before the others.
     *
     * @param id the topic's id.
     */
    void onTradeTaken(final int id)
    {
        if (pending[id] && blockers[id] > 0 && --blockers[id] == 0)
        {
            free.addFirst(id);
        }
    }

    /**
     * Quotes pending, one per topic at most.
     *
     * @return the count.
     */
    long count()
    {
        return count;
    }

    /**
     * The topic whose quote goes next.
     *
     * @return its id, or {@link TopicOrder#NIL} when no quote is free to go.
     */
    int next()
    {
        return free.head();
    }

    /**
     * When the topic's pending quote arrived, relative to everything else the conflator holds.
     *
     * @param id the topic's id.
     * @return its arrival stamp.
     */
    long stamp(final int id)
    {
        return stamp[id];
    }

    long sequence(final int id)
    {
        return sequence[id];
    }

    long sessionEpoch(final int id)
    {
        return sessionEpoch[id];
    }

    long sendTimestampNs(final int id)
    {
        return sendTimestampNs[id];
    }

    byte delivery(final int id)
    {
        return delivery[id];
    }

    long replaced(final int id)
    {
        return replaced[id];
    }

    /**
     * Takes the topic's quote out (read its fields first) and encodes it, with a message header, into a buffer.
     *
     * @param id     the topic's id, the one {@link #next()} returned.
     * @param buffer where the quote goes, at offset 0.
     */
    void take(final int id, final MutableDirectBuffer buffer)
    {
        free.remove(id);
        pending[id] = false;
        replaced[id] = 0;
        count--;
        quoteEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .instrumentId(instrumentId[id])
            .bidSize(bidSize[id])
            .askSize(askSize[id])
            .sourceTimestampNs(sourceTimestampNs[id]);
        quoteEncoder.bidPrice().mantissa(bidPrice[id]);
        quoteEncoder.askPrice().mantissa(askPrice[id]);
    }

    /**
     * Makes room for topic ids below a new capacity (the cold path).
     *
     * @param capacity the new capacity, larger than the current one.
     */
    void grow(final int capacity)
    {
        pending = Arrays.copyOf(pending, capacity);
        sequence = Arrays.copyOf(sequence, capacity);
        sessionEpoch = Arrays.copyOf(sessionEpoch, capacity);
        sendTimestampNs = Arrays.copyOf(sendTimestampNs, capacity);
        delivery = Arrays.copyOf(delivery, capacity);
        stamp = Arrays.copyOf(stamp, capacity);
        replaced = Arrays.copyOf(replaced, capacity);
        instrumentId = Arrays.copyOf(instrumentId, capacity);
        bidPrice = Arrays.copyOf(bidPrice, capacity);
        bidSize = Arrays.copyOf(bidSize, capacity);
        askPrice = Arrays.copyOf(askPrice, capacity);
        askSize = Arrays.copyOf(askSize, capacity);
        sourceTimestampNs = Arrays.copyOf(sourceTimestampNs, capacity);
        blockers = Arrays.copyOf(blockers, capacity);
        free.grow(capacity);
    }
}
