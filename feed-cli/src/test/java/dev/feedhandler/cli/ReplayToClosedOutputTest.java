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
 * {@code feed replay ... | head}: once its reader has gone, the replay stops (status 0, its summary on stderr) instead
 * of formatting the rest of the journal for nobody; real processes and a real pipe.
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
    }
}
