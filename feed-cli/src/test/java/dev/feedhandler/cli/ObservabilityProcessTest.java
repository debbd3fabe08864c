package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.testing.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The observability and security flags through {@code scripts/feed} in child processes: metrics endpoints scraped
 * over HTTP during and after a run, status lines, {@code feed keygen}, a CURVE feed between processes, and the
 * one-line errors (bad key files, a metrics port in use).
 */
@Timeout(120)
class ObservabilityProcessTest
{
    private static final Pattern METRICS_URL = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:\\d+/metrics)");
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    @Test
    void shouldServeMetricsThatAgreeWithTheSummariesAndPrintStatusLines() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        // block: the subscriber has no recovery, so it gets every update only if the publisher waits for it when a
        // loaded machine starves it (with drop, the default, PUB drops for it and it reports the gap).
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", endpoint,
            "--backpressure", "block",
            "--await-subscribers", "1", "--count", "20000", "--rate", "10000", "--instruments", "8",
            "--heartbeat-interval", "200ms", "--metrics-port", "0", "--stats-interval", "300ms"))
        {
            // The publisher holds its source until a subscriber arrives: scrape it then.
            final PrometheusText waiting = PrometheusText.scrape(metricsUrl(publisher));
            assertThat(waiting.count("feed_publisher_updates_published_total")).isZero();
            assertThat(waiting.count("feed_socket_events_total", "socket", "feed", "event", "listening")).isEqualTo(1);
            assertThat(waiting.count("feed_socket_peers", "socket", "feed")).isZero();

            try (FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", endpoint,
                "--duration", "90s", "--metrics-port", "0", "--stats-interval", "300ms"))
            {
                checkRun(publisher, subscriber, metricsUrl(subscriber));
            }
        }
    }

    private static void checkRun(final FeedProcess publisher, final FeedProcess subscriber, final String subscriberUrl)
        throws Exception
    {
        {
            // During the run.
            await().atMost(WAIT).until(() ->
                PrometheusText.scrape(subscriberUrl).count("feed_subscriber_updates_received_total") > 0);
            final PrometheusText during = PrometheusText.scrape(subscriberUrl);
            assertThat(during.count("feed_subscriber_updates_received_total")).isBetween(1L, 20_000L);
            // It connected: the connection counter, not the peers gauge, which falls back to 0 when the publisher
            // ends its 2 s run (on a loaded machine that can come before a scrape sees 1).
            await().atMost(WAIT).until(() -> PrometheusText.scrape(subscriberUrl)
                .count("feed_socket_events_total", "socket", "feed", "event", "connected") >= 1);

            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            assertThat(published.get("published")).isEqualTo(20_000L);

            // After: the subscriber stays up, its counters settle on what was published.
            await().atMost(WAIT).until(() -> PrometheusText.scrape(subscriberUrl)
                .count("feed_subscriber_session_ends_total") == 1);
            final PrometheusText after = PrometheusText.scrape(subscriberUrl);
            assertThat(after.count("feed_subscriber_updates_received_total")).isEqualTo(20_000L);
            assertThat(after.byLabel("feed_subscriber_topic_updates_received_total", "topic"))
                .isEqualTo(new TreeMap<>(topics(published)));
            assertThat(after.count("feed_subscriber_gaps_detected_total")).isZero();
            assertThat(after.count("feed_subscriber_batches_received_total")).isEqualTo(published.get("batches"));
            // The latency window rolls once a second: its count reaches every update.
            await().atMost(WAIT).until(() ->
                PrometheusText.scrape(subscriberUrl).count("feed_subscriber_latency_seconds_count") == 20_000L);
            final PrometheusText latency = PrometheusText.scrape(subscriberUrl);
            assertThat(latency.types()).containsEntry("feed_subscriber_latency_seconds", "summary");
            assertThat(latency.value("feed_subscriber_latency_seconds", "quantile", "0.99")).isPositive();

            subscriber.signal("TERM");
            // A JVM ended by SIGTERM exits with 143 after its shutdown hook printed the summary.
            assertThat(subscriber.waitFor(30)).isEqualTo(143);
            final Map<String, Object> received = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(received.get("received")).isEqualTo(20_000L);

            assertThat(publisher.stderrLines()).anyMatch(line ->
                line.matches("feed publish: rate \\d+/s total \\d+ batches \\d+ subscribers [01] journal-lag -"));
            assertThat(subscriber.stderrLines()).anyMatch(line -> line.matches(
                "feed subscribe: rate \\d+/s total \\d+ gaps 0 lost 0 p99 \\d+\\.\\dus max \\d+\\.\\dus " +
                    "lag \\d+/\\d+"));
        }
    }

    @Test
    void shouldRunACurveFeedBetweenProcessesWithKeysFromKeygen() throws Exception
    {
        final Path keys = dir.resolve("keys");
        final Path allow = dir.resolve("allow");
        try (FeedProcess server = FeedProcess.start(dir, "kg1", "keygen", "--out", keys.toString(), "publisher");
            FeedProcess client = FeedProcess.start(dir, "kg2", "keygen", "--out", keys.toString(), "desk-1"))
        {
            assertThat(server.waitFor(30)).as(server.stderr()).isZero();
            assertThat(client.waitFor(30)).as(client.stderr()).isZero();
            assertThat(server.stdoutLines()).hasSize(3);
            assertThat(server.stdoutLines().get(0)).isEqualTo("public  " + keys.resolve("publisher.key"));
            assertThat(server.stdoutLines().get(1)).isEqualTo("secret  " + keys.resolve("publisher.key_secret"));
            assertThat(server.stdoutLines().get(2)).matches("key     .{40}");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("desk-1.key_secret"))))
            .isEqualTo("rw-------");
        Files.createDirectories(allow);
        Files.copy(keys.resolve("desk-1.key"), allow.resolve("desk-1.key"));

        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", endpoint,
            "--backpressure", "block",
            "--await-subscribers", "1", "--count", "5000", "--rate", "10000", "--heartbeat-interval", "200ms",
            // Closing waits for the queue to reach the subscriber (at once when it is there): a CURVE subscriber on a
            // loaded machine was 1,153 updates behind when the default close linger ran out and the rest was dropped.
            "--close-linger", "60s",
            "--curve-secret", keys.resolve("publisher.key_secret").toString(), "--curve-allow", allow.toString());
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", endpoint,
                "--exit-on-end", "--duration", "100s",
                "--curve-server-key", keys.resolve("publisher.key").toString(),
                "--curve-cert", keys.resolve("desk-1.key_secret").toString()))
        {
            // The subscriber ends at the session's end; --duration only bounds a run that goes wrong.
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            assertThat(subscriber.waitFor(110)).as(subscriber.stderr()).isZero();
            assertThat(Json.parseObject(subscriber.lastStdoutLine()).get("received"))
                .as(subscriber.lastStdoutLine() + "\n" + subscriber.stderr()).isEqualTo(5000L);
            final String publicKey = Files.readAllLines(dir.resolve("kg2.out")).get(2).substring(8);
            assertThat(publisher.stderr()).contains("admitted CURVE client " + publicKey + " from 127.0.0.1");
        }
        try (FeedProcess again = FeedProcess.start(dir, "kg3", "keygen", "--out", keys.toString(), "desk-1"))
        {
            assertThat(again.waitFor(30)).isEqualTo(2);
            assertThat(again.stderrLines()).containsExactly("feed keygen: " + keys.resolve("desk-1.key") +
                " exists: refusing to overwrite it (--force replaces it)");
        }
    }

    @Test
    void shouldRefuseBadKeyFilesAndATakenMetricsPortWithOneLineAndStatus2() throws Exception
    {
        final Path keys = dir.resolve("keys");
        try (FeedProcess keygen = FeedProcess.start(dir, "kg", "keygen", "--out", keys.toString(), "pub"))
        {
            assertThat(keygen.waitFor(30)).isZero();
        }
        final Path secret = keys.resolve("pub.key_secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        final Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "not a { certificate\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
            FeedProcess open = FeedProcess.start(dir, "open", "publish", "--curve-secret", secret.toString(),
                "--curve-allow-any");
            FeedProcess bad = FeedProcess.start(dir, "bad", "subscribe", "--curve-server-key", garbage.toString(),
                "--curve-cert", keys.resolve("missing.key_secret").toString());
            FeedProcess half = FeedProcess.start(dir, "half", "publish", "--curve-secret", secret.toString());
            FeedProcess port = FeedProcess.start(dir, "port", "subscribe", "--metrics-port",
                Integer.toString(taken.getLocalPort()));
            FeedProcess publisherPort = FeedProcess.start(dir, "pubport", "publish",
                "--bind", "tcp://127.0.0.1:" + FeedProcess.freePort(),
                "--recovery-bind", "tcp://127.0.0.1:" + FeedProcess.freePort(),
                "--metrics-port", Integer.toString(taken.getLocalPort())))
        {
            assertOneLine(open, "feed publish: refusing secret key file " + secret +
                ": its mode rw-r--r-- lets group or others at it (expected rw-------; run chmod 600 " + secret + ")");
            assertOneLine(bad, "feed subscribe: cannot read key file " + garbage +
                ": not a ZeroMQ certificate (ZPL format, as written by feed keygen)");
            assertOneLine(half, "feed publish: --curve-secret needs --curve-allow DIR (an allow-list of client " +
                "certificates) or --curve-allow-any");
            assertOneLine(port, "feed subscribe: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() +
                ": address already in use");
            assertOneLine(publisherPort, "feed publish: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() +
                ": address already in use");
            assertThat(publisherPort.stdoutLines()).as("no summary of a run that never started").isEmpty();
        }
    }

    private static void assertOneLine(final FeedProcess process, final String line) throws InterruptedException
    {
        assertThat(process.waitFor(30)).as(process.stderr()).isEqualTo(2);
        assertThat(process.stderrLines()).containsExactly(line);
    }

    private static String metricsUrl(final FeedProcess process)
    {
        final String[] url = new String[1];
        await().atMost(WAIT).until(() ->
        {
            for (final String line : process.stderrLines())
            {
                final Matcher matcher = METRICS_URL.matcher(line);
                if (matcher.find())
                {
                    url[0] = matcher.group(1);
                    return true;
                }
            }
            return false;
        });
        return url[0];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> topics(final Map<String, Object> summary)
    {
        return (Map<String, Long>)summary.get("topics");
    }

}
