package dev.feedhandler.cli;

import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.journal.kafka.KafkaJournalSink;
import dev.feedhandler.metrics.LatencyWindowMetrics;
import dev.feedhandler.metrics.StatsPrinter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The sink's Prometheus metrics and status line, read at scrape time from the sink's counters.
 */
final class KafkaSinkMetrics
{
    private KafkaSinkMetrics()
    {
    }

    /**
     * Registers {@code feed_kafka_sink_*}.
     *
     * @param registry where.
     * @param sink     the sink.
     */
    static void register(final PrometheusRegistry registry, final KafkaJournalSink sink)
    {
        gauge(registry, "feed_kafka_sink_lag_entries",
            "Journal entries not yet acknowledged by Kafka (not read yet, or sent and waiting)", sink, s -> s.lag());
        counter(registry, "feed_kafka_sink_entries_acknowledged_total", "Journal entries Kafka acknowledged", sink,
            s -> s.acknowledgedEntries());
        counter(registry, "feed_kafka_sink_updates_acknowledged_total",
            "Updates (in batches) Kafka acknowledged", sink, s -> s.acknowledgedUpdates());
        counter(registry, "feed_kafka_sink_entries_sent_total",
            "Journal entries handed to the producer (acknowledged or in flight)", sink, s -> s.sentEntries());
        counter(registry, "feed_kafka_sink_entries_skipped_total",
            "Journal entries found already in Kafka when the sink resumed, not sent again", sink,
            s -> s.skippedEntries());
        counter(registry, "feed_kafka_sink_resumes_total",
            "Times the sink connected and read from Kafka where to resume", sink, s -> s.resumes());
        counter(registry, "feed_kafka_sink_stalls_total",
            "Times Kafka acknowledged nothing for the stall threshold while entries waited", sink, s -> s.stalls());
        counter(registry, "feed_kafka_sink_failures_total", "Records Kafka refused (each followed by a resume)",
            sink, s -> s.failures());
        gauge(registry, "feed_kafka_sink_stalled", "1 while Kafka acknowledges nothing and entries wait", sink,
            s -> s.stalled() ? 1 : 0);
        gauge(registry, "feed_kafka_sink_connected", "1 while the sink has a producer and knows where it resumed",
            sink, s -> s.connected() ? 1 : 0);
        LatencyWindowMetrics.register(registry, sink.latency(), "feed_kafka_sink_ack_latency",
            "Journal write to Kafka acknowledgement, per entry");
    }

    /**
     * The status line of {@code --stats-interval}: acknowledged updates per second and in total, entries, lag,
     * acknowledgement latency over the last interval, and Kafka's state.
     *
     * @param sink the sink.
     * @return a supplier of lines (keeps the previous reading for the rate).
     */
    static Supplier<String> statusLine(final KafkaJournalSink sink)
    {
        return new Supplier<>()
        {
            private long previousUpdates;
            private long previousNs = System.nanoTime();

            @Override
            public String get()
            {
                final long now = System.nanoTime();
                final long updates = sink.acknowledgedUpdates();
                final long rate = StatsPrinter.ratePerSecond(previousUpdates, updates, now - previousNs);
                previousUpdates = updates;
                previousNs = now;
                final LatencyWindow.Snapshot latency = sink.latency().snapshot(2);
                final String state = !sink.connected() ? "unreachable" : sink.stalled() ? "stalled" : "ok";
                return "feed kafka-sink: rate " + rate + "/s total " + updates + " entries " +
                    sink.acknowledgedEntries() + " lag " + sink.lag() + " p99 " + StatsPrinter.micros(latency.p99Ns()) +
                    " max " + StatsPrinter.micros(latency.maxNs()) + " kafka " + state;
            }
        };
    }

    private static void counter(final PrometheusRegistry registry, final String name, final String help,
        final KafkaJournalSink sink, final ToDoubleFunction<KafkaJournalSink> value)
    {
        CounterWithCallback.builder().name(name).help(help)
            .callback(callback -> callback.call(value.applyAsDouble(sink))).register(registry);
    }

    private static void gauge(final PrometheusRegistry registry, final String name, final String help,
        final KafkaJournalSink sink, final ToDoubleFunction<KafkaJournalSink> value)
    {
        GaugeWithCallback.builder().name(name).help(help)
            .callback(callback -> callback.call(value.applyAsDouble(sink))).register(registry);
    }
}
