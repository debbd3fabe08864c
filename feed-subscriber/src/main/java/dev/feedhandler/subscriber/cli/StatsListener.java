package dev.feedhandler.subscriber.cli;

import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.price.Prices;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * The listener of {@code feed subscribe}: counts updates per topic, records latency, optionally prints each
 * update, and signals the command when its stop condition is met. Runs on the listener thread; the recorders are
 * harvested from another thread (HdrHistogram's single-writer recorders are made for that).
 * <p>
 * Latency is read from the clock once per batch, when the listener has received the batch's last update, and
 * recorded once for every update of the batch: for each update it is an upper bound, by at most the time it takes
 * to deliver one batch (microseconds), and it keeps the clock off the per-update path. Two latencies:
 * <ul>
 *     <li>from the publisher's send timestamp (the batch header) to the listener;</li>
 *     <li>from the source timestamp of the batch's first update to the listener: with a paced source (a fixed
 *     offered rate, or a tick file at recorded pace) that timestamp is the update's intended time, so this is the
 *     latency corrected for coordinated omission: any stall of the publisher counts against every update it
 *     delayed.</li>
 * </ul>
 */
final class StatsListener implements FeedListener
{
    private final WallClock clock = WallClock.shared();
    private final SingleWriterRecorder sendLatency = newRecorder();
    private final SingleWriterRecorder sourceLatency = newRecorder();
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
    private long sessionEnds;
    private long batchSendTimestampNs;
    private long batchFirstSourceNs;
    private int batchUpdates;
    private long lastBatchEpochNs;

    StatsListener(final long maxUpdates, final boolean exitOnEnd, final PrintStream printer,
        final CountDownLatch stop)
    {
        this(maxUpdates, exitOnEnd, printer, stop, null);
    }

    /**
     * A listener that also feeds a sliding latency window (metrics, status lines).
     */
    StatsListener(final long maxUpdates, final boolean exitOnEnd, final PrintStream printer,
        final CountDownLatch stop, final LatencyWindow window)
    {
        this.window = window;
        this.maxUpdates = maxUpdates;
        this.exitOnEnd = exitOnEnd;
        this.printer = printer;
        this.stop = stop;
    }

    static SingleWriterRecorder newRecorder()
    {
        return new SingleWriterRecorder(1, LatencyReport.HIGHEST_TRACKABLE_NS, LatencyReport.SIGNIFICANT_DIGITS);
    }

    @Override
    public void onBatchStart(
        final Topic topic, final long sessionEpoch, final long firstSequence, final int updateCount,
        final long sendTimestampNs)
    {
        batchSendTimestampNs = sendTimestampNs;
        batchFirstSourceNs = 0;
        batchUpdates = 0;
    }

    @Override
    public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
    {
        if (!count(topic, quote.sourceTimestampNs()))
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
        if (!count(topic, trade.sourceTimestampNs()))
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

    private boolean count(final Topic topic, final long sourceTimestampNs)
    {
        if (maxUpdates > 0 && received >= maxUpdates)
        {
            return false;
        }
        if (batchUpdates == 0)
        {
            batchFirstSourceNs = sourceTimestampNs;
        }
        batchUpdates++;
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
            recordBatch();
            stop.countDown();
        }
        return true;
    }

    @Override
    public void onBatchEnd(final Topic topic)
    {
        recordBatch();
    }

    private void recordBatch()
    {
        if (batchUpdates == 0)
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        lastBatchEpochNs = nowNs;
        final long sendLatencyNs = clamp(nowNs - batchSendTimestampNs);
        sendLatency.recordValueWithCount(sendLatencyNs, batchUpdates);
        if (window != null)
        {
            window.record(sendLatencyNs, batchUpdates);
        }
        if (batchFirstSourceNs > 0)
        {
            sourceLatency.recordValueWithCount(clamp(nowNs - batchFirstSourceNs), batchUpdates);
        }
        batchUpdates = 0;
    }

    private static long clamp(final long latencyNs)
    {
        return Math.max(1, Math.min(latencyNs, LatencyReport.HIGHEST_TRACKABLE_NS));
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

    SingleWriterRecorder sendLatency()
    {
        return sendLatency;
    }

    SingleWriterRecorder sourceLatency()
    {
        return sourceLatency;
    }

    /**
     * When the last batch was delivered (read once the listener has stopped).
     */
    long lastBatchEpochNs()
    {
        return lastBatchEpochNs;
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
