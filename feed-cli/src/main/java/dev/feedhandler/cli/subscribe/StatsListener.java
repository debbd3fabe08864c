package dev.feedhandler.cli.subscribe;

import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.price.Prices;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.subscriber.Delivery;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Both are recorded for live batches only. Recovered batches are measured from their original send to the listener
 * (the time from a drop to its recovery), batches held back behind a recovery separately, and live batches
 * delivered while some topic is recovering also on their own, so the cost of recovery to the live flow shows.
 * With {@code --verify} every update also goes through a {@link SequenceVerifier}. The listener also keeps what the
 * summary reports of losses: stale periods, sessions lost and unrecoverable ranges.
 * <p>
 * The <b>age</b> of each delivered quote is recorded too: the clock at the end of its batch (as for latency) minus the
 * source timestamp of the quote, the newest update it carries (with conflation, the newest of those it replaced). It
 * is what a trading process cares about when it cannot keep up: how old the price it holds is. Conflation's counts
 * (quotes merged, trades a conflated stream counted, trades dropped past the bound) are kept per topic. With
 * {@code --listener-work} the listener busy-waits that long for every update, to play a slow consumer.
 */
final class StatsListener implements FeedListener
{
    private static final int MAX_RANGES_PER_TOPIC = 20;
    private static final int MAX_STALE_PERIODS = 100;

    private final WallClock clock = WallClock.shared();
    private final SingleWriterRecorder sendLatency = newRecorder();
    private final SingleWriterRecorder sourceLatency = newRecorder();
    private final long maxUpdates;
    private final boolean exitOnEnd;
    private final PrintStream printer;
    private final StringBuilder line = new StringBuilder(160);
    private final CountDownLatch stop;
    private final LatencyWindow window;
    private final SequenceVerifier verifier;
    private final Histogram recoveryLatency = LatencyReport.newHistogram();
    private final Histogram duringRecoveryLatency = LatencyReport.newHistogram();
    private final Histogram heldBackLatency = LatencyReport.newHistogram();
    private final Histogram age = LatencyReport.newHistogram();
    private final LatencyWindow ageWindow;
    private final long workNs;
    private long[] batchQuoteSources = new long[256];
    private int batchQuotes;
    private long replacedPending;
    private volatile long ageFromEpochNs;
    private long[] conflatedPerTopic = new long[64];
    private long[] droppedPerTopic = new long[64];
    private final List<Map<String, Object>> stalePeriods = new ArrayList<>();
    private final Map<String, Map<String, Object>> sessionsLost = new TreeMap<>();
    private final Map<String, List<String>> unrecoverableRanges = new TreeMap<>();
    private long[] recoveringTo = new long[64];
    private int recoveringTopics;
    private Delivery batchDelivery = Delivery.LIVE;
    private long snapshots;
    private long staleSinceNs;

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
        this(maxUpdates, exitOnEnd, printer, stop, null, false, null, 0, false);
    }

    /**
     * A listener that also feeds sliding latency and age windows (metrics, status lines), verifies the order (of a
     * conflating subscriber: updates may skip ahead), and works for a while on every update.
     */
    StatsListener(final long maxUpdates, final boolean exitOnEnd, final PrintStream printer,
        final CountDownLatch stop, final LatencyWindow window, final boolean verify, final LatencyWindow ageWindow,
        final long workNs, final boolean conflating)
    {
        this.window = window;
        this.ageWindow = ageWindow;
        this.workNs = workNs;
        this.verifier = verify ? new SequenceVerifier(conflating) : null;
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
        final long sendTimestampNs, final Delivery delivery)
    {
        batchSendTimestampNs = sendTimestampNs;
        batchFirstSourceNs = 0;
        batchUpdates = 0;
        batchQuotes = 0;
        batchDelivery = delivery;
        if (verifier != null)
        {
            verifier.onBatchStart(topic, sessionEpoch);
        }
        if (delivery == Delivery.RECOVERED)
        {
            recoveryProgress(topic, firstSequence + updateCount - 1);
        }
    }

    /**
     * A topic's recovery is over once what it waited for has been delivered (or reported lost).
     */
    private void recoveryProgress(final Topic topic, final long deliveredTo)
    {
        final int id = topic.id();
        if (id < recoveringTo.length && recoveringTo[id] > 0 && deliveredTo >= recoveringTo[id])
        {
            recoveringTo[id] = 0;
            recoveringTopics--;
        }
    }

    @Override
    public void onConflatedQuote(final Topic topic, final long sequence, final QuoteView quote, final long replaced)
    {
        final int id = topic.id();
        conflatedPerTopic = grown(conflatedPerTopic, id);
        conflatedPerTopic[id] += replaced;
        replacedPending = replaced;
        onQuote(topic, sequence, quote);
        replacedPending = 0;
    }

    @Override
    public void onTradesOmitted(final Topic topic, final long upToSequence, final long trades, final boolean dropped)
    {
        final int id = topic.id();
        if (dropped)
        {
            droppedPerTopic = grown(droppedPerTopic, id);
            droppedPerTopic[id] += trades;
        }
        else
        {
            conflatedPerTopic = grown(conflatedPerTopic, id);
            conflatedPerTopic[id] += trades;
        }
        symbol(topic);
        if (printer != null)
        {
            printer.println(topic.symbol() + " TRADES " + (dropped ? "DROPPED " : "COUNTED ") + trades + " up to " +
                upToSequence);
        }
    }

    private static long[] grown(final long[] array, final int id)
    {
        return id < array.length ? array : Arrays.copyOf(array, Math.max(id + 1, array.length * 2));
    }

    @Override
    public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
    {
        if (!count(topic, quote.sourceTimestampNs()))
        {
            return;
        }
        if (batchQuotes == batchQuoteSources.length)
        {
            batchQuoteSources = Arrays.copyOf(batchQuoteSources, batchQuotes * 2);
        }
        batchQuoteSources[batchQuotes++] = quote.sourceTimestampNs();
        work();
        if (verifier != null)
        {
            verifier.onUpdate(topic, sequence);
        }
        if (printer != null)
        {
            line.setLength(0);
            line.append(topic.symbol()).append(" Q seq=").append(sequence).append(" bid=");
            Prices.append(line, quote.bidPrice()).append('x').append(quote.bidSize()).append(" ask=");
            Prices.append(line, quote.askPrice()).append('x').append(quote.askSize())
                .append(" ts=").append(quote.sourceTimestampNs());
            if (replacedPending > 0)
            {
                line.append(" replaces=").append(replacedPending);
            }
            printer.println(line);
        }
    }

    /**
     * With {@code --listener-work}, what a slow consumer spends on an update, busy (as a computation would).
     */
    private void work()
    {
        if (workNs > 0)
        {
            final long until = System.nanoTime() + workNs;
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void onTrade(final Topic topic, final long sequence, final TradeView trade)
    {
        if (!count(topic, trade.sourceTimestampNs()))
        {
            return;
        }
        work();
        if (verifier != null)
        {
            verifier.onUpdate(topic, sequence);
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
        final int id = symbol(topic);
        perTopic[id]++;
        received++;
        if (maxUpdates > 0 && received == maxUpdates)
        {
            recordBatch();
            stop.countDown();
        }
        return true;
    }

    /**
     * Makes room for a topic in the per-topic counts and remembers its symbol.
     *
     * @return its id.
     */
    private int symbol(final Topic topic)
    {
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
        return id;
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
        if (nowNs >= ageFromEpochNs)
        {
            for (int i = 0; i < batchQuotes; i++)
            {
                final long ageNs = clamp(nowNs - batchQuoteSources[i]);
                age.recordValue(ageNs);
                if (ageWindow != null)
                {
                    ageWindow.record(ageNs, 1);
                }
            }
        }
        batchQuotes = 0;
        final long sendLatencyNs = clamp(nowNs - batchSendTimestampNs);
        if (batchDelivery == Delivery.RECOVERED)
        {
            recoveryLatency.recordValueWithCount(sendLatencyNs, batchUpdates);
        }
        else if (batchDelivery == Delivery.HELD_BACK)
        {
            heldBackLatency.recordValueWithCount(sendLatencyNs, batchUpdates);
        }
        else
        {
            sendLatency.recordValueWithCount(sendLatencyNs, batchUpdates);
            if (recoveringTopics > 0)
            {
                duringRecoveryLatency.recordValueWithCount(sendLatencyNs, batchUpdates);
            }
            if (window != null)
            {
                window.record(sendLatencyNs, batchUpdates);
            }
            if (batchFirstSourceNs > 0)
            {
                sourceLatency.recordValueWithCount(clamp(nowNs - batchFirstSourceNs), batchUpdates);
            }
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
        if (unrecoverable)
        {
            if (verifier != null)
            {
                verifier.onUnrecoverable(topic, fromSequence, toSequence);
            }
            final List<String> ranges = unrecoverableRanges.computeIfAbsent(topic.symbol(), k -> new ArrayList<>());
            if (ranges.size() < MAX_RANGES_PER_TOPIC)
            {
                ranges.add(fromSequence + ".." + toSequence);
            }
            recoveryProgress(topic, toSequence);
        }
        else
        {
            final int id = topic.id();
            if (id >= recoveringTo.length)
            {
                recoveringTo = Arrays.copyOf(recoveringTo, Math.max(id + 1, recoveringTo.length * 2));
            }
            if (recoveringTo[id] == 0)
            {
                recoveringTopics++;
            }
            recoveringTo[id] = toSequence;
        }
    }

    @Override
    public void onSnapshot(final Topic topic, final long sessionEpoch, final long lastSequence,
        final long quoteSequence, final QuoteView quote)
    {
        snapshots++;
        if (verifier != null)
        {
            verifier.onSnapshot(topic, sessionEpoch, lastSequence);
        }
        if (printer != null)
        {
            line.setLength(0);
            line.append(topic.symbol()).append(" SNAPSHOT last=").append(lastSequence);
            if (quote != null)
            {
                line.append(" quote seq=").append(quoteSequence).append(" bid=");
                Prices.append(line, quote.bidPrice()).append('x').append(quote.bidSize()).append(" ask=");
                Prices.append(line, quote.askPrice()).append('x').append(quote.askSize());
            }
            printer.println(line);
        }
    }

    @Override
    public void onStale()
    {
        staleSinceNs = clock.nanoTime();
        if (stalePeriods.size() < MAX_STALE_PERIODS)
        {
            final Map<String, Object> period = new LinkedHashMap<>();
            period.put("from", Instant.ofEpochSecond(0, staleSinceNs).toString());
            period.put("to", null);
            period.put("seconds", null);
            stalePeriods.add(period);
        }
        if (printer != null)
        {
            printer.println("STALE");
        }
    }

    @Override
    public void onLive()
    {
        final long nowNs = clock.nanoTime();
        if (!stalePeriods.isEmpty() && stalePeriods.get(stalePeriods.size() - 1).get("to") == null)
        {
            final Map<String, Object> period = stalePeriods.get(stalePeriods.size() - 1);
            period.put("to", Instant.ofEpochSecond(0, nowNs).toString());
            period.put("seconds", Math.round((nowNs - staleSinceNs) / 1e6) / 1000.0);
        }
        if (printer != null)
        {
            printer.println("LIVE");
        }
    }

    @Override
    public void onSessionLost(final Topic topic, final long sessionEpoch, final long lastSequence)
    {
        if (verifier != null)
        {
            verifier.onSessionLost(topic, sessionEpoch, lastSequence);
        }
        sessionsLost.computeIfAbsent(Long.toString(sessionEpoch), k -> new TreeMap<>())
            .put(topic.symbol(), lastSequence);
        if (printer != null)
        {
            printer.println(topic.symbol() + " SESSION LOST " + sessionEpoch + " after " + lastSequence);
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

    long snapshots()
    {
        return snapshots;
    }

    Histogram recoveryLatency()
    {
        return recoveryLatency;
    }

    Histogram duringRecoveryLatency()
    {
        return duringRecoveryLatency;
    }

    Histogram heldBackLatency()
    {
        return heldBackLatency;
    }

    /**
     * The age of every quote delivered after the warm-up (read once the listener has stopped).
     */
    Histogram age()
    {
        return age;
    }

    /**
     * Leaves the ages of quotes delivered before this time out of {@link #age()} (the warm-up).
     *
     * @param epochNs wall clock time, epoch nanoseconds.
     */
    void measureAgeFrom(final long epochNs)
    {
        ageFromEpochNs = epochNs;
    }

    /**
     * Per topic: quotes merged into newer ones and trades a conflated stream counted (read once the listener has
     * stopped).
     */
    Map<String, Object> conflatedByTopic()
    {
        return byTopic(conflatedPerTopic);
    }

    /**
     * Per topic: trades dropped past the conflation bound (read once the listener has stopped).
     */
    Map<String, Object> tradesDroppedByTopic()
    {
        return byTopic(droppedPerTopic);
    }

    private Map<String, Object> byTopic(final long[] counts)
    {
        final Map<String, Object> map = new TreeMap<>();
        for (int i = 0; i < Math.min(topicCount, counts.length); i++)
        {
            if (symbols[i] != null && counts[i] > 0)
            {
                map.put(symbols[i], counts[i]);
            }
        }
        return map;
    }

    /**
     * The verifier, with {@code --verify}.
     */
    SequenceVerifier verifier()
    {
        return verifier;
    }

    /**
     * What the summary reports of losses: when the feed was stale, the sessions that ended without a word (per topic,
     * the last update delivered from them: whatever came after it, if anything, is unknown), and the ranges lost for
     * good (the first few per topic).
     */
    Map<String, Object> lossWindow()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("stalePeriods", stalePeriods);
        map.put("sessionsLost", sessionsLost);
        map.put("unrecoverableRanges", unrecoverableRanges);
        return map;
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
