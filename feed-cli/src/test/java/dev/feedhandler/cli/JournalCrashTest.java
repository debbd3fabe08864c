package dev.feedhandler.cli;

import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A publisher JVM killed with SIGKILL in the middle of a run: its journal opens and reads to its end without
 * error, every complete batch in it is intact (valid, in sequence, with the values the seeded source produced),
 * and a restarted publisher appends to the same journal under a new session epoch, leaving the old entries as
 * they were.
 */
@Timeout(120)
class JournalCrashTest
{
    private static final int INSTRUMENTS = 8;
    private static final long SEED = 11;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryCompleteBatchOfAKilledPublisherAndAppendANewSessionAfterRestart() throws Exception
    {
        final Path journalDir = dir.resolve("journal");
        final String[] publish = {"publish", "--bind", "tcp://127.0.0.1:*", "--rate", "50000",
            "--instruments", Integer.toString(INSTRUMENTS), "--seed", Long.toString(SEED), "--trade-ratio", "0.2",
            "--journal", journalDir.toString()};
        try (FeedProcess publisher = FeedProcess.start(dir, "killed", publish))
        {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> journalDir.resolve("metadata.cq4t").toFile().exists() && batches(journalDir) > 2_000);
            publisher.signal("KILL");
            assertThat(publisher.waitFor(30)).isEqualTo(137);
        }

        // The journal reads to its end without error, and every batch in it is whole and in order.
        final JournalContents killed = new JournalContents(journalDir);
        assertThat(killed.batches()).hasSizeGreaterThan(2_000);
        final long firstEpoch = killed.entries.get(0).epoch();
        assertThat(killed.entries.get(0).kind()).isEqualTo(JournalEntry.KIND_SESSION_STATUS);
        assertThat(killed.entries).allSatisfy(e -> assertThat(e.epoch()).isEqualTo(firstEpoch));
        assertContiguousFromOne(killed.entries);
        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, 10_000_000).byTopic();
        killed.updatesByTopic.forEach((topic, updates) ->
            assertThat(updates).as(topic).isEqualTo(expected.get(topic).subList(0, updates.size())));

        // A restarted publisher appends a new session to the same journal.
        final String[] restart = java.util.Arrays.copyOf(publish, publish.length + 2);
        restart[publish.length] = "--count";
        restart[publish.length + 1] = "5000";
        final Map<String, Object> summary;
        try (FeedProcess publisher = FeedProcess.start(dir, "restarted", restart))
        {
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            summary = Json.parseObject(publisher.lastStdoutLine());
        }
        final long secondEpoch = (Long)summary.get("sessionEpoch");
        assertThat(secondEpoch).isGreaterThan(firstEpoch);

        final JournalContents both = new JournalContents(journalDir);
        final int before = killed.entries.size();
        assertThat(both.entries.size()).isGreaterThan(before);
        for (int i = 0; i < before; i++)
        {
            assertThat(both.entries.get(i).payload()).as("old entry %d", i).isEqualTo(killed.entries.get(i).payload());
        }
        final List<JournalContents.Entry> session = both.entries.subList(before, both.entries.size());
        assertThat(session).allSatisfy(e -> assertThat(e.epoch()).isEqualTo(secondEpoch));
        assertThat(session.get(0).kind()).isEqualTo(JournalEntry.KIND_SESSION_STATUS);
        assertThat(session.get(0).flags()).isEqualTo(SessionState.ACTIVE.value());
        assertThat(session.get(session.size() - 1).flags()).isEqualTo(SessionState.ENDED.value());
        assertContiguousFromOne(session);
        assertThat(session.stream().filter(e -> e.kind() == JournalEntry.KIND_BATCH)
            .mapToLong(JournalContents.Entry::updates).sum()).isEqualTo(5_000);

        final List<?> sessions = (List<?>)JournalInfo.of(journalDir).toMap().get("sessions");
        assertThat(sessions).hasSize(2);
        assertThat(((Map<?, ?>)sessions.get(0)).get("ended")).isEqualTo(false);
        assertThat(((Map<?, ?>)sessions.get(1)).get("ended")).isEqualTo(true);
    }

    private static long batches(final Path journal)
    {
        try
        {
            return (Long)JournalInfo.of(journal).toMap().get("batches");
        }
        catch (final RuntimeException ex)
        {
            return 0;
        }
    }

    private static void assertContiguousFromOne(final List<JournalContents.Entry> entries)
    {
        final Map<String, Long> next = new HashMap<>();
        for (final JournalContents.Entry entry : entries)
        {
            if (entry.kind() == JournalEntry.KIND_BATCH)
            {
                final long expected = next.getOrDefault(entry.topic(), 1L);
                assertThat(entry.sequence()).as(entry.key()).isEqualTo(expected);
                next.put(entry.topic(), expected + entry.updates());
            }
        }
        assertThat(next).isNotEmpty();
    }
}
