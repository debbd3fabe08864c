package dev.feedhandler.cli.subscribe;

import dev.feedhandler.common.price.Prices;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;

import java.io.PrintStream;

/**
 * What {@code feed subscribe --print} writes: one line per update and per event of the feed (gap, snapshot, stale,
 * live, session lost, trades omitted). Quotes and trades are built in one reused line, without allocation.
 */
final class UpdatePrinter
{
    private final PrintStream out;
    private final StringBuilder line = new StringBuilder(160);

    UpdatePrinter(final PrintStream out)
    {
        this.out = out;
    }

    void quote(final Topic topic, final long sequence, final QuoteView quote, final long replaced)
    {
        line.setLength(0);
        line.append(topic.symbol()).append(" Q seq=").append(sequence).append(" bid=");
        Prices.append(line, quote.bidPrice()).append('x').append(quote.bidSize()).append(" ask=");
        Prices.append(line, quote.askPrice()).append('x').append(quote.askSize())
            .append(" ts=").append(quote.sourceTimestampNs());
        if (replaced > 0)
        {
            line.append(" replaces=").append(replaced);
        }
        out.println(line);
    }

    void trade(final Topic topic, final long sequence, final TradeView trade)
    {
        line.setLength(0);
        line.append(topic.symbol()).append(" T seq=").append(sequence).append(" px=");
        Prices.append(line, trade.price()).append(" qty=").append(trade.size())
            .append(" side=").append(trade.side().name())
            .append(" id=").append(trade.tradeId())
            .append(" ts=").append(trade.sourceTimestampNs());
        out.println(line);
    }

    void tradesOmitted(final Topic topic, final long upToSequence, final long trades, final boolean dropped)
    {
        out.println(topic.symbol() + " TRADES " + (dropped ? "DROPPED " : "COUNTED ") + trades + " up to " +
            upToSequence);
    }

    void gap(final Topic topic, final long fromSequence, final long toSequence, final boolean unrecoverable)
    {
        out.println(topic.symbol() + " GAP " + fromSequence + ".." + toSequence +
            (unrecoverable ? " unrecoverable" : " recovering"));
    }

    void snapshot(final Topic topic, final long lastSequence, final long quoteSequence, final QuoteView quote)
    {
        line.setLength(0);
        line.append(topic.symbol()).append(" SNAPSHOT last=").append(lastSequence);
        if (quote != null)
        {
            line.append(" quote seq=").append(quoteSequence).append(" bid=");
            Prices.append(line, quote.bidPrice()).append('x').append(quote.bidSize()).append(" ask=");
            Prices.append(line, quote.askPrice()).append('x').append(quote.askSize());
        }
        out.println(line);
    }

    /**
     * Whether stdout has lost its reader (a write failed). Flushes it: call now and then, not per update.
     *
     * @return true once nothing reads what is printed.
     */
    boolean readerGone()
    {
        return out.checkError();
    }

    void stale()
    {
        out.println("STALE");
    }

    void live()
    {
        out.println("LIVE");
    }

    void sessionLost(final Topic topic, final long sessionEpoch, final long lastSequence)
    {
        out.println(topic.symbol() + " SESSION LOST " + sessionEpoch + " after " + lastSequence);
    }
}
