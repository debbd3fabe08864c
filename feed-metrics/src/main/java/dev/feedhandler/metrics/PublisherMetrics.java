package dev.feedhandler.metrics;

import dev.feedhandler.common.metrics.JournalStatistics;
import dev.feedhandler.common.metrics.TopicLabels;
import dev.feedhandler.publisher.PublisherCounters;
import dev.feedhandler.publisher.conflate.ConflatingPublication;
import dev.feedhandler.publisher.recovery.RecoveryService;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The publisher's Prometheus metrics, every one read at scrape time from {@link PublisherCounters} (and from the
 * journal's {@link JournalStatistics} once issue 4 hands one over): nothing is added to the hot path.
 */
public final class PublisherMetrics
{
    private final PublisherCounters counters;
    private volatile JournalStatistics journal = JournalStatistics.NONE;
    private volatile ConflatingPublication conflated;
    private volatile RecoveryService recovery;
    private volatile int expectedSubscribers;

    private PublisherMetrics(final PublisherCounters counters)
    {
        this.counters = counters;
    }

    /**
     * Registers the publisher's metrics.
     *
     * @param registry where.
     * @param counters the publisher's counters ({@code FeedPublisher.counters()}).
     * @return the metrics, to bind a journal to later.
     */
    public static PublisherMetrics register(final PrometheusRegistry registry, final PublisherCounters counters)
    {
        final PublisherMetrics metrics = new PublisherMetrics(counters);
        metrics.registerAll(registry);
        return metrics;
    }

    /**
     * Feeds the journal metrics ({@code feed_journal_*}) from the journal; until this is called they read 0.
     *
     * @param statistics the journal's figures, readable from any thread.
     */
    public void journal(final JournalStatistics statistics)
    {
        journal = Objects.requireNonNull(statistics);
    }

    /**
     * Binds the conflated stream's figures (they read 0 until then, and without a conflated stream).
     *
     * @param stream the publisher's conflated stream, or null.
     */
    public void conflated(final ConflatingPublication stream)
    {
        conflated = stream;
    }

    /**
     * Binds the recovery service's figures (they read 0 until then, and without a service).
     *
     * @param service the publisher's recovery service, or null.
     */
    public void recovery(final RecoveryService service)
    {
        recovery = service;
    }

    /**
     * Sets {@code feed_publisher_subscribers_expected}, what alert rules compare {@code feed_publisher_subscribers}
     * with; 0 (the default) expects none.
     *
     * @param count subscribers expected.
     */
    public void expectedSubscribers(final int count)
    {
        expectedSubscribers = count;
    }

    private void registerAll(final PrometheusRegistry registry)
    {
        counter(registry, "feed_publisher_updates_published_total", "Updates published (quotes and trades)",
            PublisherCounters::publishedUpdates);
        counter(registry, "feed_publisher_batches_published_total", "Batches published",
            PublisherCounters::publishedBatches);
        counter(registry, "feed_publisher_heartbeats_sent_total", "Heartbeats sent (end-of-session ones included)",
            PublisherCounters::heartbeatsSent);
        counter(registry, "feed_publisher_bytes_sent_total", "Bytes handed to the socket, topic frames included",
            PublisherCounters::bytesSent);
        counter(registry, "feed_publisher_messages_sent_total",
            "Messages handed to the socket (with --envelope an envelope of several frames is one message)",
            PublisherCounters::messagesSent);
        counter(registry, "feed_publisher_frames_sent_total",
            "Frames (batches, heartbeats, session status) handed to the socket, alone or in envelopes",
            PublisherCounters::framesSent);
        counter(registry, "feed_publisher_envelopes_sent_total",
            "Envelopes of two frames or more handed to the socket (--envelope)",
            PublisherCounters::envelopesSent);
        counter(registry, "feed_publisher_send_retries_total",
            "Times a blocking send (--backpressure block) found a subscriber's queue full",
            PublisherCounters::sendRetries);
        counter(registry, "feed_publisher_full_batches_total", "Batches closed because they were full",
            PublisherCounters::fullBatches);
        counter(registry, "feed_publisher_linger_flushes_total", "Batches closed by the linger",
            PublisherCounters::lingerFlushes);
        counter(registry, "feed_publisher_over_budget_seconds_total",
            "Seconds in which the linger, not the message budget, set the message rate, over the budget " +
            "(too many topics with traffic for the budget; a longer --batch-linger sends fewer messages)",
            PublisherCounters::overBudgetSeconds);
        CounterWithCallback.builder()
            .name("feed_publisher_topic_updates_published_total")
            .help("Updates published per topic: the first " + TopicLabels.MAX_TOPIC_LABELS +
                " topics by name, the rest together as topic=\"" + TopicLabels.OTHER + "\"")
            .labelNames("topic")
            .callback(callback ->
            {
                final int topics = counters.topics();
                for (int id = 0; id < Math.min(topics, TopicLabels.MAX_TOPIC_LABELS); id++)
                {
                    final String symbol = counters.topicSymbol(id);
                    if (symbol != null)
                    {
                        callback.call(counters.topicUpdates(id), symbol);
                    }
                }
                if (topics > TopicLabels.MAX_TOPIC_LABELS)
                {
                    callback.call(counters.topicUpdates(TopicLabels.MAX_TOPIC_LABELS), TopicLabels.OTHER);
                }
            })
            .register(registry);
        gauge(registry, "feed_publisher_subscribers", "Subscribers that announced themselves and are connected",
            PublisherCounters::subscribers);
        gauge(registry, "feed_publisher_topics", "Topics of the session", PublisherCounters::topics);
        GaugeWithCallback.builder()
            .name("feed_publisher_batch_linger_seconds")
            .help("The batch linger now: --batch-linger, or longer while --batch-linger-max stretches it")
            .callback(callback -> callback.call(counters.lingerNanos() / 1e9))
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_publisher_subscribers_expected")
            .help("Subscribers this publisher expects (--expected-subscribers): alert when fewer are connected")
            .callback(callback -> callback.call(expectedSubscribers))
            .register(registry);

        recoveryCounter(registry, "feed_publisher_recovery_frames_not_windowed_total",
            "Frames sent that the hand-off ring to the recovery service had no room for (its thread fell behind, " +
            "--recovery-handoff): requests for them are served from --journal, or unrecoverable without",
            RecoveryService::notWindowed);
        recoveryCounter(registry, "feed_publisher_recovery_session_end_frames_late_total",
            "Frames of the session's end that went to the recovery service beside its hand-off ring, which stayed " +
            "full for the end's whole wait (its thread starved of CPU): delivered all the same, in order",
            RecoveryService::endsLate);

        registerJournal(registry);
        conflatedCounter(registry, "feed_publisher_conflated_messages_sent_total",
            "Messages sent on the conflated stream: one per changed topic and interval (0 without --conflated-bind)",
            ConflatingPublication::messagesSent);
        conflatedCounter(registry, "feed_publisher_conflated_updates_covered_total",
            "Updates of the feed the conflated stream's messages covered (0 without --conflated-bind)",
            ConflatingPublication::updatesCovered);
        conflatedCounter(registry, "feed_publisher_conflated_trades_counted_total",
            "Trades the conflated stream counted instead of sending (0 without --conflated-bind)",
            ConflatingPublication::tradesCounted);
        conflatedCounter(registry, "feed_publisher_conflated_bytes_sent_total",
            "Bytes of the conflated stream's messages, topic frames included (0 without --conflated-bind)",
            ConflatingPublication::bytesSent);
        GaugeWithCallback.builder()
            .name("feed_publisher_conflated_subscribers")
            .help("Subscribers of the conflated stream that announced themselves and are connected")
            .callback(callback ->
            {
                final ConflatingPublication stream = conflated;
                callback.call(stream == null ? 0 : stream.subscriberCount());
            })
            .register(registry);
    }

    private void registerJournal(final PrometheusRegistry registry)
    {
        CounterWithCallback.builder()
            .name("feed_journal_batches_written_total")
            .help("Frames (batches, heartbeats, session status) written to the journal (0 without --journal)")
            .callback(callback -> callback.call(journal.batchesWritten()))
            .register(registry);
        CounterWithCallback.builder()
            .name("feed_journal_bytes_written_total")
            .help("Bytes of entries written to the journal: header, topic and payload (0 without --journal)")
            .callback(callback -> callback.call(journal.bytesWritten()))
            .register(registry);
        CounterWithCallback.builder()
            .name("feed_journal_page_cache_released_bytes_total")
            .help("Bytes of the journal behind its writer released from the page cache (--journal-cached; 0 " +
                "without --journal or with --journal-cached all)")
            .callback(callback -> callback.call(journal.pageCacheReleasedBytes()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_journal_lag_batches")
            .help("Frames sent but not yet journaled (0 without --journal)")
            .callback(callback -> callback.call(journal.lagBatches()))
            .register(registry);
        CounterWithCallback.builder()
            .name("feed_journal_frames_not_journaled_total")
            .help("Frames sent that the journal will never hold: dropped (--journal-full drop) or not written (an " +
                "I/O error, no room on its file system)")
            .callback(callback -> callback.call(journal.framesNotJournaled()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_journal_stopped")
            .help("1 while the journal writes nothing (less than 64 MiB free on its file system, or a write " +
                "faulted): alert on it; the feed goes on")
            .callback(callback -> callback.call(journal.stopped() ? 1 : 0))
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_journal_ring_occupancy")
            .help("Bytes in use in the hand-off ring to the journal thread: frames sent, not yet journaled")
            .callback(callback -> callback.call(journal.ringOccupancy()))
            .register(registry);
        GaugeWithCallback.builder()
            .name("feed_journal_ring_capacity")
            .help("Size of the hand-off ring to the journal thread, in bytes (0 without --journal)")
            .callback(callback -> callback.call(journal.ringCapacity()))
            .register(registry);
    }

    private void recoveryCounter(
        final PrometheusRegistry registry, final String name, final String help,
        final ToLongFunction<RecoveryService> value)
    {
        counterOfLater(registry, name, help, () -> recovery, value);
    }

    private void conflatedCounter(
        final PrometheusRegistry registry, final String name, final String help,
        final ToLongFunction<ConflatingPublication> value)
    {
        counterOfLater(registry, name, help, () -> conflated, value);
    }

    /** A counter of a part that is set once the publisher starts, or never: zero until then. */
    private static <T> void counterOfLater(
        final PrometheusRegistry registry, final String name, final String help, final Supplier<T> part,
        final ToLongFunction<T> value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback(callback ->
            {
                final T now = part.get();
                callback.call(now == null ? 0 : value.applyAsLong(now));
            })
            .register(registry);
    }

    private void counter(
        final PrometheusRegistry registry, final String name, final String help,
        final ToLongFunction<PublisherCounters> value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback(callback -> callback.call(value.applyAsLong(counters)))
            .register(registry);
    }

    private void gauge(
        final PrometheusRegistry registry, final String name, final String help,
        final ToLongFunction<PublisherCounters> value)
    {
        GaugeWithCallback.builder()
            .name(name)
            .help(help)
            .callback(callback -> callback.call(value.applyAsLong(counters)))
            .register(registry);
    }

    /**
     * The status line of {@code --stats-interval}: rate since the last line, totals, subscribers, journal lag.
     *
     * @param counters the publisher's counters.
     * @param journal  the journal's figures ({@link JournalStatistics#NONE} without a journal).
     * @return a line builder that remembers the previous reading; for one printer thread.
     */
    public static Supplier<String> statusLine(
        final PublisherCounters counters, final Supplier<JournalStatistics> journal)
    {
        final long[] last = {0, System.nanoTime()};
        return () ->
        {
            final long nowNs = System.nanoTime();
            final long updates = counters.publishedUpdates();
            final long rate = StatsPrinter.ratePerSecond(last[0], updates, nowNs - last[1]);
            last[0] = updates;
            last[1] = nowNs;
            final JournalStatistics statistics = journal.get();
            return "feed publish: rate " + rate + "/s total " + updates + " batches " + counters.publishedBatches() +
                " subscribers " + counters.subscribers() + " journal-lag " +
                (statistics == JournalStatistics.NONE ? "-" : Long.toString(statistics.lagBatches()));
        };
    }

    /**
     * The journal's figures currently fed in.
     *
     * @return the statistics, {@link JournalStatistics#NONE} until {@link #journal} is called.
     */
    public JournalStatistics journal()
    {
        return journal;
    }
}
