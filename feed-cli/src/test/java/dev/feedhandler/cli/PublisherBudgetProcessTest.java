package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code feed publish} as a user runs it: the message budget on the command line, and a socket option that JeroMQ
 * cannot apply refused up front.
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
