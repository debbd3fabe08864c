package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/feed publish} and {@code scripts/feed subscribe} as real child processes: the subscribers'
 * summaries match the publisher's; bad endpoints and flags are one-line errors with exit status 2; a signal stops
 * a publisher gracefully with its summary.
 */
@Timeout(120)
class ProcessEndToEndTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReceiveInSubscriberProcessesExactlyWhatThePublisherProcessPublished() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        // The publisher waits for a subscriber that falls behind (block), so neither loses a frame without recovery
        // however loaded the machine (with drop, the default, PUB drops for a starved subscriber: a gap it reports).
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", endpoint,
            "--backpressure", "block",
            "--await-subscribers", "2", "--count", "30000", "--rate", "30000", "--instruments", "15",
            "--heartbeat-interval", "200ms");
            FeedProcess all = FeedProcess.start(dir, "all", "subscribe", "--connect", endpoint,
                "--exit-on-end", "--duration", "90s");
            FeedProcess eur = FeedProcess.start(dir, "eur", "subscribe", "--connect", endpoint,
                "--topic", "EUR", "--exit-on-end", "--duration", "90s", "--listener-thread", "receiver"))
        {
            assertThat(publisher.waitFor(90)).as(publisher.stderr()).isZero();
            assertThat(all.waitFor(60)).as(all.stderr()).isZero();
            assertThat(eur.waitFor(60)).as(eur.stderr()).isZero();

            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            final Map<String, Object> receivedAll = Json.parseObject(all.lastStdoutLine());
            final Map<String, Object> receivedEur = Json.parseObject(eur.lastStdoutLine());

            assertThat(published.get("published")).isEqualTo(30_000L);
            assertThat(receivedAll.get("received")).isEqualTo(30_000L);
            assertThat(new TreeMap<>(topics(receivedAll))).isEqualTo(new TreeMap<>(topics(published)));
            final Map<String, Object> eurTopics = new TreeMap<>(topics(published));
            eurTopics.keySet().removeIf(topic -> !topic.startsWith("EUR"));
            assertThat(new TreeMap<>(topics(receivedEur))).isEqualTo(eurTopics);
            for (final Map<String, Object> summary : java.util.List.of(receivedAll, receivedEur))
            {
                assertThat(summary.get("gapsDetected")).isEqualTo(0L);
                assertThat(summary.get("decodeErrors")).isEqualTo(0L);
                assertThat(summary.get("publisherEnded")).isEqualTo(true);
                assertThat(summary.get("stopReason")).as("--exit-on-end stopped it").isEqualTo("end");
                assertThat(latency(summary)).containsKeys("p50", "p90", "p99", "p999", "max");
            }

            final ByteArrayOutputStream verdict = new ByteArrayOutputStream();
            final int status = new picocli.CommandLine(new CompareCommand(
                new PrintStream(verdict, true, StandardCharsets.UTF_8))).execute(
                "--publisher", publisher.stdoutFile().toString(),
                "--subscriber", all.stdoutFile().toString(),
                "--subscriber", eur.stdoutFile() + "=EUR");
            assertThat(status).as(verdict.toString(StandardCharsets.UTF_8)).isZero();
        }
    }

    @Test
    void shouldStopGracefullyOnSigtermAndStillPrintTheSummary() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", endpoint,
            "--rate", "5000", "--stats-interval", "100ms"))
        {
            // Signal once the publisher is publishing: its status line has counted updates.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> publisher.stderr().matches("(?s).*feed publish: rate \\d+/s total [1-9].*"));
            publisher.signal("TERM");
            publisher.waitFor(30);
            final Map<String, Object> summary = Json.parseObject(publisher.lastStdoutLine());
            assertThat(summary.get("stopReason")).isEqualTo("stopped");
            assertThat((Long)summary.get("published")).isPositive();
            assertThat(summary).containsKeys("published", "batches", "topics", "elapsedSeconds");
        }
    }

    @Test
    void shouldFailWithOneLineAndStatus2WhenTheAddressIsInUse() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind",
                "tcp://127.0.0.1:" + taken.getLocalPort()))
        {
            assertThat(publisher.waitFor(30)).isEqualTo(2);
            assertThat(publisher.stderrLines()).containsExactly(
                "feed publish: cannot bind tcp://127.0.0.1:" + taken.getLocalPort() + ": address already in use");
        }
    }

    @Test
    void shouldFailWithOneLineAndStatus2ForMalformedEndpoints() throws Exception
    {
        final String[][] cases = {
            {"tcp://127.0.0.1:notaport", "feed publish: cannot bind tcp://127.0.0.1:notaport: malformed port"},
            {"nonsense", "feed publish: cannot bind nonsense: malformed endpoint"},
            {"udp://127.0.0.1:5000", "feed publish: cannot bind udp://127.0.0.1:5000: unsupported transport 'udp'"},
            {"tcp://127.0.0.1:99999", "feed publish: cannot bind tcp://127.0.0.1:99999: port out of range"},
        };
        int i = 0;
        for (final String[] c : cases)
        {
            try (FeedProcess publisher = FeedProcess.start(dir, "pub" + i++, "publish", "--bind", c[0]))
            {
                assertThat(publisher.waitFor(30)).as(c[0]).isEqualTo(2);
                assertThat(publisher.stderrLines()).as(c[0]).hasSize(1);
                assertThat(publisher.stderrLines().get(0)).startsWith(c[1]);
            }
        }
    }

    @Test
    void shouldRejectABadFlagWithOneLineAndStatus2() throws Exception
    {
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--rate", "fast");
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--no-such-flag"))
        {
            assertThat(publisher.waitFor(30)).isEqualTo(2);
            assertThat(publisher.stderrLines()).hasSize(1);
            assertThat(publisher.stderrLines().get(0))
                .startsWith("feed publish: ")
                .contains("'fast' is not a positive rate");
            assertThat(subscriber.waitFor(30)).isEqualTo(2);
            assertThat(subscriber.stderrLines()).hasSize(1);
            assertThat(subscriber.stderrLines().get(0)).startsWith("feed subscribe: Unknown option: '--no-such-flag'");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> latency(final Map<String, Object> summary)
    {
        return (Map<String, Object>)summary.get("latency_us");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> topics(final Map<String, Object> summary)
    {
        return (Map<String, Object>)summary.get("topics");
    }
}
