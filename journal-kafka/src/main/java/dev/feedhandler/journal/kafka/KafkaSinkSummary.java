package dev.feedhandler.journal.kafka;

import dev.feedhandler.common.latency.LatencyReport;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kafka-sink's JSON summary: what was shipped and how fast, under the keys its users' scripts read.
 */
final class KafkaSinkSummary
{
    private KafkaSinkSummary()
    {
    }

    /**
     * The summary of a sink whose {@link KafkaJournalSink#run} has returned.
     *
     * @param sink       the sink.
     * @param topic      its Kafka topic.
     * @param partitions the topic's partitions.
     * @param elapsedNs  from the start of the run to its end.
     * @param shippingNs from the first connection to the end of the run (0 if it never connected).
     * @param ackLatency journal write to Kafka acknowledgement, per entry, over the run.
     * @return an ordered map for the JSON writer.
     */
    static Map<String, Object> of(final KafkaJournalSink sink, final String topic, final int partitions,
        final long elapsedNs, final long shippingNs, final Histogram ackLatency)
    {
        final double seconds = elapsedNs / 1e9;
        final double shipping = shippingNs / 1e9;
        final long updates = sink.acknowledgedUpdates();
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("acknowledged", sink.acknowledgedEntries());
        map.put("updates", updates);
        map.put("skipped", sink.skippedEntries());
        map.put("lag", sink.lag());
        map.put("lagMax", sink.lagMax());
        map.put("watermark", sink.watermark());
        map.put("resumes", sink.resumes());
        map.put("stalls", sink.stalls());
        map.put("failures", sink.failures());
        map.put("topic", topic);
        map.put("partitions", partitions);
        map.put("elapsedSeconds", Math.round(seconds * 1000) / 1000.0);
        map.put("updatesPerSecond", seconds > 0 ? Math.round(updates / seconds) : 0);
        map.put("shippingSeconds", Math.round(shipping * 1000) / 1000.0);
        map.put("updatesPerSecondShipping", shipping > 0 ? Math.round(updates / shipping) : 0);
        map.put("ackLatency_us", LatencyReport.toMicros(ackLatency));
        return map;
    }
}
