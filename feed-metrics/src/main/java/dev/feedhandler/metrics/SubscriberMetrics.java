package dev.feedhandler.metrics;

import dev.feedhandler.common.metrics.LatencyWindow;
import dev.feedhandler.common.metrics.TopicLabels;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.subscriber.FeedState;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.sequence.LineArbiter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;
import java.util.function.ToLongFunction;

/**
 * The subscriber's Prometheus metrics, read at scrape time from {@link SubscriberCounters} (single-writer counters
 * with ordered stores, kept by the receiver and listener threads anyway, recovery and liveness included) and from
 * the ring: nothing is added to the hot path.
 */
public final class SubscriberMetrics
{
    private final FeedSubscriber subscriber;
    private final SubscriberCounters counters;
    private volatile RecoveryStatistics recovery;

    private SubscriberMetrics(final FeedSubscriber subscriber)
    {
        this.subscriber = subscriber;
        this.counters = subscriber.counters();
        this.recovery = new RecoveryStatistics()
        {
            @Override
            public long updatesRecovered()
            {
                return counters.recovery().updatesRecovered();
            }

            @Override
            public long staleEvents()
            {
                return counters.staleEvents();
            }
        };
    }

    /**
     * Registers the subscriber's metrics.
     *
     * @param registry   where.
     * @param subscriber the subscriber.
     * @return the metrics, to bind the recovery statistics to later.
     */
    public static SubscriberMetrics register(final PrometheusRegistry registry, final FeedSubscriber subscriber)
    {
        final SubscriberMetrics metrics = new SubscriberMetrics(subscriber);
        metrics.registerAll(registry);
        return metrics;
    }

    /**
     * Feeds {@code feed_subscriber_updates_recovered_total} and {@code feed_subscriber_stale_events_total} from other
     * figures than the subscriber's own counters (which feed them by default).
     *
     * @param statistics the figures, readable from any thread.
     */
    public void recovery(final RecoveryStatistics statistics)
    {
        recovery = Objects.requireNonNull(statistics);
    }

    private void registerAll(final PrometheusRegistry registry)
    {
        counter(registry, "feed_subscriber_updates_received_total",
            "Updates received in valid batches (duplicates included)", SubscriberCounters::updatesReceived);
        counter(registry, "feed_subscriber_batches_received_total", "Valid batches received",
            SubscriberCounters::batchesReceived);
        counter(registry, "feed_subscriber_bytes_received_total", "Payload bytes of valid batches",
            SubscriberCounters::bytesReceived);
        counter(registry, "feed_subscriber_updates_delivered_total", "Updates handed to the listener",
            SubscriberCounters::updatesDelivered);
        perTopic(registry, "feed_subscriber_topic_updates_received_total", "Updates received per topic",
            SubscriberCounters::topicUpdates,
            SubscriberCounters::otherTopicUpdates);
        counter(registry, "feed_subscriber_updates_conflated_total",
            "Updates that reached the listener merged rather than one by one: quotes replaced by a newer quote of " +
                "their topic (conflation), and trades a conflated stream counted instead of sending",
            c -> c.conflation().updatesConflated());
        perTopic(registry, "feed_subscriber_topic_updates_conflated_total", "Updates merged per topic",
            (c, id) -> c.conflation().topicConflated(id),
            c -> c.conflation().otherTopicConflated());
        counter(registry, "feed_subscriber_trades_dropped_total",
            "Trades a conflating subscriber dropped, and reported to its listener, because more were waiting for " +
                "it than its bound", c -> c.conflation().tradesDropped());
        counter(registry, "feed_subscriber_gaps_detected_total",
            "Sequence gaps detected (jumps in a topic's sequence, heartbeats ahead of it)",
            SubscriberCounters::gapsDetected);
        counter(registry, "feed_subscriber_updates_lost_total",
            "Updates missing in gaps: ZeroMQ high-water-mark drops (which PUB makes silently) and other losses, " +
                "inferred from sequence numbers", SubscriberCounters::updatesLost);
        CounterWithCallback.builder()
            .name("feed_subscriber_updates_recovered_total")
            .help("Updates delivered from the publisher's recovery service (lost on the feed, sent again)")
            .callback(callback -> callback.call(recovery.updatesRecovered()))
            .register(registry);
        counter(registry, "feed_subscriber_updates_unrecoverable_total",
            "Updates reported lost for good (onGap unrecoverable): every lost update without a recovery service",
            c -> c.recovery().updatesUnrecoverable());
        CounterWithCallback.builder()
            .name("feed_subscriber_stale_events_total")
            .help("Times the feed went stale: nothing at all for three heartbeat intervals")
            .callback(callback -> callback.call(recovery.staleEvents()))
            .register(registry);
        counter(registry, "feed_subscriber_snapshots_total",
            "Topics started from a snapshot (a late join, or a restarted publisher's missed beginning)",
            c -> c.recovery().snapshots());
        counter(registry, "feed_subscriber_recoveries_total",
            "Recoveries started (gap fills, rests of sessions that ended without a word)",
            c -> c.recovery().recoveries());
        counter(registry, "feed_subscriber_recoveries_failed_total",
            "Recoveries and snapshots the recovery service did not answer (after every retry) or refused",
            c -> c.recovery().recoveriesFailed());
        CounterWithCallback.builder()
            .name("feed_subscriber_decode_errors_total")
            .help("Malformed messages skipped, by kind")
            .labelNames("kind")
            .callback(callback ->
            {
                for (int i = 0; i < DecodeError.count(); i++)
                {
                    final DecodeError error = DecodeError.get(i);
                    callback.call(counters.decodeErrors(error), error.name().toLowerCase());
                }
            })
            .register(registry);
        counter(registry, "feed_subscriber_duplicate_updates_total", "Updates received again and dropped",
            SubscriberCounters::duplicateUpdates);
        counter(registry, "feed_subscriber_heartbeats_received_total", "Heartbeats received",
            SubscriberCounters::heartbeats);
        counter(registry, "feed_subscriber_ring_full_total",
            "Times the receiver found the ring full and waited for the listener", SubscriberCounters::ringFull);
        counter(registry, "feed_subscriber_listener_errors_total", "Exceptions thrown by the listener",
            SubscriberCounters::listenerErrors);
        counter(registry, "feed_subscriber_reconnects_total",
            "Sockets replaced because a connection stalled in its handshake (JeroMQ 0.6.0 connect race)",
            SubscriberCounters::reconnects);
        counter(registry, "feed_subscriber_stale_epoch_drops_total",
            "Batches of an older publisher session that arrived after a newer one and were dropped",
            SubscriberCounters::staleEpochDrops);
        counter(registry, "feed_subscriber_session_ends_total", "Session ends announced by publishers",
            SubscriberCounters::sessionEnds);
        registerGauges(registry);
        registerLines(registry);
    }

    /**
     * The subscriber's state now: its ring, whether the feed is stale, the topics seen.
     */
    private void registerGauges(final PrometheusRegistry registry)
    {
        GaugeWithCallback.builder()
            .name("feed_subscriber_ring_occupancy")
            .help("Batches waiting in the ring for the listener (the hand-off from the receiver thread)")
            .callback(callback -> callback.call(subscriber.ringOccupancy()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_subscriber_ring_capacity")
            .help("Slots in the ring")
            .callback(callback -> callback.call(subscriber.ringCapacity()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_subscriber_stale")
            .help("1 while the feed is stale (nothing received for three heartbeat intervals), 0 otherwise")
            .callback(callback -> callback.call(subscriber.feedState() == FeedState.STALE ? 1 : 0))
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_subscriber_topics")
            .help("Topics seen")
            .callback(callback -> callback.call(subscriber.topics().size()))
            .register(registry);
    }

    /**
     * Identical lines ({@code --arbitrate}): series per line, labelled with its number in --connect order; none
     * without arbitration (nor before the subscriber starts).
     */
    private void registerLines(final PrometheusRegistry registry)
    {
        lineCounter(registry, "feed_subscriber_line_updates_won_total", "Updates a line brought first",
            LineArbiter::won);
        lineCounter(registry, "feed_subscriber_line_updates_late_total",
            "Updates a line brought after another line had brought them", LineArbiter::late);
        lineCounter(registry, "feed_subscriber_line_updates_mismatched_total",
            "Updates of a line whose bytes differed from another line's copy (the lines are not identical)",
            LineArbiter::mismatched);
        lineCounter(registry, "feed_subscriber_line_other_session_frames_total",
            "Frames a line brought of an older session than another line's (the lines are not one feed)",
            LineArbiter::otherSession);
        lineCounter(registry, "feed_subscriber_line_updates_repeated_total",
            "Updates a line brought a second time itself (its publisher repeats batches)", LineArbiter::repeated);
        lineCounter(registry, "feed_subscriber_line_down_events_total",
            "Times a line went silent for three heartbeat intervals", LineArbiter::downEvents);
        lineCounter(registry, "feed_subscriber_line_up_events_total", "Times a line came back after being down",
            LineArbiter::upEvents);
        GaugeWithCallback.builder()
            .name("feed_subscriber_line_down")
            .help("1 while a line is down, else 0")
            .labelNames("line")
            .callback(callback ->
            {
                final LineArbiter arbiter = subscriber.lineArbiter();
                for (int i = 0; arbiter != null && i < arbiter.lines(); i++)
                {
                    callback.call(arbiter.isDown(i) ? 1 : 0, Integer.toString(i + 1));
                }
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_subscriber_line_lag_seconds")
            .help("How long after the first copy a line's copies of updates came, since the start")
            .labelNames("line", "quantile")
            .callback(callback ->
            {
                final LineArbiter arbiter = subscriber.lineArbiter();
                for (int i = 0; arbiter != null && i < arbiter.lines(); i++)
                {
                    callback.call(arbiter.lagNs(i, 50) / 1e9, Integer.toString(i + 1), "0.5");
                    callback.call(arbiter.lagNs(i, 99) / 1e9, Integer.toString(i + 1), "0.99");
                }
            })
            .register(registry);
    }

    private void lineCounter(final PrometheusRegistry registry, final String name, final String help,
        final ToLongBiFunction<LineArbiter, Integer> value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .labelNames("line")
            .callback(callback ->
            {
                final LineArbiter arbiter = subscriber.lineArbiter();
                for (int i = 0; arbiter != null && i < arbiter.lines(); i++)
                {
                    callback.call(value.applyAsLong(arbiter, i), Integer.toString(i + 1));
                }
            })
            .register(registry);
    }

    /**
     * A counter per topic: the first topics seen by name, the rest together, so the number of series is bounded.
     */
    private void perTopic(final PrometheusRegistry registry, final String name, final String help,
        final TopicCount count, final ToLongFunction<SubscriberCounters> other)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help + ": the first " + TopicLabels.MAX_TOPIC_LABELS + " topics seen by name, the rest together " +
                "as topic=\"" + TopicLabels.OTHER + "\"")
            .labelNames("topic")
            .callback(callback ->
            {
                final List<Topic> topics = subscriber.topics();
                for (final Topic topic : topics)
                {
                    if (topic.id() < TopicLabels.MAX_TOPIC_LABELS)
                    {
                        callback.call(count.of(counters, topic.id()), topic.symbol());
                    }
                }
                if (topics.size() > TopicLabels.MAX_TOPIC_LABELS)
                {
                    callback.call(other.applyAsLong(counters), TopicLabels.OTHER);
                }
            })
            .register(registry);
    }

    /** One per-topic count of the counters. */
    @FunctionalInterface
    private interface TopicCount
    {
        long of(SubscriberCounters counters, int topicId);
    }

    private void counter(
        final PrometheusRegistry registry, final String name, final String help,
        final ToLongFunction<SubscriberCounters> value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback(callback -> callback.call(value.applyAsLong(counters)))
            .register(registry);
    }

    /**
     * The status line of {@code --stats-interval}: rate since the last line, total, gaps, lost updates, p99 and max
     * latency over the interval, and the lag (batches waiting in the ring).
     *
     * @param subscriber the subscriber.
     * @param latency    the latency window, or null if latency is not measured.
     * @param interval   the status interval.
     * @return a line builder that remembers the previous reading; for one printer thread.
     */
    public static Supplier<String> statusLine(
        final FeedSubscriber subscriber, final LatencyWindow latency, final Duration interval)
    {
        final SubscriberCounters counters = subscriber.counters();
        final int slices = LatencyWindow.slicesFor(interval.toMillis());
        final long[] last = {0, System.nanoTime()};
        return () ->
        {
            final long nowNs = System.nanoTime();
            final long total = counters.updatesReceived();
            final long rate = StatsPrinter.ratePerSecond(last[0], total, nowNs - last[1]);
            last[0] = total;
            last[1] = nowNs;
            final StringBuilder line = new StringBuilder(128)
                .append("feed subscribe: rate ").append(rate).append("/s total ").append(total)
                .append(" gaps ").append(counters.gapsDetected()).append(" lost ").append(counters.updatesLost());
            if (latency != null)
            {
                final LatencyWindow.Snapshot snapshot = latency.snapshot(slices);
                line.append(" p99 ").append(snapshot.count() == 0 ? "-" : StatsPrinter.micros(snapshot.p99Ns()))
                    .append(" max ").append(snapshot.count() == 0 ? "-" : StatsPrinter.micros(snapshot.maxNs()));
            }
            return line.append(" lag ").append(subscriber.ringOccupancy()).append('/')
                .append(subscriber.ringCapacity()).toString();
        };
    }
}
