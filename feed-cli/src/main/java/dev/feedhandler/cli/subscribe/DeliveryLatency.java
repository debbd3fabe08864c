package dev.feedhandler.cli.subscribe;

import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.subscriber.Delivery;
import dev.feedhandler.subscriber.Topic;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.EpochNanoClock;

import java.util.Arrays;

/**
 * The latencies and quote ages {@code feed subscribe} measures, batch by batch (see {@link StatsListener} for what
 * they mean): the clock is read once at the end of a batch and recorded for each of its updates, into the histogram
 * that matches how the batch was delivered (live, live while some topic recovers, recovered, held back). Keeps which
 * topics are recovering, and up to which sequence, for that. Written on the listener thread; the two single-writer
 * recorders are harvested from another.
 */
final class DeliveryLatency
{
    private final EpochNanoClock clock;
    private final SingleWriterRecorder sendLatency = newRecorder();
    private final SingleWriterRecorder sourceLatency = newRecorder();
    private final Histogram recoveryLatency = LatencyReport.newHistogram();
    private final Histogram duringRecoveryLatency = LatencyReport.newHistogram();
    private final Histogram heldBackLatency = LatencyReport.newHistogram();
    private final Histogram age = LatencyReport.newHistogram();
    private final LatencyWindow window;
    private final LatencyWindow ageWindow;
    private volatile long ageFromEpochNs;
    private long[] recoveringTo = new long[64];
    private int recoveringTopics;

    private Delivery batchDelivery = Delivery.LIVE;
    private long batchSendTimestampNs;
    private long batchFirstSourceNs;
    private int batchUpdates;
    private long[] batchQuoteSources = new long[256];
    private int batchQuotes;
    private long lastBatchEpochNs;

    /**
     * @param window    also fed with the latency of live batches (metrics, status lines), or null.
     * @param ageWindow also fed with the age of quotes, or null.
     */
    DeliveryLatency(final LatencyWindow window, final LatencyWindow ageWindow)
    {
        this(WallClock.shared(), window, ageWindow);
    }

    /**
     * @param clock     the wall clock batches are measured with (a fixed one in tests).
     * @param window    also fed with the latency of live batches (metrics, status lines), or null.
     * @param ageWindow also fed with the age of quotes, or null.
     */
    DeliveryLatency(final EpochNanoClock clock, final LatencyWindow window, final LatencyWindow ageWindow)
    {
        this.clock = clock;
        this.window = window;
        this.ageWindow = ageWindow;
    }

    static SingleWriterRecorder newRecorder()
    {
        return new SingleWriterRecorder(1, LatencyReport.HIGHEST_TRACKABLE_NS, LatencyReport.SIGNIFICANT_DIGITS);
    }

    void onBatchStart(
        final Topic topic, final long firstSequence, final int updateCount, final long sendTimestampNs,
        final Delivery delivery)
    {
        batchSendTimestampNs = sendTimestampNs;
        batchFirstSourceNs = 0;
        batchUpdates = 0;
        batchQuotes = 0;
        batchDelivery = delivery;
        if (delivery == Delivery.RECOVERED)
        {
            recoveryProgress(topic, firstSequence + updateCount - 1);
        }
    }

    /**
     * An update of the batch was counted.
     *
     * @param sourceTimestampNs its source timestamp.
     */
    void onUpdate(final long sourceTimestampNs)
    {
        if (batchUpdates == 0)
        {
            batchFirstSourceNs = sourceTimestampNs;
        }
        batchUpdates++;
    }

    /**
     * A quote of the batch was delivered: its age is recorded with the batch.
     *
     * @param sourceTimestampNs its source timestamp, the newest update it carries.
     */
    void onQuote(final long sourceTimestampNs)
    {
        if (batchQuotes == batchQuoteSources.length)
        {
            batchQuoteSources = Arrays.copyOf(batchQuoteSources, batchQuotes * 2);
        }
        batchQuoteSources[batchQuotes++] = sourceTimestampNs;
    }

    /**
     * A recoverable gap: the topic recovers until what it waits for has been delivered.
     */
    void onRecovering(final Topic topic, final long toSequence)
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

    /**
     * A topic's recovery is over once what it waited for has been delivered (or reported lost).
     */
    void recoveryProgress(final Topic topic, final long deliveredTo)
    {
        final int id = topic.id();
        if (id < recoveringTo.length && recoveringTo[id] > 0 && deliveredTo >= recoveringTo[id])
        {
            recoveringTo[id] = 0;
            recoveringTopics--;
        }
    }

    /**
     * Reads the clock and records the batch so far, once per update it counted.
     */
    void recordBatch()
    {
        if (batchUpdates == 0)
        {
            return;
        }
        final long nowNs = clock.nanoTime();
        lastBatchEpochNs = nowNs;
        if (nowNs >= ageFromEpochNs)
        {
            recordAges(nowNs);
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

    /**
     * Records the age of each quote of the batch. Quotes of one batch are close in time, so runs of them fall in the
     * same histogram bucket: a run is recorded once, with its count (flat out, about eight quotes a run), which gives
     * the same histogram as one record per quote (a bucket keeps counts, and the minimum and maximum are reported
     * as their buckets' bounds) at a fraction of the cost on the listener thread.
     */
    private void recordAges(final long nowNs)
    {
        long runLowNs = 0;
        long runHighNs = -1;
        long runCount = 0;
        for (int i = 0; i < batchQuotes; i++)
        {
            final long ageNs = clamp(nowNs - batchQuoteSources[i]);
            if (ageNs >= runLowNs && ageNs <= runHighNs)
            {
                runCount++;
                continue;
            }
            recordAgeRun(runLowNs, runCount);
            runLowNs = age.lowestEquivalentValue(ageNs);
            runHighNs = age.highestEquivalentValue(ageNs);
            runCount = 1;
        }
        recordAgeRun(runLowNs, runCount);
    }

    private void recordAgeRun(final long ageNs, final long count)
    {
        if (count > 0)
        {
            age.recordValueWithCount(ageNs, count);
            if (ageWindow != null)
            {
                ageWindow.record(ageNs, count);
            }
        }
    }

    private static long clamp(final long latencyNs)
    {
        return Math.max(1, Math.min(latencyNs, LatencyReport.HIGHEST_TRACKABLE_NS));
    }

    SingleWriterRecorder sendLatency()
    {
        return sendLatency;
    }

    SingleWriterRecorder sourceLatency()
    {
        return sourceLatency;
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

    Histogram age()
    {
        return age;
    }

    void measureAgeFrom(final long epochNs)
    {
        ageFromEpochNs = epochNs;
    }

    long lastBatchEpochNs()
    {
        return lastBatchEpochNs;
    }
}
