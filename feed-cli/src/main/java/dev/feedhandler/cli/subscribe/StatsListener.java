package dev.feedhandler.cli.subscribe;

import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.subscriber.Delivery;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Map;

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
 * <p>
 * The measuring is done by {@link DeliveryLatency}, the counting by {@link TopicCounts}, the loss record by
 * {@link LossWindow} and the printing by {@link UpdatePrinter}; this class says which gets what, in what order.
 */
final class StatsListener implements FeedListener
{
    /** Batches between two checks that stdout still has a reader (a check flushes it). */
    private static final int OUTPUT_CHECK_BATCHES = 64;

    private final WallClock clock = WallClock.shared();
    private final long maxUpdates;
    private final boolean exitOnEnd;
    /** Null without --print, and once stdout has lost its reader. */
    private UpdatePrinter printer;
    private int batchesSinceOutputCheck;
    private final SubscribeStop stop;
    private final SequenceVerifier verifier;
    private final DeliveryLatency latency;
    private final TopicCounts counts = new TopicCounts();
    private final LossWindow losses = new LossWindow();
    private final long workNs;
    private final boolean windowed;
    private final boolean aged;
    private final boolean conflating;
    private long replacedPending;
    private long received;
    private long gaps;
    private long sessionEnds;
    private long snapshots;

    StatsListener(final long maxUpdates, final boolean exitOnEnd, final PrintStream printer,
        final SubscribeStop stop)
    {
        this(maxUpdates, exitOnEnd, printer, stop, null, false, null, 0, false);
    }

    /**
     * A listener that also feeds sliding latency and age windows (metrics, status lines), verifies the order (of a
     * conflating subscriber: updates may skip ahead), and works for a while on every update.
     */
    StatsListener(final long maxUpdates, final boolean exitOnEnd, final PrintStream printer,
        final SubscribeStop stop, final LatencyWindow window, final boolean verify, final LatencyWindow ageWindow,
        final long workNs, final boolean conflating)
    {
        this.latency = new DeliveryLatency(window, ageWindow);
        this.windowed = window != null;
        this.aged = ageWindow != null;
        this.conflating = conflating;
        this.workNs = workNs;
        this.verifier = verify ? new SequenceVerifier(conflating) : null;
        this.maxUpdates = maxUpdates;
        this.exitOnEnd = exitOnEnd;
        this.printer = printer != null ? new UpdatePrinter(printer) : null;
        this.stop = stop;
    }

    /**
     * A listener configured as this one, with state and windows of its own, that prints nothing, does no
     * {@code --listener-work} (the private feed is a million updates flat out) and ends its own stop at the session's
     * end: for {@code --warm-up}, whose private feed must meet the classes the real run's dispatch will call.
     *
     * @param ended the warm-up's stop.
     * @return the twin.
     */
    StatsListener twin(final SubscribeStop ended)
    {
        return new StatsListener(0, true, null, ended, windowed ? new LatencyWindow() : null, verifier != null,
            aged ? new LatencyWindow() : null, 0, conflating);
    }

    @Override
    public void onBatchStart(
        final Topic topic, final long sessionEpoch, final long firstSequence, final int updateCount,
        final long sendTimestampNs, final Delivery delivery)
    {
        latency.onBatchStart(topic, firstSequence, updateCount, sendTimestampNs, delivery);
        if (verifier != null)
        {
            verifier.onBatchStart(topic, sessionEpoch);
        }
    }

    @Override
    public void onConflatedQuote(final Topic topic, final long sequence, final QuoteView quote, final long replaced)
    {
        counts.addConflated(topic, replaced);
        replacedPending = replaced;
        onQuote(topic, sequence, quote);
        replacedPending = 0;
    }

    @Override
    public void onTradesOmitted(final Topic topic, final long upToSequence, final long trades, final boolean dropped)
    {
        if (dropped)
        {
            counts.addDropped(topic, trades);
        }
        else
        {
            counts.addConflated(topic, trades);
        }
        counts.symbol(topic);
        if (printer != null)
        {
            printer.tradesOmitted(topic, upToSequence, trades, dropped);
        }
    }

    @Override
    public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
    {
        if (!count(topic, quote.sourceTimestampNs()))
        {
            return;
        }
        latency.onQuote(quote.sourceTimestampNs());
        work();
        if (verifier != null)
        {
            verifier.onUpdate(topic, sequence);
        }
        if (printer != null)
        {
            printer.quote(topic, sequence, quote, replacedPending);
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
            printer.trade(topic, sequence, trade);
        }
    }

    private boolean count(final Topic topic, final long sourceTimestampNs)
    {
        if (maxUpdates > 0 && received >= maxUpdates)
        {
            return false;
        }
        latency.onUpdate(sourceTimestampNs);
        counts.onDelivered(topic);
        received++;
        if (maxUpdates > 0 && received == maxUpdates)
        {
            latency.recordBatch();
            stop.stop(SubscribeStop.Reason.COUNT);
        }
        return true;
    }

    @Override
    public void onBatchEnd(final Topic topic)
    {
        latency.recordBatch();
        if (printer != null && ++batchesSinceOutputCheck >= OUTPUT_CHECK_BATCHES)
        {
            batchesSinceOutputCheck = 0;
            if (printer.readerGone())
            {
                // `feed subscribe --print | head`: stop, as Unix tools do, rather than format updates for nobody.
                LoggerFactory.getLogger(StatsListener.class).info("stdout has no reader any more: stopping");
                printer = null;
                stop.stop(SubscribeStop.Reason.OUTPUT_CLOSED);
            }
        }
    }

    @Override
    public void onGap(final Topic topic, final long fromSequence, final long toSequence, final boolean unrecoverable)
    {
        gaps++;
        if (printer != null)
        {
            printer.gap(topic, fromSequence, toSequence, unrecoverable);
        }
        if (unrecoverable)
        {
            if (verifier != null)
            {
                verifier.onUnrecoverable(topic, fromSequence, toSequence);
            }
            losses.onUnrecoverable(topic, fromSequence, toSequence);
            latency.recoveryProgress(topic, toSequence);
        }
        else
        {
            latency.onRecovering(topic, toSequence);
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
            printer.snapshot(topic, lastSequence, quoteSequence, quote);
        }
    }

    @Override
    public void onStale()
    {
        losses.onStale(clock.nanoTime());
        if (printer != null)
        {
            printer.stale();
        }
    }

    @Override
    public void onLive()
    {
        losses.onLive(clock.nanoTime());
        if (printer != null)
        {
            printer.live();
        }
    }

    @Override
    public void onSessionLost(final Topic topic, final long sessionEpoch, final long lastSequence)
    {
        if (verifier != null)
        {
            verifier.onSessionLost(topic, sessionEpoch, lastSequence);
        }
        losses.onSessionLost(topic, sessionEpoch, lastSequence);
        if (printer != null)
        {
            printer.sessionLost(topic, sessionEpoch, lastSequence);
        }
    }

    @Override
    public void onSessionEnd(final long sessionEpoch)
    {
        sessionEnds++;
        if (exitOnEnd)
        {
            stop.stop(SubscribeStop.Reason.END);
        }
    }

    SingleWriterRecorder sendLatency()
    {
        return latency.sendLatency();
    }

    SingleWriterRecorder sourceLatency()
    {
        return latency.sourceLatency();
    }

    /**
     * When the last batch was delivered (read once the listener has stopped).
     */
    long lastBatchEpochNs()
    {
        return latency.lastBatchEpochNs();
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
        return latency.recoveryLatency();
    }

    Histogram duringRecoveryLatency()
    {
        return latency.duringRecoveryLatency();
    }

    Histogram heldBackLatency()
    {
        return latency.heldBackLatency();
    }

    /**
     * The age of every quote delivered after the warm-up (read once the listener has stopped).
     */
    Histogram age()
    {
        return latency.age();
    }

    /**
     * Leaves the ages of quotes delivered before this time out of {@link #age()} (the warm-up).
     *
     * @param epochNs wall clock time, epoch nanoseconds.
     */
    void measureAgeFrom(final long epochNs)
    {
        latency.measureAgeFrom(epochNs);
    }

    /**
     * Per topic: quotes merged into newer ones and trades a conflated stream counted (read once the listener has
     * stopped).
     */
    Map<String, Object> conflatedByTopic()
    {
        return counts.conflated();
    }

    /**
     * Per topic: trades dropped past the conflation bound (read once the listener has stopped).
     */
    Map<String, Object> tradesDroppedByTopic()
    {
        return counts.dropped();
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
        return losses.toMap();
    }

    Map<String, Object> topics()
    {
        return counts.delivered();
    }
}
