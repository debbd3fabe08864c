package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both conflations through the command line, as real child processes: {@code feed publish --conflated-bind
 * --conflate-interval}, a {@code feed subscribe --conflate} whose listener is far too slow for the feed
 * ({@code --listener-work}), and a {@code feed subscribe} on the conflated stream. Each summary accounts for every
 * update published (delivered, or merged and counted in {@code conflated}), carries {@code age_us}, and
 * {@code feed compare} agrees.
 */
@Timeout(120)
class ConflationProcessTest
{
    private static final long COUNT = 20_000;

    @TempDir
    Path dir;

    @Test
    void shouldAccountForEveryUpdateOnBothConflationsFromTheCommandLine() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String stream = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed,
            "--recovery-bind", recovery, "--conflated-bind", stream, "--conflate-interval", "50ms",
            "--await-subscribers", "2", "--count", Long.toString(COUNT), "--rate", "20000", "--instruments", "10",
            "--heartbeat-interval", "200ms");
            // 300 µs per update: about 3,300 updates a second against 20,000.
            FeedProcess slow = FeedProcess.start(dir, "slow", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--conflate", "--listener-work", "300us", "--exit-on-end",
                "--duration", "90s");
            FeedProcess onStream = FeedProcess.start(dir, "stream", "subscribe", "--connect", stream,
                "--no-recovery", "--exit-on-end", "--duration", "90s"))
        {
            assertThat(publisher.waitFor(90)).as(publisher.stderr()).isZero();
            assertThat(slow.waitFor(60)).as(slow.stderr()).isZero();
            assertThat(onStream.waitFor(60)).as(onStream.stderr()).isZero();

            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            assertThat(published.get("published")).isEqualTo(COUNT);
            @SuppressWarnings("unchecked")
            final Map<String, Object> conflatedStream = (Map<String, Object>)published.get("conflated");
            assertThat(conflatedStream.get("updatesCovered")).isEqualTo(COUNT);

            final Map<String, Object> merged = Json.parseObject(slow.lastStdoutLine());
            assertThat((Long)merged.get("conflated")).as("the listener must be overloaded").isPositive();
            final Map<String, Object> streamed = Json.parseObject(onStream.lastStdoutLine());
            assertThat(streamed.get("batches")).as("every message of the stream arrived")
                .isEqualTo(conflatedStream.get("messages"));
            for (final Map<String, Object> summary : java.util.List.of(merged, streamed))
            {
                assertThat((Long)summary.get("received") + (Long)summary.get("conflated")).isEqualTo(COUNT);
                assertThat(sum(summary.get("conflatedByTopic"))).isEqualTo(summary.get("conflated"));
                assertThat(summary.get("tradesDropped")).isEqualTo(0L);
                assertThat(summary.get("unrecoverable")).isEqualTo(0L);
                assertThat(summary.get("decodeErrors")).isEqualTo(0L);
                assertThat(summary.get("publisherEnded")).isEqualTo(true);
                @SuppressWarnings("unchecked")
                final Map<String, Object> age = (Map<String, Object>)summary.get("age_us");
                assertThat(age).containsKeys("p50", "p99", "max", "count");
                assertThat((Long)age.get("count")).isPositive();
            }

            final ByteArrayOutputStream verdict = new ByteArrayOutputStream();
            final int status = new picocli.CommandLine(new CompareCommand(
                new PrintStream(verdict, true, StandardCharsets.UTF_8))).execute(
                "--publisher", publisher.stdoutFile().toString(),
                "--subscriber", slow.stdoutFile().toString(),
                "--subscriber", onStream.stdoutFile().toString());
            assertThat(status).as(verdict.toString(StandardCharsets.UTF_8)).isZero();
        }
    }

    private static long sum(final Object counts)
    {
        return ((Map<?, ?>)counts).values().stream().mapToLong(v -> (Long)v).sum();
    }
}
