package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import dev.feedhandler.journal.JournalEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code feed publish --journal} and {@code feed subscribe --record} as real child processes, then
 * {@code feed replay --publish --speed max} to a second recording subscriber: the journal holds exactly what was
 * sent (the subscriber's recording equals it byte for byte, and its updates are the ones the seeded source
 * produces), and a replay delivers the identical update stream; a replay that no subscriber came to says so; a
 * printing replay prints the same updates at any {@code --speed} and refuses the socket's flags.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalProcessTest
{
    private static final int INSTRUMENTS = 12;
    private static final long SEED = 7;
    private static final long COUNT = 30_000;

    @TempDir
    static Path dir;

    private Map<String, Object> published;
    private Map<String, Object> received;
    private JournalContents journal;
    private JournalContents recording;

    @BeforeAll
    void publishWithAJournalToARecordingSubscriber() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        // Every frame reaches the recording subscriber, which has no recovery, because the publisher waits for it
        // (block): with drop, the default, a subscriber starved on a loaded machine loses what PUB drops for it
        // (seen: 12 gaps at load 14), which is the feed working as documented, not what this test is about.
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", endpoint,
            "--backpressure", "block",
            "--await-subscribers", "1", "--count", Long.toString(COUNT), "--rate", "30000",
            "--instruments", Integer.toString(INSTRUMENTS), "--seed", Long.toString(SEED), "--trade-ratio", "0.2",
            "--heartbeat-interval", "200ms", "--journal", dir.resolve("journal").toString());
            FeedProcess subscriber = FeedProcess.start(dir, "live", "subscribe", "--connect", endpoint,
                "--exit-on-end", "--duration", "90s", "--record", dir.resolve("live").toString()))
        {
            assertThat(publisher.waitFor(90)).as(publisher.stderr()).isZero();
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
            published = Json.parseObject(publisher.lastStdoutLine());
            received = Json.parseObject(subscriber.lastStdoutLine());
        }
        journal = new JournalContents(dir.resolve("journal"));
        recording = new JournalContents(dir.resolve("live"));
    }

    @Test
    void shouldJournalEverythingSentByteForByte()
    {
        assertThat(published.get("published")).isEqualTo(COUNT);
        final Map<String, Object> summary = object(published, "journal");
        assertThat(summary.get("dropped")).isEqualTo(0L);
        assertThat(summary.get("failed")).isEqualTo(0L);
        assertThat(summary.get("written")).isEqualTo((long)journal.entries.size());

        // Per-topic counts equal what the publisher says it sent.
        assertThat(new TreeMap<>(journal.updateCounts())).isEqualTo(new TreeMap<>(object(published, "topics")));
        assertThat((long)journal.batches().size()).isEqualTo(published.get("batches"));

        // Contents equal what the seeded source produces, update by update.
        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, COUNT).byTopic();
        assertThat(new TreeMap<>(journal.updatesByTopic)).isEqualTo(new TreeMap<>(expected));

        // What the subscriber received and recorded is what the journal holds, every frame, byte for byte.
        assertThat(received.get("gapsDetected")).isEqualTo(0L);
        assertThat(recording.entries).hasSameSizeAs(journal.entries);
        for (int i = 0; i < journal.entries.size(); i++)
        {
            final JournalContents.Entry sent = journal.entries.get(i);
            final JournalContents.Entry got = recording.entries.get(i);
            assertThat(got.topic()).as("entry %d", i).isEqualTo(sent.topic());
            assertThat(got.payload()).as("entry %d %s", i, sent.key()).isEqualTo(sent.payload());
        }
        assertThat(journal.entries.get(0).kind()).isEqualTo(JournalEntry.KIND_SESSION_STATUS);
        assertThat(journal.entries.get(journal.entries.size() - 1).kind())
            .isEqualTo(JournalEntry.KIND_SESSION_STATUS);
    }

    @Test
    void shouldDeliverTheSameUpdateStreamFromAMaxSpeedReplayAsFromTheLiveFeed() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final Map<String, Object> replayed;
        final Map<String, Object> receivedReplay;
        try (FeedProcess replay = FeedProcess.start(dir, "replay", "replay", "--journal",
            dir.resolve("journal").toString(), "--publish", endpoint, "--speed", "max", "--await-subscribers", "1");
            FeedProcess subscriber = FeedProcess.start(dir, "replayed", "subscribe", "--connect", endpoint,
                "--exit-on-end", "--duration", "90s", "--record", dir.resolve("replayed").toString()))
        {
            assertThat(replay.waitFor(90)).as(replay.stderr()).isZero();
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
            replayed = Json.parseObject(replay.lastStdoutLine());
            receivedReplay = Json.parseObject(subscriber.lastStdoutLine());
        }
        assertThat(replayed.get("published")).isEqualTo(COUNT);
        assertThat(receivedReplay.get("received")).isEqualTo(received.get("received"));
        assertThat(receivedReplay.get("gapsDetected")).isEqualTo(0L);
        assertThat(object(receivedReplay, "topics")).isEqualTo(object(received, "topics"));

        final JournalContents replayRecording = new JournalContents(dir.resolve("replayed"));
        assertThat(replayRecording.updatesByTopic).isEqualTo(recording.updatesByTopic);
        assertThat(replayRecording.entries).hasSameSizeAs(recording.entries);
        for (int i = 0; i < recording.entries.size(); i++)
        {
            final JournalContents.Entry live = recording.entries.get(i);
            final JournalContents.Entry again = replayRecording.entries.get(i);
            assertThat(again.key()).as("entry %d", i).isEqualTo(live.key());
            assertThat(again.withoutSendTimeAndFlags()).as("entry %d %s", i, live.key())
                .isEqualTo(live.withoutSendTimeAndFlags());
            if (live.kind() == JournalEntry.KIND_BATCH)
            {
                assertThat(live.flags() & 1).as("live batches are not flagged replay").isZero();
                assertThat(again.flags() & 1).as("replayed batches are flagged replay").isEqualTo(1);
            }
        }
    }

    @Test
    void shouldSummariseAReplayThatNoSubscriberCameTo() throws Exception
    {
        // Bound to a port of its own that nobody connects to: the wait ends at its timeout.
        try (FeedProcess replay = FeedProcess.start(dir, "lonely", "replay", "--journal",
            dir.resolve("journal").toString(), "--publish", "tcp://127.0.0.1:0", "--await-subscribers", "1",
            "--await-timeout", "1s"))
        {
            assertThat(replay.waitFor(60)).as(replay.stderr()).isEqualTo(1);
            assertThat(replay.stderrLines()).last().isEqualTo("feed replay: timed out after 1s waiting for 1 " +
                "subscriber(s)");
            assertThat(replay.stdoutLines()).hasSize(1);
            final Map<String, Object> summary = Json.parseObject(replay.lastStdoutLine());
            assertThat(summary).containsEntry("stopReason", "await_timeout").containsEntry("published", 0L)
                .containsEntry("batches", 0L).containsEntry("entries", 0L).containsEntry("subscribers", 0L)
                .containsEntry("speed", 1.0).containsEntry("topics", Map.of());
            assertThat((List<?>)summary.get("endpoints")).singleElement().asString().startsWith("tcp://127.0.0.1:");
        }
    }

    @Test
    void shouldPrintAtTheGivenPaceTheUpdatesItPrintsFlatOut() throws Exception
    {
        // How long the paced print took is not asserted (the pace is ReplayPacerTest's): only that --speed prints
        // the same updates, and says its pace in the summary, where it used to be ignored.
        final String journalDir = dir.resolve("journal").toString();
        try (FeedProcess flatOut = FeedProcess.start(dir, "print-max", "replay", "--journal", journalDir, "--format",
            "csv");
            FeedProcess paced = FeedProcess.start(dir, "print-paced", "replay", "--journal", journalDir, "--format",
                "csv", "--speed", "20"))
        {
            assertThat(flatOut.waitFor(60)).as(flatOut.stderr()).isZero();
            assertThat(paced.waitFor(60)).as(paced.stderr()).isZero();
            assertThat(flatOut.stdoutLines()).hasSize((int)COUNT + 1);
            assertThat(paced.stdoutLines()).isEqualTo(flatOut.stdoutLines());
            assertThat(printSummary(flatOut)).containsEntry("printed", COUNT).containsEntry("speed", "max")
                .containsEntry("stopReason", "end");
            assertThat(printSummary(paced)).containsEntry("printed", COUNT).containsEntry("speed", 20.0);
        }
    }

    @Test
    void shouldRefuseASocketFlagOnAPrintingReplayInOneLine() throws Exception
    {
        try (FeedProcess replay = FeedProcess.start(dir, "print-sndhwm", "replay", "--journal",
            dir.resolve("journal").toString(), "--sndhwm", "10"))
        {
            assertThat(replay.waitFor(60)).as(replay.stderr()).isEqualTo(2);
            assertThat(replay.stderrLines()).containsExactly("feed replay: --sndhwm needs --publish ENDPOINT");
            assertThat(replay.stdoutLines()).isEmpty();
        }
    }

    @Test
    void shouldDescribeTheJournalWithOnlyItsReportOnStdout() throws Exception
    {
        try (FeedProcess info = FeedProcess.start(dir, "info", "journal-info", dir.resolve("journal").toString()))
        {
            assertThat(info.waitFor(60)).as(info.stderr()).isZero();
            final List<String> lines = info.stdoutLines();
            for (final String line : lines.subList(0, lines.size() - 1))
            {
                assertThat(line).matches("journal .*|  (entries|batches|session|topic|cycle) .*");
            }
            final Map<String, Object> report = Json.parseObject(info.lastStdoutLine());
            assertThat(report.get("updates")).isEqualTo(COUNT);
            assertThat(new TreeMap<>(object(report, "topics"))).isEqualTo(new TreeMap<>(object(published, "topics")));
            assertThat(report.get("entries")).isEqualTo((long)journal.entries.size());
            assertThat((List<?>)report.get("sessions")).hasSize(1);
            assertThat((List<?>)report.get("cycles")).hasSize(1);
        }
    }

    /** A printing replay's summary: the JSON line on its stderr. */
    private static Map<String, Object> printSummary(final FeedProcess replay)
    {
        return Json.parseObject(replay.stderrLines().stream().filter(line -> line.startsWith("{")).reduce(
            (first, second) -> second).orElseThrow());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(final Map<String, Object> map, final String key)
    {
        return (Map<String, Object>)map.get(key);
    }
}
