package dev.feedhandler.subscriber.conflate;

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
 * deliveries, never while an item taken out is being delivered (the listener's thread does both). Allocation-free,
 * except when a topic id beyond the current capacity appears.
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

    private Topic[] topics = new Topic[INITIAL_TOPICS];
    private final PendingQuotes quotes = new PendingQuotes(INITIAL_TOPICS);
    private final OmittedTrades omitted = new OmittedTrades(INITIAL_TOPICS);
    private final TradeQueue trades;
    private long stamp;

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
        trades = new TradeQueue(maxPendingTrades, INITIAL_TOPICS);
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
        // Every trade of the topic still queued came before this quote: it goes after them.
        quotes.put(id, sequence, sessionEpoch, sendTimestampNs, delivery, quote, alsoReplaced, ++stamp,
            trades.queued(id));
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
        if (trades.isFull())
        {
            omit(id, sequence, 1, true);
            return false;
        }
        trades.add(topic, sequence, sessionEpoch, sendTimestampNs, delivery, trade);
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

    private void omit(final int id, final long upToSequence, final long count, final boolean drop)
    {
        // The stamp counts only in the order of arrival: one not used for a report already pending does no harm.
        omitted.add(id, upToSequence, count, drop, ++stamp, trades.queued(id));
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
        return trades.count() == 0 && quotes.count() == 0 && omitted.isEmpty();
    }

    /**
     * Quotes pending, one per topic at most.
     *
     * @return the count.
     */
    public long pendingQuotes()
    {
        return quotes.count();
    }

    /**
     * Trades queued.
     *
     * @return the count.
     */
    public int pendingTrades()
    {
        return trades.count();
    }

    /**
     * Takes the next item out and positions the accessors on it.
     *
     * @return {@link #QUOTE}, {@link #TRADE}, {@link #TRADES_OMITTED}, or {@link #NONE} when empty.
     */
    public int next()
    {
        final int quoteId = quotes.next();
        if (quoteId != TopicOrder.NIL)
        {
            if (omitted.isFreeBefore(quoteId, quotes.stamp(quoteId)))
            {
                // A report of the topic's trades that came before this quote goes first.
                return takeOmitted(quoteId);
            }
            return takeQuote(quoteId);
        }
        final int omittedId = omitted.next();
        if (omittedId != TopicOrder.NIL)
        {
            return takeOmitted(omittedId);
        }
        if (trades.count() > 0)
        {
            return takeTrade();
        }
        topic = null;
        return NONE;
    }

    private int takeQuote(final int id)
    {
        topic = topics[id];
        sequence = quotes.sequence(id);
        sessionEpoch = quotes.sessionEpoch(id);
        sendTimestampNs = quotes.sendTimestampNs(id);
        delivery = quotes.delivery(id);
        replaced = quotes.replaced(id);
        quotes.take(id, scratch);
        quoteDecoder.wrap(scratch, WireFormat.HEADER_LENGTH, QuoteEncoder.BLOCK_LENGTH, QuoteEncoder.SCHEMA_VERSION);
        return QUOTE;
    }

    private int takeOmitted(final int id)
    {
        topic = topics[id];
        sequence = omitted.upToSequence(id);
        dropped = omitted.dropped(id);
        counted = omitted.counted(id);
        omitted.take(id);
        return TRADES_OMITTED;
    }

    private int takeTrade()
    {
        final int index = trades.oldest();
        topic = trades.topic(index);
        sequence = trades.sequence(index);
        sessionEpoch = trades.sessionEpoch(index);
        sendTimestampNs = trades.sendTimestampNs(index);
        delivery = trades.delivery(index);
        trades.removeOldest(scratch);
        tradeDecoder.wrap(scratch, WireFormat.HEADER_LENGTH, TradeEncoder.BLOCK_LENGTH, TradeEncoder.SCHEMA_VERSION);
        final int id = topic.id();
        // What waited for the topic's earlier trades may go now, first.
        omitted.onTradeTaken(id);
        quotes.onTradeTaken(id);
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
    // Capacity.
    // ---------------------------------------------------------------------------------------------------------------

    private int ensure(final Topic newTopic)
    {
        final int id = newTopic.id();
        if (id >= topics.length)
        {
            // Cold path: a topic id beyond every one seen before.
            final int capacity = Math.max(id + 1, topics.length * 2);
            topics = Arrays.copyOf(topics, capacity);
            quotes.grow(capacity);
            omitted.grow(capacity);
            trades.growTopics(capacity);
        }
        topics[id] = newTopic;
        return id;
    }
}
