package dev.feedhandler.cli;

import dev.feedhandler.metrics.SocketEventMetrics;
import dev.feedhandler.metrics.MetricsServer;
import dev.feedhandler.common.socket.SocketEvents;
import dev.feedhandler.common.testing.PrometheusText;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.metrics.PublisherMetrics;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.metrics.SubscriberMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A publisher and a subscriber over tcp, each with its own metrics endpoint, scraped over HTTP while the feed runs
 * and after it: the text parses as the Prometheus exposition format, counters only grow, and at the end they
 * agree with the publisher's summary and with what the subscriber's listener received, topic by topic.
 */
@Timeout(60)
class MetricsEndToEndTest
{
    private static final long COUNT = 20_000;

    @Test
    void shouldExposeCountersThatAgreeWithTheSummariesDuringAndAfterARun() throws Exception
    {
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        final SocketEvents publisherEvents = new SocketEvents();
        final SocketEvents subscriberEvents = new SocketEvents();
        final FeedPublisher publisher = Feeds.publisher("tcp://127.0.0.1:*", 20_000, COUNT, 1, null,
            publisherEvents.hook("feed"));
        final UpdateRecorder recorder = new UpdateRecorder();
        final PrometheusRegistry publisherRegistry = MetricsServer.newRegistry();
        PublisherMetrics.register(publisherRegistry, publisher.counters());
        SocketEventMetrics.register(publisherRegistry, publisherEvents);
        try (MetricsServer publisherServer = MetricsServer.start(publisherRegistry, "127.0.0.1", 0);
            FeedSubscriber subscriber = FeedSubscriber.builder()
                .endpoint(publisher.boundEndpoints().get(0))
                .socketEvents(subscriberEvents.socket("feed"))
                .listener(recorder)
                .build())
        {
            final PrometheusRegistry subscriberRegistry = MetricsServer.newRegistry();
            SubscriberMetrics.register(subscriberRegistry, subscriber);
            SocketEventMetrics.register(subscriberRegistry, subscriberEvents);
            try (MetricsServer subscriberServer = MetricsServer.start(subscriberRegistry, "127.0.0.1", 0))
            {
                subscriber.start();
                final Future<FeedPublisher.StopReason> run = executor.submit(publisher::run);

                // During the run: both endpoints parse, and counters never go down.
                await().atMost(Duration.ofSeconds(20)).until(() ->
                    PrometheusText.scrape(subscriberServer.url()).count("feed_subscriber_updates_received_total") > 0);
                final PrometheusText publisherEarly = PrometheusText.scrape(publisherServer.url());
                final PrometheusText subscriberEarly = PrometheusText.scrape(subscriberServer.url());
                final long publishedEarly = publisherEarly.count("feed_publisher_updates_published_total");
                final long receivedEarly = subscriberEarly.count("feed_subscriber_updates_received_total");
                assertThat(receivedEarly).isBetween(1L, COUNT);
                assertThat(publishedEarly).isBetween(0L, COUNT);

                assertThat(run.get(40, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
                assertThat(recorder.sessionEnded().await(20, TimeUnit.SECONDS)).isTrue();

                final Map<String, Object> summary = publisher.summary();
                final PrometheusText published = PrometheusText.scrape(publisherServer.url());
                final PrometheusText received = PrometheusText.scrape(subscriberServer.url());

                assertThat(published.count("feed_publisher_updates_published_total"))
                    .isEqualTo(summary.get("published")).isEqualTo(COUNT).isGreaterThanOrEqualTo(publishedEarly);
                assertThat(published.count("feed_publisher_batches_published_total")).isEqualTo(summary.get("batches"));
                assertThat(published.count("feed_publisher_bytes_sent_total")).isEqualTo(summary.get("bytesSent"));
                assertThat(published.count("feed_publisher_heartbeats_sent_total"))
                    .isEqualTo(summary.get("heartbeats"));
                assertThat(published.byLabel("feed_publisher_topic_updates_published_total", "topic"))
                    .isEqualTo(new TreeMap<>(topics(summary)));
                assertThat(published.count("feed_publisher_topics")).isEqualTo(Feeds.INSTRUMENTS);
                // One connection, plus one per socket the subscriber's watchdog replaced (JeroMQ 0.6.0 race).
                final long connections = 1 + subscriber.counters().reconnects();
                assertThat(published.count("feed_socket_events_total", "socket", "feed", "event", "accepted"))
                    .isEqualTo(connections);
                assertThat(published.count("feed_socket_events_total", "socket", "feed", "event", "listening"))
                    .isEqualTo(1);
                assertThat(published.count("feed_journal_lag_batches")).isZero();

                final long delivered = recorder.byTopic().values().stream().mapToLong(java.util.List::size).sum();
                assertThat(delivered).isEqualTo(COUNT);
                assertThat(received.count("feed_subscriber_updates_received_total"))
                    .isEqualTo(COUNT).isGreaterThanOrEqualTo(receivedEarly);
                assertThat(received.count("feed_subscriber_updates_delivered_total")).isEqualTo(COUNT);
                assertThat(received.count("feed_subscriber_batches_received_total"))
                    .isEqualTo(summary.get("batches"));
                assertThat(received.byLabel("feed_subscriber_topic_updates_received_total", "topic"))
                    .isEqualTo(new TreeMap<>(topics(summary)));
                assertThat(received.count("feed_subscriber_gaps_detected_total")).isZero();
                assertThat(received.count("feed_subscriber_updates_unrecoverable_total")).isZero();
                assertThat(received.count("feed_subscriber_decode_errors_total", "kind", "bad_topic")).isZero();
                assertThat(received.count("feed_subscriber_session_ends_total")).isEqualTo(1);
                assertThat(received.count("feed_subscriber_ring_capacity"))
                    .isEqualTo(subscriber.ringCapacity());
                assertThat(received.count("feed_socket_events_total", "socket", "feed", "event", "connected"))
                    .isEqualTo(connections);
                assertThat(received.count("feed_subscriber_reconnects_total")).isEqualTo(connections - 1);
                for (final PrometheusText text : new PrometheusText[] {published, received})
                {
                    assertThat(text.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
                    assertThat(text.types()).containsEntry("jvm_gc_collection_seconds", "summary");
                }
            }
        }
        finally
        {
            executor.shutdownNow();
            publisher.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> topics(final Map<String, Object> summary)
    {
        return (Map<String, Long>)summary.get("topics");
    }
}
