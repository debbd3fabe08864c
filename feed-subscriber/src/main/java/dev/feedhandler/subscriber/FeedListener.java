package dev.feedhandler.subscriber;

/**
 * The callbacks a trading process implements. All run on one thread (the ring's consumer thread), in order: for
 * each topic, updates arrive in sequence order and exactly once. Views are valid only during the call. A
 * listener that throws is counted and logged, and the next event is delivered.
 * <p>
 * With a recovery service, what the feed loses is fetched again and delivered in its place, in order (updates of the
 * topic that arrive meanwhile are held back, other topics keep flowing); a late joiner, or a topic whose publisher
 * restarted, starts from a snapshot ({@link #onSnapshot}). What cannot be recovered is reported, never skipped
 * silently: {@link #onGap} with {@code unrecoverable} true, and {@link #onSessionLost} for the unknown end of a
 * session the publisher did not end. Without a recovery service every gap is unrecoverable at once.
 * <p>
 * With conflation ({@link SubscriberBuilder#conflate}, or a publisher's conflated stream) a topic's quotes may reach
 * the listener merged: {@link #onConflatedQuote} delivers the newest with the number of older ones it replaced, which
 * were never delivered; trades that are not delivered one by one are reported by {@link #onTradesOmitted}. Either way
 * every update of a topic is delivered, merged into a later quote, or counted: none goes unreported.
 */
public interface FeedListener
{
    /**
     * A quote.
     *
     * @param topic    the topic (instrument symbol).
     * @param sequence the update's sequence number in its topic.
     * @param quote    a view of the quote, valid during this call.
     */
    void onQuote(Topic topic, long sequence, QuoteView quote);

    /**
     * A trade.
     *
     * @param topic    the topic (instrument symbol).
     * @param sequence the update's sequence number in its topic.
     * @param trade    a view of the trade, valid during this call.
     */
    void onTrade(Topic topic, long sequence, TradeView trade);

    /**
     * A quote that stands for older quotes of its topic: conflation merged them into it while the listener was
     * behind (or the publisher's conflated stream did, per interval). The {@code replaced} older quotes are never
     * delivered; this one is the topic's newest. By default it is handed to {@link #onQuote}, so a listener that keeps
     * the last quote per topic needs nothing more.
     *
     * @param topic    the topic.
     * @param sequence the quote's sequence number in its topic.
     * @param quote    a view of the quote, valid during this call.
     * @param replaced older quotes of the topic merged into this one (at least 1).
     */
    default void onConflatedQuote(final Topic topic, final long sequence, final QuoteView quote, final long replaced)
    {
        onQuote(topic, sequence, quote);
    }

    /**
     * Trades of a topic, up to {@code upToSequence}, that are not delivered one by one: the publisher's conflated
     * stream counts an interval's trades instead of sending them ({@code dropped} false), or this subscriber dropped
     * them because more trades were waiting for a slow listener than its bound allows ({@code dropped} true). Called
     * before any later update of the topic; the trades delivered are always in order.
     *
     * @param topic        the topic.
     * @param upToSequence the sequence number up to which the topic's updates are accounted for.
     * @param trades       how many trades.
     * @param dropped      true if this subscriber dropped them (past its bound), false if the publisher counted them.
     */
    default void onTradesOmitted(final Topic topic, final long upToSequence, final long trades, final boolean dropped)
    {
    }

    /**
     * Updates of a topic are missing: from {@code fromSequence} to {@code toSequence} inclusive.
     * <p>
     * With {@code unrecoverable} false, recovery is under way: the missing updates follow, in order, before any later
     * update of the topic (those are held back meanwhile); whatever part of them the recovery service cannot provide
     * is reported again, with {@code unrecoverable} true, in its place. With {@code unrecoverable} true the updates are
     * lost for good: the next update of the topic is {@code toSequence + 1}.
     *
     * @param topic         the topic.
     * @param fromSequence  first missing sequence number.
     * @param toSequence    last missing sequence number.
     * @param unrecoverable true if they are lost for good; false if recovery is under way and they will be delivered.
     */
    default void onGap(Topic topic, long fromSequence, long toSequence, boolean unrecoverable)
    {
    }

    /**
     * A batch of a topic starts; its updates follow.
     *
     * @param topic           the topic.
     * @param sessionEpoch    the publisher session.
     * @param firstSequence   sequence number of the first update delivered from this batch.
     * @param updateCount     updates that will be delivered from this batch.
     * @param sendTimestampNs when the publisher sent the batch, epoch nanoseconds.
     */
    default void onBatchStart(
        Topic topic, long sessionEpoch, long firstSequence, int updateCount, long sendTimestampNs)
    {
    }

    /**
     * A batch of a topic starts, with how it got here (the subscriber calls this one; by default it calls
     * {@link #onBatchStart(Topic, long, long, int, long)}).
     *
     * @param topic           the topic.
     * @param sessionEpoch    the publisher session.
     * @param firstSequence   sequence number of the first update delivered from this batch.
     * @param updateCount     updates that will be delivered from this batch.
     * @param sendTimestampNs when the publisher first sent the batch, epoch nanoseconds (for a recovered batch, when
     *                        it was sent on the feed and lost).
     * @param delivery        live, recovered, or held back behind a recovery.
     */
    default void onBatchStart(
        Topic topic, long sessionEpoch, long firstSequence, int updateCount, long sendTimestampNs, Delivery delivery)
    {
        onBatchStart(topic, sessionEpoch, firstSequence, updateCount, sendTimestampNs);
    }

    /**
     * The batch started by the last {@link #onBatchStart} is complete: a moment to act on a consistent view.
     *
     * @param topic the topic.
     */
    default void onBatchEnd(Topic topic)
    {
    }

    /**
     * The publisher said a topic has ended for this session (it stopped gracefully).
     *
     * @param topic        the topic.
     * @param lastSequence the topic's last sequence number in the session.
     */
    default void onTopicEnd(Topic topic, long lastSequence)
    {
    }

    /**
     * The publisher ended its session gracefully; everything it sent before has been delivered.
     *
     * @param sessionEpoch the session that ended.
     */
    default void onSessionEnd(long sessionEpoch)
    {
    }

    /**
     * A topic starts from the publisher's last value instead of from its first update (the Clone pattern of the
     * ZeroMQ guide): the subscriber joined late, or the publisher restarted and the topic's first updates of the new
     * session were missed. The next update delivered is {@code lastSequence + 1}. By default it hands the quote to
     * {@link #onQuote}, so a listener that keeps the last quote per topic needs nothing more.
     *
     * @param topic         the topic.
     * @param sessionEpoch  the publisher session.
     * @param lastSequence  sequence number of the topic's last update at the publisher (0 if none yet).
     * @param quoteSequence sequence number of {@code quote}, at most {@code lastSequence} (later updates were
     *                      trades), 0 if there is no quote.
     * @param quote         the topic's last quote, valid during this call, or null if it has none yet.
     */
    default void onSnapshot(Topic topic, long sessionEpoch, long lastSequence, long quoteSequence, QuoteView quote)
    {
        if (quote != null)
        {
            onQuote(topic, quoteSequence, quote);
        }
    }

    /**
     * The feed is stale: nothing at all (no update, heartbeat or session status) has arrived for three heartbeat
     * intervals (the Paranoid Pirate pattern). The publisher or the network is down; {@link #onLive()} follows when
     * anything arrives again.
     */
    default void onStale()
    {
    }

    /**
     * The feed is live again after {@link #onStale()}. If the publisher restarted, each topic resynchronises on the
     * new session (what can still be fetched of the old one first, then a snapshot or the new session from 1).
     */
    default void onLive()
    {
    }

    /**
     * A publisher session ended without saying so (the publisher crashed or was killed) and the topic has moved to a
     * newer one. Everything the recovery service could still provide of the old session has been delivered before
     * this call; whether the publisher sent anything after {@code lastSequence} is unknown.
     *
     * @param topic        the topic.
     * @param sessionEpoch the session that was lost.
     * @param lastSequence the last update of the topic delivered from it.
     */
    default void onSessionLost(Topic topic, long sessionEpoch, long lastSequence)
    {
    }
}
