package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code feed publish --source csv --file -} in real processes reading a real pipe: ticks written by another
 * program are published as they arrive (not at the end of input), the publisher ends at the end of input with its
 * summary, and a journal printed by {@code feed replay --format csv} and piped into a second publisher
 * ({@code --format feed-replay}) reaches a subscriber update for update.
 */
@Timeout(180)
class CsvStdinProcessTest
{
    @TempDir
    Path dir;

    private Process start(final String name, final String command) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder("bash", "-c", command)
            .directory(FeedProcess.root().toFile())
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().put("FEED_CLASSPATH", System.getProperty("java.class.path"));
        return builder.start();
    }

    private String text(final String name) throws IOException
    {
        final Path file = dir.resolve(name);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private Map<String, Object> summary(final String name) throws IOException
    {
        final List<String> lines = text(name + ".out").lines().toList();
        assertThat(lines).as(text(name + ".err")).isNotEmpty();
        return Json.parseObject(lines.get(lines.size() - 1));
    }

    private int waitFor(final Process process, final String name) throws Exception
    {
        if (!process.waitFor(90, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError(name + " did not end; stderr:\n" + text(name + ".err"));
        }
        return process.exitValue();
    }

    @Test
    void shouldPublishTicksFromAPipeAsTheyArriveAndEndAtTheEndOfInput() throws Exception
    {
        final Process publisher = start("pub", "exec scripts/feed publish --source csv --format truefx --file - " +
            "--speed max --bind tcp://127.0.0.1:" + FeedProcess.freePort() + " --recovery-bind none " +
            "--stats-interval 100ms");
        try (OutputStream stdin = publisher.getOutputStream())
        {
            stdin.write("EUR/USD,20260102 00:00:00.000,1.10415,1.10421\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            // The pipe stays open: the tick is published now, not at the end of input.
            await().atMost(Duration.ofSeconds(60)).until(() -> text("pub.err").contains(" total 1 "));
            assertThat(publisher.isAlive()).isTrue();

            stdin.write(("USD/JPY,20260102 00:00:00.001,157.101,157.112\n" +
                "EUR/USD,20260102 00:00:00.002,1.10416,1.10421\n").getBytes(StandardCharsets.US_ASCII));
        }
        try
        {
            assertThat(waitFor(publisher, "pub")).as(text("pub.err")).isZero();
            assertThat(summary("pub")).containsEntry("published", 3L).containsEntry("file", "stdin")
                .containsEntry("stopReason", "exhausted")
                .containsEntry("topics", Map.of("EURUSD", 2L, "USDJPY", 1L));
        }
        finally
        {
            publisher.destroyForcibly();
        }
    }

    @Test
    void shouldRepublishAJournalPipedThroughFeedReplayFormatCsv() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Process recorder = start("recorder", "exec scripts/feed publish --bind tcp://127.0.0.1:" +
            FeedProcess.freePort() + " --recovery-bind none --instruments 7 --count 5000 --rate 50000 --journal " +
            journal);
        assertThat(waitFor(recorder, "recorder")).as(text("recorder.err")).isZero();
        final Map<String, Object> recorded = summary("recorder");

        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final Process subscriber = start("sub", "exec scripts/feed subscribe --connect " + endpoint +
            " --no-recovery --exit-on-end --duration 120s");
        final Process pipeline = start("pipe", "set -o pipefail; scripts/feed replay --journal " + journal +
            " --format csv | scripts/feed publish --source csv --format feed-replay --file - --speed max --bind " +
            endpoint + " --recovery-bind none --await-subscribers 1 --backpressure block");
        try
        {
            assertThat(waitFor(pipeline, "pipe")).as(text("pipe.err")).isZero();
            assertThat(waitFor(subscriber, "sub")).as(text("sub.err")).isZero();
            final Map<String, Object> republished = summary("pipe");
            final Map<String, Object> received = summary("sub");

            assertThat(republished).containsEntry("published", 5000L).containsEntry("badLines", 0L);
            assertThat(new TreeMap<>(topics(republished))).isEqualTo(new TreeMap<>(topics(recorded)));
            assertThat(received).containsEntry("received", 5000L).containsEntry("gapsDetected", 0L);
            assertThat(new TreeMap<>(topics(received))).isEqualTo(new TreeMap<>(topics(recorded)));
        }
        finally
        {
            pipeline.destroyForcibly();
            subscriber.destroyForcibly();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> topics(final Map<String, Object> summary)
    {
        return (Map<String, Object>)summary.get("topics");
    }
}
