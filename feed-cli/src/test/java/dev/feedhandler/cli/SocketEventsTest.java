package dev.feedhandler.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.feedhandler.metrics.SocketEventMetrics;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.socket.SocketEvents;
import dev.feedhandler.common.testing.LogCapture;
import dev.feedhandler.common.testing.PrometheusText;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.subscriber.FeedSubscriber;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMonitor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Socket events over real tcp connections: a subscriber connecting, disconnecting and reconnecting (to a publisher
 * restarted on the same port) produces the expected log lines, with endpoint and peer, and counts on both sides.
 */
@Timeout(60)
class SocketEventsTest
{
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final Logger logger = (Logger)LoggerFactory.getLogger(SocketEventLog.class);
    private Level level;

    /** A peer's connections after its failures repeated are logged at DEBUG: captured too. */
    @BeforeEach
    void captureDebug()
    {
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void restoreLevel()
    {
        logger.setLevel(level);
    }

    @Test
    void shouldLogAndCountConnectDisconnectAndReconnectOnBothSides() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final SocketEvents publisherEvents = new SocketEvents();
        final SocketEvents subscriberEvents = new SocketEvents();
        final SocketEventLog pub = publisherEvents.socket("feed");
        final SocketEventLog sub = subscriberEvents.socket("sub");

        try (LogCapture log = LogCapture.of(SocketEventLog.class))
        {
            final FeedPublisher first = Feeds.publisher(endpoint, 1000, 0, 0, null, publisherEvents.hook("feed"));
            final String peer;
            final long stalls;
            try (FeedSubscriber subscriber = FeedSubscriber.builder().endpoint(endpoint).socketEvents(sub)
                .listener(new UpdateRecorder()).build().start())
            {
                // Connect: the publisher accepts a peer, the subscriber connects from that same address.
                // Greetings exchanged, not only TCP connected: a connection stalled in JeroMQ 0.6.0's connect race
                // is connected too, and the watchdog replaces it after a second.
                await().atMost(WAIT).until(() -> pub.peers() == 1 && sub.peers() == 1 &&
                    sub.count(ZMonitor.Event.HANDSHAKE_PROTOCOL) >= 1);
                assertThat(subscriber.socketEvents()).isSameAs(sub);
                final String connected = last(log, "INFO sub: connected to " + endpoint + " from 127.0.0.1:");
                peer = connected.substring(connected.lastIndexOf(" from ") + 6, connected.indexOf(" (1 connected)"));
                // At INFO, or at DEBUG once stalled connects from this host repeated (two in a row: seen once).
                assertThat(last(log, "feed: accepted " + peer + " on " + endpoint)).endsWith(" connected)");
                assertThat(log.linesWith("INFO feed: listening on " + endpoint)).hasSize(1);

                // Disconnect: the publisher goes away; the subscriber sees it and keeps retrying.
                first.close();
                await().atMost(WAIT).until(() -> sub.count(ZMonitor.Event.DISCONNECTED) >= 1);
                assertThat(last(log, "INFO sub: disconnected from " + endpoint + " after "))
                    .endsWith("(0 connected)");
                assertThat(sub.peers()).isZero();

                // Reconnect: a new publisher on the same port; the subscriber's socket connects again by itself.
                final FeedPublisher second = Feeds.publisher(endpoint, 1000, 0, 0, null, publisherEvents.hook("feed"));
                try
                {
                    await().atMost(WAIT).until(() ->
                        sub.count(ZMonitor.Event.CONNECTED) == 2 + subscriber.counters().reconnects() &&
                        pub.peers() == 1);
                    assertThat(log.linesWith("INFO sub: connected to " + endpoint))
                        .hasSize(2 + (int)subscriber.counters().reconnects());
                    assertThat(log.linesWith("feed: accepted 127.0.0.1:"))
                        .hasSize(2 + (int)subscriber.counters().reconnects());
                }
                finally
                {
                    second.close();
                }
                // A connection that stalled in JeroMQ 0.6.0's connect race is replaced: one more of each.
                stalls = subscriber.counters().reconnects();
            }

            // (A closing socket's own "closed" event races JeroMQ's removal of the monitor: not asserted.)
            assertThat(pub.count(ZMonitor.Event.LISTENING)).isEqualTo(2);
            assertThat(pub.count(ZMonitor.Event.ACCEPTED)).isEqualTo(2 + stalls);
            assertThat(sub.count(ZMonitor.Event.CONNECTED)).isEqualTo(2 + stalls);
            assertThat(sub.count(ZMonitor.Event.DISCONNECTED)).isGreaterThanOrEqualTo(1);
            // Only a stalled connection (closed by the subscriber's watchdog) ends before its greeting.
            assertThat(pub.greetingFailures()).isBetween(0L, stalls);
            assertThat(sub.greetingFailures()).isZero();
            assertThat(log.lines().stream().filter(line -> line.startsWith("WARN")).count()).isBetween(0L, stalls);

            final PrometheusText publisherMetrics = metrics(publisherEvents);
            assertThat(publisherMetrics.count("feed_socket_events_total", "socket", "feed", "event", "accepted"))
                .isEqualTo(2 + stalls);
            assertThat(publisherMetrics.count("feed_socket_events_total", "socket", "feed", "event", "listening"))
                .isEqualTo(2);
            final PrometheusText subscriberMetrics = metrics(subscriberEvents);
            assertThat(subscriberMetrics.count("feed_socket_events_total", "socket", "sub", "event", "connected"))
                .isEqualTo(2 + stalls);
            assertThat(subscriberMetrics.count("feed_socket_events_total", "socket", "sub", "event", "disconnected"))
                .isEqualTo(sub.count(ZMonitor.Event.DISCONNECTED));
            assertThat(subscriberMetrics.count("feed_socket_peers", "socket", "sub")).isZero();
        }
    }

    /**
     * The last captured line that starts with {@code prefix}, or, for a prefix without a level, that starts with it
     * after the level (INFO or DEBUG).
     */
    private static String last(final LogCapture log, final String prefix)
    {
        await().atMost(WAIT).until(() -> log.lines().stream().anyMatch(line -> matches(line, prefix)));
        final List<String> lines = log.lines().stream().filter(line -> matches(line, prefix)).toList();
        return lines.get(lines.size() - 1);
    }

    private static boolean matches(final String line, final String prefix)
    {
        return line.startsWith(prefix) || line.startsWith("INFO " + prefix) || line.startsWith("DEBUG " + prefix);
    }

    private static PrometheusText metrics(final SocketEvents events) throws Exception
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        SocketEventMetrics.register(registry, events);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }
}
