package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code feed replay ... | head} and {@code feed subscribe --print | head}: once their reader has gone, they stop
 * instead of formatting updates for nobody; real processes and a real pipe.
 */
@Timeout(120)
class ReplayToClosedOutputTest
{
    private static final int UPDATES = 300_000;

    @TempDir
    Path dir;

    @Test
    void shouldStopWhenWhatReadsItsOutputHasGone() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", "tcp://127.0.0.1:0",
            "--rate", "max", "--count", Integer.toString(UPDATES), "--journal", journal.toString()))
        {
            assertThat(publisher.waitFor(60)).isZero();
        }
        final Path err = dir.resolve("replay.err");
        final ProcessBuilder builder = new ProcessBuilder("bash", "-c", "bash \"$0\" replay --journal \"$1\" " +
            "--format csv | head -2", FeedProcess.root().resolve("scripts/feed").toString(), journal.toString())
            .redirectError(err.toFile());
        builder.environment().put("FEED_CLASSPATH", System.getProperty("java.class.path"));
        final Process pipeline = builder.start();
        final List<String> lines = new String(pipeline.getInputStream().readAllBytes()).lines().toList();
        assertThat(pipeline.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("index,time,");
        final String summary = Files.readAllLines(err).stream().filter(l -> l.startsWith("{")).findFirst()
            .orElseThrow();
        final Map<String, Object> parsed = Json.parseObject(summary);
        assertThat(((Number)parsed.get("printed")).longValue()).isPositive().isLessThan(UPDATES / 2);
        assertThat(parsed).containsEntry("stopReason", "output_closed");
    }

    @Test
    void shouldStopSubscribingWhenWhatReadsItsPrintHasGone() throws Exception
    {
        final int port = FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub2", "publish", "--bind", "tcp://127.0.0.1:" + port,
            "--rate", "20k", "--duration", "60s", "--await-subscribers", "1"))
        {
            final Path err = dir.resolve("subscribe.err");
            final ProcessBuilder builder = new ProcessBuilder("bash", "-c", "bash \"$0\" subscribe --connect \"$1\" " +
                "--print --duration 30s | head -3", FeedProcess.root().resolve("scripts/feed").toString(),
                "tcp://127.0.0.1:" + port).redirectError(err.toFile());
            builder.environment().put("FEED_CLASSPATH", System.getProperty("java.class.path"));
            final Process pipeline = builder.start();
            final List<String> lines = new String(pipeline.getInputStream().readAllBytes()).lines().toList();
            // The subscriber's 30 s bound the test (the pipe stays open until it exits); what shows it stopped
            // because nothing read its output is its log line.
            assertThat(pipeline.waitFor(45, TimeUnit.SECONDS)).isTrue();
            assertThat(lines).hasSize(3);
            assertThat(Files.readString(err)).contains("stdout has no reader any more: stopping");
        }
    }
}
