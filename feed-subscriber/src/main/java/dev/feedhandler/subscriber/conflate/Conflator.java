package dev.feedhandler.subscriber.conflate;

import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.QuoteEncoder;
import dev.feedhandler.common.codec.TradeDecoder;
import dev.feedhandler.common.codec.TradeEncoder;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.Topic;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The rules of subscriber-side conflation, with no thread, clock or socket of its own: what arrived while the
 * listener was busy is folded in here, then taken out, one delivery at a time, when the listener is free.
 * <ul>
 *     <li><b>Quotes are merged</b>: a topic keeps only its newest pending quote, with the number of older quotes it
 *     replaced. Memory is one slot per topic, whatever the lag.</li>
 *     <li><b>Trades are never merged</b>: they wait in arrival order in a queue of at most {@code maxPendingTrades};
 *     past it a trade is dropped, counted per topic, and reported ({@link #TRADES_OMITTED}) before any later update
 *     of its topic: never silently.</li>
 *     <li><b>Each topic stays in sequence order</b>: a topic's quote is taken out only after the topic's trades that
 *     came before it, and an omission report after the trades before it.</li>
 *     <li><b>Prices first</b>: among what may go, quotes go first (oldest first), then omission reports, then trades
 *     in arrival order. When trades alone outrun the listener, a topic's quote waits for that topic's earlier trades:
 *     the bound on pending trades then bounds how old a price can get.</li>
 * </ul>
 * A conflated stream's message (the publisher's own conflation) folds in the same way: its quote replaces the older
 * ones it stands for, and its counted trades are reported as omitted (not dropped).
 * <p>
 * Taking out is a pull: {@link #next()} says what comes next and positions the accessors on it. Fold only between
 * complete drains (the listener's thread does both). Allocation-free, except when a topic id beyond the current
 * capacity appears.
 */
public final class Conflator
{
    /** {@link #next()}: nothing is pending. */
    public static final int NONE = 0;
    /** {@link #next()}: a topic's newest quote, with {@link #replaced()} older ones merged into it. */
    public static final int QUOTE = 1;
    /** {@link #next()}: a trade. */
    public static final int TRADE = 2;
    /** {@link #next()}: trades of a topic not delivered: {@link #dropped()} and {@link #counted()}. */
    public static final int TRADES_OMITTED = 3;

    private static final int INITIAL_TOPICS = 64;
    private static final int NIL = -1;

    private final int maxPendingTrades;

    private Topic[] topics = new Topic[INITIAL_TOPICS];

    // A topic's pending quote.
    private boolean[] quotePending = new boolean[INITIAL_TOPICS];
    private long[] quoteSequence = new long[INITIAL_TOPICS];
    private long[] quoteEpoch = new long[INITIAL_TOPICS];
    private long[] quoteSendNs = new long[INITIAL_TOPICS];
    private byte[] quoteDelivery = new byte[INITIAL_TOPICS];
    private long[] quoteStamp = new long[INITIAL_TOPICS];
    private long[] quoteReplaced = new long[INITIAL_TOPICS];
    private int[] quoteInstrument = new int[INITIAL_TOPICS];
    private long[] bidPrice = new long[INITIAL_TOPICS];
    private long[] bidSize = new long[INITIAL_TOPICS];
    private long[] askPrice = new long[INITIAL_TOPICS];
    private long[] askSize = new long[INITIAL_TOPICS];
    private long[] quoteSourceNs = new long[INITIAL_TOPICS];
    private int[] quoteBlockers = new int[INITIAL_TOPICS];
    private int[] quotePrev = filled(INITIAL_TOPICS);
    private int[] quoteNext = filled(INITIAL_TOPICS);
    private int quoteHead = NIL;
    private int quoteTail = NIL;

    // A topic's trades not delivered, reported together.
    private boolean[] omittedPending = new boolean[INITIAL_TOPICS];
    private long[] omittedDropped = new long[INITIAL_TOPICS];
    private long[] omittedCounted = new long[INITIAL_TOPICS];
    private long[] omittedUpTo = new long[INITIAL_TOPICS];
    private long[] omittedStamp = new long[INITIAL_TOPICS];
    private int[] omittedBlockers = new int[INITIAL_TOPICS];
    private int[] omittedPrev = filled(INITIAL_TOPICS);
    private int[] omittedNext = filled(INITIAL_TOPICS);
    private int omittedHead = NIL;
    private int omittedTail = NIL;

    // Trades of each topic in the queue.
    private int[] queuedTrades = new int[INITIAL_TOPICS];

    // The trade queue: a ring in arrival order.
    private final Topic[] tradeTopic;
    private final long[] tradeSequence;
    private final long[] tradeEpoch;
    private final long[] tradeSendNs;
    private final byte[] tradeDelivery;
    private final int[] tradeInstrument;
    private final short[] tradeSide;
    private final long[] tradePrice;
    private final long[] tradeSize;
    private final long[] tradeId;
    private final long[] tradeSourceNs;
    private int tradeHead;
    private int tradeCount;

    private long stamp;
    private long pendingQuotes;

    // The current item.
    private Topic topic;
    private long sequence;
    private long sessionEpoch;
    private long sendTimestampNs;
    private byte delivery;
    private long replaced;
    private long dropped;
    private long counted;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[WireFormat.MAX_UPDATE_LENGTH]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final QuoteEncoder quoteEncoder = new QuoteEncoder();
    private final TradeEncoder tradeEncoder = new TradeEncoder();
    private final QuoteDecoder quoteDecoder = new QuoteDecoder();
    private final TradeDecoder tradeDecoder = new TradeDecoder();

    /**
     * A conflator with a bound on trades waiting for the listener.
     *
     * @param maxPendingTrades most trades held, all topics together; past it trades are dropped and reported.
     */
    public Conflator(final int maxPendingTrades)
    {
        if (maxPendingTrades < 1)
        {
            throw new IllegalArgumentException("the bound on pending trades must be at least 1, was " +
                maxPendingTrades);
        }
        this.maxPendingTrades = maxPendingTrades;
        tradeTopic = new Topic[maxPendingTrades];
        tradeSequence = new long[maxPendingTrades];
        tradeEpoch = new long[maxPendingTrades];
        tradeSendNs = new long[maxPendingTrades];
        tradeDelivery = new byte[maxPendingTrades];
        tradeInstrument = new int[maxPendingTrades];
        tradeSide = new short[maxPendingTrades];
        tradePrice = new long[maxPendingTrades];
        tradeSize = new long[maxPendingTrades];
        tradeId = new long[maxPendingTrades];
        tradeSourceNs = new long[maxPendingTrades];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Folding in.
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * A quote arrived: it becomes its topic's pending quote, replacing (and counting) any older one.
     *
     * @param topic           the topic.
     * @param sequence        its sequence number.
     * @param sessionEpoch    its session.
     * @param sendTimestampNs when the publisher sent its batch.
     * @param delivery        how its batch arrived (a {@link dev.feedhandler.subscriber.Delivery} ordinal).
     * @param quote           the quote.
     * @param alsoReplaced    quotes it already stands for (a conflated stream's message), 0 for a plain quote.
     */
    public void quote(final Topic topic, final long sequence, final long sessionEpoch, final long sendTimestampNs,
        final byte delivery, final QuoteDecoder quote, final long alsoReplaced)
    {
        final int id = ensure(topic);
        if (quotePending[id])
        {
            quoteReplaced[id] += 1 + alsoReplaced;
            if (quoteBlockers[id] == 0)
            {
                unlinkQuote(id);
            }
        }
        else
        {
            quotePending[id] = true;
            quoteReplaced[id] = alsoReplaced;
            pendingQuotes++;
        }
        quoteSequence[id] = sequence;
        quoteEpoch[id] = sessionEpoch;
        quoteSendNs[id] = sendTimestampNs;
        quoteDelivery[id] = delivery;
        quoteStamp[id] = ++stamp;
        quoteInstrument[id] = quote.instrumentId();
        bidPrice[id] = quote.bidPrice().mantissa();
        bidSize[id] = quote.bidSize();
        askPrice[id] = quote.askPrice().mantissa();
        askSize[id] = quote.askSize();
        quoteSourceNs[id] = quote.sourceTimestampNs();
        // Every trade of the topic still queued came before this quote: it goes after them.
        quoteBlockers[id] = queuedTrades[id];
        if (quoteBlockers[id] == 0)
        {
            linkQuote(id);
        }
    }

    /**
     * A trade arrived: it is queued, or, with the queue full, dropped and counted for its topic's report.
     *
     * @param topic           the topic.
     * @param sequence        its sequence number.
     * @param sessionEpoch    its session.
     * @param sendTimestampNs when the publisher sent its batch.
     * @param delivery        how its batch arrived (a {@link dev.feedhandler.subscriber.Delivery} ordinal).
     * @param trade           the trade.
     * @return true if queued, false if dropped.
     */
    public boolean trade(final Topic topic, final long sequence, final long sessionEpoch, final long sendTimestampNs,
        final byte delivery, final TradeDecoder trade)
    {
        final int id = ensure(topic);
        if (tradeCount == maxPendingTrades)
        {
            omit(id, sequence, 1, true);
            return false;
        }
        int index = tradeHead + tradeCount;
        if (index >= maxPendingTrades)
        {
            index -= maxPendingTrades;
        }
        tradeCount++;
        queuedTrades[id]++;
        tradeTopic[index] = topic;
        tradeSequence[index] = sequence;
        tradeEpoch[index] = sessionEpoch;
        tradeSendNs[index] = sendTimestampNs;
        tradeDelivery[index] = delivery;
        tradeInstrument[index] = trade.instrumentId();
        tradeSide[index] = trade.aggressorSideRaw();
        tradePrice[index] = trade.price().mantissa();
        tradeSize[index] = trade.size();
        tradeId[index] = trade.tradeId();
        tradeSourceNs[index] = trade.sourceTimestampNs();
        return true;
    }

    /**
     * Trades that a conflated stream counted instead of sending: reported as omitted, not dropped.
     *
     * @param topic        the topic.
     * @param upToSequence the last update the stream's message covered.
     * @param trades       how many.
     */
    public void countedTrades(final Topic topic, final long upToSequence, final long trades)
    {
        if (trades > 0)
        {
            omit(ensure(topic), upToSequence, trades, false);
        }
    }

    private void omit(final int id, final long upToSequence, final long trades, final boolean drop)
    {
        if (!omittedPending[id])
        {
            omittedPending[id] = true;
            omittedStamp[id] = ++stamp;
            omittedBlockers[id] = queuedTrades[id];
            if (omittedBlockers[id] == 0)
            {
                linkOmitted(id);
            }
        }
        if (drop)
        {
            omittedDropped[id] += trades;
        }
        else
        {
            omittedCounted[id] += trades;
        }
        omittedUpTo[id] = Math.max(omittedUpTo[id], upToSequence);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Taking out.
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Whether nothing is pending.
     *
     * @return true when empty.
     */
    public boolean isEmpty()
    {
        return tradeCount == 0 && pendingQuotes == 0 && omittedHead == NIL;
    }

    /**
     * Quotes pending, one per topic at most.
     *
     * @return the count.
     */
    public long pendingQuotes()
    {
        return pendingQuotes;
    }

    /**
     * Trades queued.
     *
     * @return the count.
     */
    public int pendingTrades()
    {
        return tradeCount;
    }

    /**
     * Takes the next item out and positions the accessors on it.
     *
     * @return {@link #QUOTE}, {@link #TRADE}, {@link #TRADES_OMITTED}, or {@link #NONE} when empty.
     */
    public int next()
    {
        if (quoteHead != NIL)
        {
            final int id = quoteHead;
            if (omittedPending[id] && omittedBlockers[id] == 0 && omittedStamp[id] < quoteStamp[id])
            {
                // A report of the topic's trades that came before this quote goes first.
                unlinkOmitted(id);
                return takeOmitted(id);
            }
            unlinkQuote(id);
            return takeQuote(id);
        }
        if (omittedHead != NIL)
        {
            final int id = omittedHead;
            unlinkOmitted(id);
            return takeOmitted(id);
        }
        if (tradeCount > 0)
        {
            return takeTrade();
        }
        topic = null;
        return NONE;
    }

    private int takeQuote(final int id)
    {
        topic = topics[id];
        sequence = quoteSequence[id];
        sessionEpoch = quoteEpoch[id];
        sendTimestampNs = quoteSendNs[id];
        delivery = quoteDelivery[id];
        replaced = quoteReplaced[id];
        quotePending[id] = false;
        quoteReplaced[id] = 0;
        pendingQuotes--;
        quoteEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .instrumentId(quoteInstrument[id])
            .bidSize(bidSize[id])
            .askSize(askSize[id])
            .sourceTimestampNs(quoteSourceNs[id]);
        quoteEncoder.bidPrice().mantissa(bidPrice[id]);
        quoteEncoder.askPrice().mantissa(askPrice[id]);
        quoteDecoder.wrap(scratch, WireFormat.HEADER_LENGTH, QuoteEncoder.BLOCK_LENGTH, QuoteEncoder.SCHEMA_VERSION);
        return QUOTE;
    }

    private int takeOmitted(final int id)
    {
        topic = topics[id];
        sequence = omittedUpTo[id];
        dropped = omittedDropped[id];
        counted = omittedCounted[id];
        omittedPending[id] = false;
        omittedDropped[id] = 0;
        omittedCounted[id] = 0;
        omittedUpTo[id] = 0;
        return TRADES_OMITTED;
    }

    private int takeTrade()
    {
        final int index = tradeHead;
        tradeHead = index + 1 == maxPendingTrades ? 0 : index + 1;
        tradeCount--;
        topic = tradeTopic[index];
        tradeTopic[index] = null;
        sequence = tradeSequence[index];
        sessionEpoch = tradeEpoch[index];
        sendTimestampNs = tradeSendNs[index];
        delivery = tradeDelivery[index];
        tradeEncoder.wrapAndApplyHeader(scratch, 0, headerEncoder)
            .instrumentId(tradeInstrument[index])
            .size(tradeSize[index])
            .tradeId(tradeId[index])
            .sourceTimestampNs(tradeSourceNs[index]);
        tradeEncoder.price().mantissa(tradePrice[index]);
        // The side as it arrived, a value this version does not know included.
        scratch.putByte(WireFormat.HEADER_LENGTH + TradeEncoder.aggressorSideEncodingOffset(), (byte)tradeSide[index]);
        tradeDecoder.wrap(scratch, WireFormat.HEADER_LENGTH, TradeEncoder.BLOCK_LENGTH, TradeEncoder.SCHEMA_VERSION);
        final int id = topic.id();
        queuedTrades[id]--;
        // What waited for the topic's earlier trades may go now, first.
        if (omittedPending[id] && omittedBlockers[id] > 0 && --omittedBlockers[id] == 0)
        {
            linkOmittedFirst(id);
        }
        if (quotePending[id] && quoteBlockers[id] > 0 && --quoteBlockers[id] == 0)
        {
            linkQuoteFirst(id);
        }
        return TRADE;
    }

    /**
     * The current item's topic.
     *
     * @return the topic.
     */
    public Topic topic()
    {
        return topic;
    }

    /**
     * The current quote's or trade's sequence number; for {@link #TRADES_OMITTED}, the sequence number up to which
     * the topic's updates are accounted for.
     *
     * @return the sequence number.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * The current quote's or trade's session.
     *
     * @return the epoch.
     */
    public long sessionEpoch()
    {
        return sessionEpoch;
    }

    /**
     * When the publisher sent the batch of the current quote or trade.
     *
     * @return epoch nanoseconds.
     */
    public long sendTimestampNs()
    {
        return sendTimestampNs;
    }

    /**
     * How the current quote's or trade's batch arrived.
     *
     * @return a {@link dev.feedhandler.subscriber.Delivery} ordinal.
     */
    public byte delivery()
    {
        return delivery;
    }

    /**
     * Older quotes the current quote replaced.
     *
     * @return the count.
     */
    public long replaced()
    {
        return replaced;
    }

    /**
     * Trades of the current report dropped past the bound.
     *
     * @return the count.
     */
    public long dropped()
    {
        return dropped;
    }

    /**
     * Trades of the current report that a conflated stream counted.
     *
     * @return the count.
     */
    public long counted()
    {
        return counted;
    }

    /**
     * The current quote.
     *
     * @return a decoder over it, valid until the next call.
     */
    public QuoteDecoder quoteDecoder()
    {
        return quoteDecoder;
    }

    /**
     * The current trade.
     *
     * @return a decoder over it, valid until the next call.
     */
    public TradeDecoder tradeDecoder()
    {
        return tradeDecoder;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lists and capacity.
    // ---------------------------------------------------------------------------------------------------------------

    private void linkQuote(final int id)
    {
        quotePrev[id] = quoteTail;
        quoteNext[id] = NIL;
        if (quoteTail == NIL)
        {
            quoteHead = id;
        }
        else
        {
            quoteNext[quoteTail] = id;
        }
        quoteTail = id;
    }

    private void linkQuoteFirst(final int id)
    {
        quotePrev[id] = NIL;
        quoteNext[id] = quoteHead;
        if (quoteHead == NIL)
        {
            quoteTail = id;
        }
        else
        {
            quotePrev[quoteHead] = id;
        }
        quoteHead = id;
    }

    private void unlinkQuote(final int id)
    {
        final int prev = quotePrev[id];
        final int next = quoteNext[id];
        if (prev == NIL)
        {
            quoteHead = next;
        }
        else
        {
            quoteNext[prev] = next;
        }
        if (next == NIL)
        {
            quoteTail = prev;
        }
        else
        {
            quotePrev[next] = prev;
        }
        quotePrev[id] = NIL;
        quoteNext[id] = NIL;
    }

    private void linkOmitted(final int id)
    {
        omittedPrev[id] = omittedTail;
        omittedNext[id] = NIL;
        if (omittedTail == NIL)
        {
            omittedHead = id;
        }
        else
        {
            omittedNext[omittedTail] = id;
        }
        omittedTail = id;
    }

    private void linkOmittedFirst(final int id)
    {
        omittedPrev[id] = NIL;
        omittedNext[id] = omittedHead;
        if (omittedHead == NIL)
        {
            omittedTail = id;
        }
        else
        {
            omittedPrev[omittedHead] = id;
        }
        omittedHead = id;
    }

    private void unlinkOmitted(final int id)
    {
        final int prev = omittedPrev[id];
        final int next = omittedNext[id];
        if (prev == NIL)
        {
            omittedHead = next;
        }
        else
        {
            omittedNext[prev] = next;
        }
        if (next == NIL)
        {
            omittedTail = prev;
        }
        else
        {
            omittedPrev[next] = prev;
        }
        omittedPrev[id] = NIL;
        omittedNext[id] = NIL;
    }

    private int ensure(final Topic newTopic)
    {
        final int id = newTopic.id();
        if (id >= topics.length)
        {
            grow(Math.max(id + 1, topics.length * 2));
        }
        topics[id] = newTopic;
        return id;
    }

    private void grow(final int capacity)
    {
        // Cold path: a topic id beyond every one seen before.
        topics = Arrays.copyOf(topics, capacity);
        quotePending = Arrays.copyOf(quotePending, capacity);
        quoteSequence = Arrays.copyOf(quoteSequence, capacity);
        quoteEpoch = Arrays.copyOf(quoteEpoch, capacity);
        quoteSendNs = Arrays.copyOf(quoteSendNs, capacity);
        quoteDelivery = Arrays.copyOf(quoteDelivery, capacity);
        quoteStamp = Arrays.copyOf(quoteStamp, capacity);
        quoteReplaced = Arrays.copyOf(quoteReplaced, capacity);
        quoteInstrument = Arrays.copyOf(quoteInstrument, capacity);
        bidPrice = Arrays.copyOf(bidPrice, capacity);
        bidSize = Arrays.copyOf(bidSize, capacity);
        askPrice = Arrays.copyOf(askPrice, capacity);
        askSize = Arrays.copyOf(askSize, capacity);
        quoteSourceNs = Arrays.copyOf(quoteSourceNs, capacity);
        quoteBlockers = Arrays.copyOf(quoteBlockers, capacity);
        quotePrev = grown(quotePrev, capacity);
        quoteNext = grown(quoteNext, capacity);
        omittedPending = Arrays.copyOf(omittedPending, capacity);
        omittedDropped = Arrays.copyOf(omittedDropped, capacity);
        omittedCounted = Arrays.copyOf(omittedCounted, capacity);
        omittedUpTo = Arrays.copyOf(omittedUpTo, capacity);
        omittedStamp = Arrays.copyOf(omittedStamp, capacity);
        omittedBlockers = Arrays.copyOf(omittedBlockers, capacity);
        omittedPrev = grown(omittedPrev, capacity);
        omittedNext = grown(omittedNext, capacity);
        queuedTrades = Arrays.copyOf(queuedTrades, capacity);
    }

    private static int[] filled(final int capacity)
    {
        final int[] array = new int[capacity];
        Arrays.fill(array, NIL);
        return array;
    }

    private static int[] grown(final int[] array, final int capacity)
    {
        final int[] copy = Arrays.copyOf(array, capacity);
        Arrays.fill(copy, array.length, capacity, NIL);
        return copy;
    }
}
