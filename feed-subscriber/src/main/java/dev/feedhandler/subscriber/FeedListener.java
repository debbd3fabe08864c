package dev.feedhandler.subscriber;

/**
 * The callbacks a trading process implements. All run on one thread (the ring's consumer thread), in order: for
 * each topic, updates arrive in sequence order and exactly once. Views are valid only during the call. A
 * listener that throws is counted and logged, and the next event is delivered.
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
     * Updates of a topic are missing: from {@code fromSequence} to {@code toSequence} inclusive.
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
}
