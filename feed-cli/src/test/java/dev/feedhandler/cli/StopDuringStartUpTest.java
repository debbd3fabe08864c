package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import dev.feedhandler.cli.options.StopRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signal during start-up (publish, subscribe, replay --publish as real child processes, each held by the test
 * hook before a named step until the signal comes) ends the command as a signal after start-up does: what was opened
 * is released (counters file, journal, shared memory, sockets), one log line says it stopped during start-up, the
 * usual JSON summary at zero is the last line of stdout, and the exit status is the signal's (143, or 130).
 */
@Timeout(120)
class StopDuringStartUpTest
{
    private static final Duration START_UP = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private FeedProcess startPaused(final String step, final String name, final String... args)
    {
        return FeedProcess.startWith(Map.of("FEED_JAVA_OPTS", "-D" + StopRequest.PAUSE_PROPERTY + "=" + step), dir,
            name, args);
    }

    @Test
    void shouldSummariseAPublisherStoppedBeforeItBoundAnything() throws Exception
    {
        final int port = FeedProcess.freePort();
        final Map<String, Object> summary;
        try (FeedProcess publisher = startPaused("bind", "pub", "publish", "--bind", "tcp://127.0.0.1:" + port,
            "--rate", "1k", "--journal", dir.resolve("journal").toString()))
        {
            publisher.awaitStderr("start-up paused before bind", START_UP);
            assertThat(countersFiles()).as("the counters file exists while paused").hasSize(1);
            publisher.signal("TERM");

            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isEqualTo(143);
            assertThat(publisher.stderr()).contains("stopped during start-up (before step bind), before publishing")
                .doesNotContain("Exception").doesNotContain("SocketEventLog");
            summary = Json.parseObject(publisher.lastStdoutLine());
        }
        assertThat(summary).containsEntry("stopReason", "stopped").containsEntry("published", 0L)
            .containsEntry("batches", 0L).containsEntry("source", "synthetic").containsEntry("endpoints", List.of());
        assertThat(object(summary, "journal")).as("the journal was opened and closed").containsEntry("written", 0L)
            .as("--journal-cached's default").containsEntry("cachedBytes", 256L << 20)
            .containsEntry("releasedBytes", 0L);
        assertThat(countersFiles()).as("closing deletes the counters file").isEmpty();
    }

    @Test
    void shouldSummariseAPublisherStoppedAfterBindingBeforeItRan() throws Exception
    {
        final Path shm = Files.createDirectory(dir.resolve("shm"));
        final Map<String, Object> summary;
        try (FeedProcess publisher = startPaused("run", "pub", "publish", "--bind", "tcp://127.0.0.1:0",
            "--recovery-bind", "tcp://127.0.0.1:0", "--rate", "1k", "--shm", "startup", "--shm-dir", shm.toString(),
            "--journal", dir.resolve("journal").toString()))
        {
            publisher.awaitStderr("start-up paused before run", START_UP);
            assertThat(files(shm)).as("the shared memory log exists while paused").hasSize(1);
            publisher.signal("TERM");

            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isEqualTo(143);
            assertThat(publisher.stderr()).contains("stopped during start-up (before step run), before publishing")
                .doesNotContain("Exception");
            summary = Json.parseObject(publisher.lastStdoutLine());
        }
        assertThat(summary).containsEntry("stopReason", "stopped").containsEntry("published", 0L)
            .containsEntry("batches", 0L).containsEntry("bytesSent", 0L);
        assertThat((List<?>)summary.get("endpoints")).singleElement().asString().startsWith("tcp://127.0.0.1:");
        assertThat(summary).containsKeys("recovery", "journal", "shm");
        assertThat(files(shm)).as("closing removes the shared memory log").isEmpty();
        assertThat(countersFiles()).as("closing deletes the counters file").isEmpty();
    }

    @Test
    void shouldSummariseASubscriberInterruptedBeforeItConnected() throws Exception
    {
        final Map<String, Object> summary;
        try (FeedProcess subscriber = startPaused("subscribe", "sub", "subscribe", "--connect",
            "tcp://127.0.0.1:" + FeedProcess.freePort(), "--record", dir.resolve("recording").toString()))
        {
            subscriber.awaitStderr("start-up paused before subscribe", START_UP);
            subscriber.signal("INT");

            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isEqualTo(130);
            assertThat(subscriber.stderr())
                .contains("stopped during start-up (before step subscribe), before subscribing")
                .doesNotContain("subscribed to").doesNotContain("Exception");
            summary = Json.parseObject(subscriber.lastStdoutLine());
        }
        assertThat(summary).containsEntry("received", 0L).containsEntry("batches", 0L)
            .containsEntry("publisherEnded", false).containsEntry("stopReason", "stopped");
        assertThat(object(summary, "record")).as("the recording was opened and closed").containsEntry("written", 0L);
        assertThat(countersFiles()).as("closing deletes the counters file").isEmpty();
    }

    @Test
    void shouldHoldASignalThatCameBeforeTheCommandLineWasParsed() throws Exception
    {
        // The signal comes first; then the subscriber creates its counters file and opens its recording, both of
        // which register JVM shutdown hooks that a JVM already shutting down refuses, and stops before connecting.
        final Map<String, Object> summary;
        try (FeedProcess subscriber = startPaused("parse", "sub", "subscribe", "--connect",
            "tcp://127.0.0.1:" + FeedProcess.freePort(), "--record", dir.resolve("recording").toString()))
        {
            subscriber.awaitStderr("start-up paused before parse", START_UP);
            subscriber.signal("TERM");

            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isEqualTo(143);
            assertThat(subscriber.stderr())
                .contains("stopped during start-up (before step subscribe), before subscribing")
                .doesNotContain("Exception").doesNotContain("Error");
            summary = Json.parseObject(subscriber.lastStdoutLine());
        }
        assertThat(summary).containsEntry("received", 0L);
        assertThat(object(summary, "record")).containsEntry("written", 0L);
        assertThat(countersFiles()).as("closing deletes the counters file").isEmpty();
    }

    @Test
    void shouldSummariseAReplayStoppedBeforeItOpenedTheJournalOrAfterItBound() throws Exception
    {
        final Path journal = dir.resolve("journal");
        try (FeedProcess replay = startPaused("journal", "early", "replay", "--journal", journal.toString(),
            "--publish", "tcp://127.0.0.1:0"))
        {
            replay.awaitStderr("start-up paused before journal", START_UP);
            replay.signal("TERM");

            assertThat(replay.waitFor(60)).as(replay.stderr()).isEqualTo(143);
            assertThat(replay.stderr()).contains("stopped during start-up (before step journal), before replaying");
            assertThat(Json.parseObject(replay.lastStdoutLine())).containsEntry("stopReason", "stopped")
                .containsEntry("published", 0L).containsEntry("entries", 0L).containsEntry("endpoints", List.of());
        }

        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", "tcp://127.0.0.1:0",
            "--recovery-bind", "none", "--rate", "max", "--count", "100", "--journal", journal.toString()))
        {
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
        }
        try (FeedProcess replay = startPaused("replay", "late", "replay", "--journal", journal.toString(),
            "--publish", "tcp://127.0.0.1:0", "--await-subscribers", "1"))
        {
            replay.awaitStderr("start-up paused before replay", START_UP);
            replay.signal("TERM");

            assertThat(replay.waitFor(60)).as(replay.stderr()).isEqualTo(143);
            assertThat(replay.stderr()).contains("stopped during start-up (before step replay), before replaying")
                .doesNotContain("Exception");
            final Map<String, Object> summary = Json.parseObject(replay.lastStdoutLine());
            assertThat(summary).containsEntry("stopReason", "stopped").containsEntry("published", 0L)
                .containsEntry("entries", 0L);
            assertThat((List<?>)summary.get("endpoints")).singleElement().asString().startsWith("tcp://127.0.0.1:");
        }
    }

    private List<Path> countersFiles() throws IOException
    {
        return files(FeedProcess.countersDirectory(dir)).stream()
            .filter(file -> file.getFileName().toString().endsWith(".counters")).toList();
    }

    private static List<Path> files(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory))
        {
            return list.toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final Map<String, Object> map, final String key)
    {
        return (Map<String, Object>)map.get(key);
    }
}
