package dev.feedhandler.journal.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells when Kafka has acknowledged nothing for the stall threshold while journal entries wait, and when it
 * acknowledges again: one warning and one all-clear per stall, and a count. Called on the sink's thread; the state
 * and the count are readable from any thread.
 */
final class StallWatch
{
    // Logs as the sink does: its lines are the sink's.
    private static final Logger LOG = LoggerFactory.getLogger(KafkaJournalSink.class);

    private final String bootstrapServers;
    private final long thresholdNs;
    private final AtomicLong stalls = new AtomicLong();
    private volatile boolean stalled;
    private long lastProgressNs;
    private long stallStartNs;

    /**
     * A watch that has seen no stall.
     *
     * @param bootstrapServers the Kafka servers, for messages.
     * @param thresholdNs      how long without an acknowledgement is a stall.
     */
    StallWatch(final String bootstrapServers, final long thresholdNs)
    {
        this.bootstrapServers = bootstrapServers;
        this.thresholdNs = thresholdNs;
    }

    /**
     * Kafka made progress (or the sink started, or resumed).
     *
     * @param nowNs {@link System#nanoTime()}.
     */
    void progress(final long nowNs)
    {
        lastProgressNs = nowNs;
    }

    /**
     * Reports a stall, or its end.
     *
     * @param nowNs   {@link System#nanoTime()}.
     * @param waiting whether entries wait for Kafka (sent or not).
     * @param lag     the journal entries not acknowledged, for messages.
     */
    void check(final long nowNs, final boolean waiting, final long lag)
    {
        if (!waiting)
        {
            lastProgressNs = nowNs;
        }
        final long silentNs = nowNs - lastProgressNs;
        if (!stalled && waiting && silentNs > thresholdNs)
        {
            stalled = true;
            stallStartNs = lastProgressNs;
            stalls.incrementAndGet();
            LOG.warn("kafka-sink: Kafka at {} has acknowledged nothing for {} s, {} journal entries waiting; " +
                "still trying (nothing is lost: the journal holds them)", bootstrapServers,
                String.format("%.1f", silentNs / 1e9), lag);
        }
        else if (stalled && silentNs < thresholdNs)
        {
            stalled = false;
            LOG.info("kafka-sink: Kafka acknowledges again after {} s; lag {} journal entries",
                String.format("%.1f", (nowNs - stallStartNs) / 1e9), lag);
        }
    }

    boolean stalled()
    {
        return stalled;
    }

    long stalls()
    {
        return stalls.get();
    }
}
