package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code feed publish} as a user runs it: the message budget on the command line, envelopes of many instruments
 * to subscriber processes, and a socket option that JeroMQ cannot apply refused up front.
 */
@Timeout(120)
class PublisherBudgetProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldSendNoMoreBatchesThanTheBudgetAllows() throws Exception
    {
        final int instruments = 10;
        final long budget = 2_000;
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind",
            "tcp://127.0.0.1:" + FeedProcess.freePort(), "--recovery-bind", "none", "--instruments", "" + instruments,
            "--rate", "50k", "--batch-max-rate", "" + budget, "--batch-linger", "0", "--duration", "3s"))
        {
            assertThat(publisher.waitFor(60)).isZero();
            final Map<String, Object> summary = Json.parseObject(publisher.lastStdoutLine());
            final long batches = ((Number)summary.get("batches")).longValue();
            final double seconds = ((Number)summary.get("elapsedSeconds")).doubleValue();
            // The budget's tokens over the session, its burst (1 ms of budget), and the final flush of every topic.
            assertThat(batches).isPositive().isLessThanOrEqualTo((long)Math.ceil(budget * seconds) + budget / 1000 +
                instruments);
            assertThat(((Number)summary.get("published")).longValue()).isGreaterThan(batches);
            assertThat(summary).containsKeys("budgetFlushes", "batchesPerSecond", "updatesPerBatch", "unsentFrames");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldCarryManyInstrumentsInEnvelopesToSubscribersThatFilterThemselves() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        // block: nothing is lost however loaded the machine, so every count below is exact.
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", endpoint, "--envelope",
            "--backpressure", "block", "--await-subscribers", "2", "--count", "40000", "--rate", "40000",
            "--instruments", "400", "--heartbeat-interval", "200ms");
            FeedProcess all = FeedProcess.start(dir, "all", "subscribe", "--connect", endpoint, "--verify",
                "--exit-on-end", "--duration", "90s");
            FeedProcess eur = FeedProcess.start(dir, "eur", "subscribe", "--connect", endpoint, "--topic", "EUR",
                "--verify", "--exit-on-end", "--duration", "90s"))
        {
            assertThat(publisher.waitFor(90)).as(publisher.stderr()).isZero();
            assertThat(all.waitFor(60)).as(all.stderr()).isZero();
            assertThat(eur.waitFor(60)).as(eur.stderr()).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            final Map<String, Object> receivedAll = Json.parseObject(all.lastStdoutLine());
            final Map<String, Object> receivedEur = Json.parseObject(eur.lastStdoutLine());

            assertThat((Long)published.get("envelopes")).isPositive();
            assertThat((Long)published.get("messages")).isLessThan((Long)published.get("batches"));
            assertThat(receivedAll.get("received")).isEqualTo(40_000L);
            assertThat(new TreeMap<>((Map<String, Object>)receivedAll.get("topics")))
                .isEqualTo(new TreeMap<>((Map<String, Object>)published.get("topics")));
            final Map<String, Object> eurTopics = new TreeMap<>((Map<String, Object>)published.get("topics"));
            eurTopics.keySet().removeIf(topic -> !topic.startsWith("EUR"));
            assertThat(new TreeMap<>((Map<String, Object>)receivedEur.get("topics"))).isEqualTo(eurTopics);
            for (final Map<String, Object> summary : List.of(receivedAll, receivedEur))
            {
                assertThat(summary.get("gapsDetected")).isEqualTo(0L);
                assertThat(summary.get("decodeErrors")).isEqualTo(0L);
                assertThat(((Map<String, Object>)summary.get("verify")).get("violations")).isEqualTo(0L);
                assertThat(summary.get("publisherEnded")).isEqualTo(true);
            }
        }
    }

    @Test
    void shouldRefuseASendBufferOnATcpBindWithOneLineAndStatus2() throws Exception
    {
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind",
            "tcp://127.0.0.1:" + FeedProcess.freePort(), "--sndbuf", "262144"))
        {
            assertThat(publisher.waitFor(30)).isEqualTo(2);
            assertThat(publisher.stderrLines()).hasSize(1);
            assertThat(publisher.stderrLines().get(0))
                .startsWith("feed publish: --sndbuf cannot be used with tcp://127.0.0.1:");
        }
    }
}
