package dev.feedhandler.subscriber.cli;

import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.price.Prices;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * The listener of {@code feed subscribe}: counts updates per topic, records the latency from the publisher's send
 * timestamp to this call in an HdrHistogram, optionally prints each update, and signals the command when its
 * stop condition is met. Runs on the listener thread; the command reads it after the subscriber is closed.
 */
final class StatsListener implements FeedListener
{
    private final WallClock clock = WallClock.shared();
    private final Histogram latency = LatencyReport.newHistogram();
    private final long maxUpdates;
    private final boolean exitOnEnd;
    private final PrintStream printer;
    private final StringBuilder line = new StringBuilder(160);
    private final CountDownLatch stop;
    private final LatencyWindow window;

    private long[] perTopic = new long[64];
    private String[] symbols = new String[64];
    private int topicCount;
    private long received;
    private long gaps;
    private long sendTimestampNs;
    private long sessionEnds;

    StatsListener(final long maxUpdates, final boolean exitOnEnd, final PrintStream printer,
        final CountDownLatch stop)
    {
        this(maxUpdates, exitOnEnd, printer, stop, null);
    }

    StatsListener(final long maxUpdates, final boolean exitOnEnd, final PrintStream printer,
        final CountDownLatch stop, final LatencyWindow window)
    {
        this.window = window;
        this.maxUpdates = maxUpdates;
        this.exitOnEnd = exitOnEnd;
        this.printer = printer;
        this.stop = stop;
    }

    @Override
    public void onBatchStart(
        final Topic topic, final long sessionEpoch, final long firstSequence, final int updateCount,
        final long sendTimestampNs)
    {
        this.sendTimestampNs = sendTimestampNs;
    }

    @Override
    public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
    {
        if (!count(topic))
        {
            return;
        }
        if (printer != null)
        {
            line.setLength(0);
            line.append(topic.symbol()).append(" Q seq=").append(sequence).append(" bid=");
            Prices.append(line, quote.bidPrice()).append('x').append(quote.bidSize()).append(" ask=");
            Prices.append(line, quote.askPrice()).append('x').append(quote.askSize())
                .append(" ts=").append(quote.sourceTimestampNs());
            printer.println(line);
        }
    }

    @Override
    public void onTrade(final Topic topic, final long sequence, final TradeView trade)
    {
        if (!count(topic))
        {
            return;
        }
        if (printer != null)
        {
            line.setLength(0);
            line.append(topic.symbol()).append(" T seq=").append(sequence).append(" px=");
            Prices.append(line, trade.price()).append(" qty=").append(trade.size())
                .append(" side=").append(trade.side().name())
                .append(" id=").append(trade.tradeId())
                .append(" ts=").append(trade.sourceTimestampNs());
            printer.println(line);
        }
    }

    private boolean count(final Topic topic)
    {
        if (maxUpdates > 0 && received >= maxUpdates)
        {
            return false;
        }
        final long nowNs = clock.nanoTime();
        final long latencyNs = Math.max(1, Math.min(nowNs - sendTimestampNs, LatencyReport.HIGHEST_TRACKABLE_NS));
        latency.recordValue(latencyNs);
        if (window != null)
        {
            window.record(latencyNs);
        }
        final int id = topic.id();
        if (id >= perTopic.length)
        {
            perTopic = Arrays.copyOf(perTopic, Math.max(id + 1, perTopic.length * 2));
            symbols = Arrays.copyOf(symbols, perTopic.length);
        }
        if (symbols[id] == null)
        {
            symbols[id] = topic.symbol();
            topicCount = Math.max(topicCount, id + 1);
        }
        perTopic[id]++;
        received++;
        if (maxUpdates > 0 && received == maxUpdates)
        {
            stop.countDown();
        }
        return true;
    }

    @Override
    public void onGap(final Topic topic, final long fromSequence, final long toSequence, final boolean unrecoverable)
    {
        gaps++;
        if (printer != null)
        {
            printer.println(topic.symbol() + " GAP " + fromSequence + ".." + toSequence +
                (unrecoverable ? " unrecoverable" : " recovering"));
        }
    }

    @Override
    public void onSessionEnd(final long sessionEpoch)
    {
        sessionEnds++;
        if (exitOnEnd)
        {
            stop.countDown();
        }
    }

    Histogram latency()
    {
        return latency;
    }

    long received()
    {
        return received;
    }

    long gaps()
    {
        return gaps;
    }

    long sessionEnds()
    {
        return sessionEnds;
    }

    Map<String, Object> topics()
    {
        final Map<String, Object> map = new TreeMap<>();
        for (int i = 0; i < topicCount; i++)
        {
            if (symbols[i] != null && perTopic[i] > 0)
            {
                map.put(symbols[i], perTopic[i]);
            }
        }
        return map;
    }
}
