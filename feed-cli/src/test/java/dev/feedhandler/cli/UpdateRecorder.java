package dev.feedhandler.cli;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.price.Prices;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records what a subscriber receives, per topic, formatted like {@link ExpectedFeed}; counts gaps; signals the
 * end of the publisher's session.
 */
class UpdateRecorder implements FeedListener
{
    private final Map<String, List<String>> byTopic = new ConcurrentHashMap<>();
    private final AtomicLong gaps = new AtomicLong();
    private final CountDownLatch sessionEnded = new CountDownLatch(1);
    private final List<Long> sourceTimestampsOutOfOrder = new ArrayList<>();

    static String quote(final String prefix, final long bid, final long bidSize, final long ask, final long askSize)
    {
        return prefix + " Q " + Prices.toString(bid) + "x" + bidSize + " " + Prices.toString(ask) + "x" + askSize;
    }

    static String trade(final String prefix, final AggressorSide side, final long price, final long size,
        final long tradeId)
    {
        return prefix + " T " + side + " " + Prices.toString(price) + "x" + size + " #" + tradeId;
    }

    @Override
    public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
    {
        record(topic, quote(topic.symbol() + " " + sequence + " " + quote.instrumentId(),
            quote.bidPrice(), quote.bidSize(), quote.askPrice(), quote.askSize()), quote.sourceTimestampNs());
    }

    @Override
    public void onTrade(final Topic topic, final long sequence, final TradeView trade)
    {
        record(topic, trade(topic.symbol() + " " + sequence + " " + trade.instrumentId(),
            trade.side(), trade.price(), trade.size(), trade.tradeId()), trade.sourceTimestampNs());
    }

    private void record(final Topic topic, final String update, final long timestamp)
    {
        byTopic.computeIfAbsent(topic.symbol(), k -> new ArrayList<>()).add(update);
        if (timestamp <= 0)
        {
            sourceTimestampsOutOfOrder.add(timestamp);
        }
    }

    @Override
    public void onGap(final Topic topic, final long fromSequence, final long toSequence, final boolean unrecoverable)
    {
        gaps.incrementAndGet();
    }

    @Override
    public void onSessionEnd(final long sessionEpoch)
    {
        sessionEnded.countDown();
    }

    Map<String, List<String>> byTopic()
    {
        return byTopic;
    }

    long gaps()
    {
        return gaps.get();
    }

    CountDownLatch sessionEnded()
    {
        return sessionEnded;
    }

    List<Long> badTimestamps()
    {
        return sourceTimestampsOutOfOrder;
    }
}
