package dev.feedhandler.subscriber;

import dev.feedhandler.common.price.Prices;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records every listener call as a line of text, for tests to compare.
 */
public final class RecordingListener implements FeedListener
{
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessionEnds = new AtomicInteger();

    @Override
    public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
    {
        events.add(topic.symbol() + " Q " + sequence + " " + quote.instrumentId() + " " +
            Prices.toString(quote.bidPrice()) + "x" + quote.bidSize() + " " +
            Prices.toString(quote.askPrice()) + "x" + quote.askSize() + " @" + quote.sourceTimestampNs());
    }

    @Override
    public void onTrade(final Topic topic, final long sequence, final TradeView trade)
    {
        events.add(topic.symbol() + " T " + sequence + " " + trade.instrumentId() + " " + trade.side() + " " +
            Prices.toString(trade.price()) + "x" + trade.size() + " #" + trade.tradeId() + " @" +
            trade.sourceTimestampNs());
    }

    @Override
    public void onGap(final Topic topic, final long fromSequence, final long toSequence, final boolean unrecoverable)
    {
        events.add(topic.symbol() + " GAP " + fromSequence + ".." + toSequence + (unrecoverable ? " lost" : ""));
    }

    @Override
    public void onBatchStart(final Topic topic, final long sessionEpoch, final long firstSequence,
        final int updateCount, final long sendTimestampNs, final Delivery delivery)
    {
        if (delivery != Delivery.LIVE)
        {
            events.add(topic.symbol() + " " + delivery + " " + firstSequence + "+" + updateCount);
        }
    }

    @Override
    public void onSnapshot(final Topic topic, final long sessionEpoch, final long lastSequence,
        final long quoteSequence, final QuoteView quote)
    {
        events.add(topic.symbol() + " SNAPSHOT " + lastSequence + (quote == null ? "" : " quote " + quoteSequence +
            " " + Prices.toString(quote.bidPrice())));
    }

    @Override
    public void onStale()
    {
        events.add("STALE");
    }

    @Override
    public void onLive()
    {
        events.add("LIVE");
    }

    @Override
    public void onSessionLost(final Topic topic, final long sessionEpoch, final long lastSequence)
    {
        events.add(topic.symbol() + " LOST " + sessionEpoch + " after " + lastSequence);
    }

    @Override
    public void onTopicEnd(final Topic topic, final long lastSequence)
    {
        events.add(topic.symbol() + " END " + lastSequence);
    }

    @Override
    public void onSessionEnd(final long sessionEpoch)
    {
        sessionEnds.incrementAndGet();
        events.add("SESSION END " + sessionEpoch);
    }

    /**
     * Every event so far.
     *
     * @return a snapshot.
     */
    public List<String> events()
    {
        return new ArrayList<>(events);
    }

    /**
     * Events of one kind marker (" Q ", " T ", " GAP ").
     *
     * @param marker substring to match.
     * @return matching events.
     */
    public List<String> eventsWith(final String marker)
    {
        final List<String> matching = new ArrayList<>();
        for (final String event : events)
        {
            if (event.contains(marker))
            {
                matching.add(event);
            }
        }
        return matching;
    }

    /**
     * Session ends seen.
     *
     * @return the count.
     */
    public int sessionEnds()
    {
        return sessionEnds.get();
    }
}
