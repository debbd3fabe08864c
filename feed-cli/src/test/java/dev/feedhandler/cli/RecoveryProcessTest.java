package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliable delivery through {@code scripts/feed} child processes: a publisher that drops batches on purpose and two
 * subscribers, one recovering (complete, in order, verified) and one with {@code --no-recovery} (it reports its
 * losses); a subscriber stopped while its recoveries go unanswered (it reports them still being recovered); a
 * publisher killed with SIGKILL and restarted on the same journal, whose subscriber goes stale, resynchronises on the
 * new session and reports the loss window honestly; bad recovery flags.
 * <p>
 * It runs beside the other test classes (junit-platform.properties): its feeds are paced at 20-30k updates/s.
 */
@Timeout(180)
@Execution(ExecutionMode.CONCURRENT)
class RecoveryProcessTest
{
    private static final int INSTRUMENTS = 8;
    private static final long SEED = 11;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverDroppedBatchesThroughTheCommandLineAndReportThemWithoutRecovery() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed,
            "--recovery-bind", recovery, "--await-subscribers", "2", "--count", "30000", "--rate", "30000",
            "--instruments", Integer.toString(INSTRUMENTS), "--seed", Long.toString(SEED), "--trade-ratio", "0.2",
            "--heartbeat-interval", "200ms", "--drop-batches", "every:20", "--recovery-linger", "3s");
            FeedProcess recovering = FeedProcess.start(dir, "recovering", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--heartbeat-interval", "200ms", "--verify", "--exit-on-end",
                "--duration", "90s");
            FeedProcess plain = FeedProcess.start(dir, "plain", "subscribe", "--connect", feed, "--no-recovery",
                "--heartbeat-interval", "200ms", "--verify", "--exit-on-end", "--duration", "90s"))
        {
            assertThat(publisher.waitFor(90)).as(publisher.stderr()).isZero();
            assertThat(recovering.waitFor(60)).as(recovering.stderr()).isZero();
            assertThat(plain.waitFor(60)).as(plain.stderr()).isZero();

            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            final Map<String, Object> got = Json.parseObject(recovering.lastStdoutLine());
            final Map<String, Object> lossy = Json.parseObject(plain.lastStdoutLine());
            final long dropped = (Long)published.get("droppedByTestHook");
            assertThat(dropped).isPositive();
            assertThat(map(published, "recovery").get("gapFillRequests")).isNotEqualTo(0L);
            assertThat(map(published, "recovery").get("endpoint")).isEqualTo(recovery);

            assertThat(got.get("received")).isEqualTo(30_000L);
            assertThat(new TreeMap<>(map(got, "topics"))).isEqualTo(new TreeMap<>(map(published, "topics")));
            assertThat((Long)got.get("gapsDetected")).isPositive();
            assertThat((Long)got.get("recovered")).isEqualTo(got.get("lostUpdates"));
            assertThat(got.get("unrecoverable")).isEqualTo(0L);
            assertThat(got.get("snapshots")).isEqualTo(0L);
            assertThat(got).containsKey("staleEvents");
            assertThat(map(got, "verify")).containsEntry("checkedUpdates", 30_000L).containsEntry("violations", 0L);
            assertThat(map(got, "recoveryLatency_us")).containsKeys("p50", "p99", "max");

            assertThat((Long)lossy.get("unrecoverable")).isPositive().isEqualTo(lossy.get("lostUpdates"));
            assertThat((Long)lossy.get("received") + (Long)lossy.get("unrecoverable")).isEqualTo(30_000L);
            assertThat(lossy.get("recovered")).isEqualTo(0L);
            assertThat(map(lossy, "verify")).as("reported losses are no violations").containsEntry("violations", 0L);

            final java.io.ByteArrayOutputStream verdict = new java.io.ByteArrayOutputStream();
            final int status = new picocli.CommandLine(new CompareCommand(new java.io.PrintStream(verdict, true,
                StandardCharsets.UTF_8))).execute("--publisher", publisher.stdoutFile().toString(),
                "--subscriber", recovering.stdoutFile().toString(), "--subscriber", plain.stdoutFile().toString());
            assertThat(status).as("only the plain subscriber misses updates").isEqualTo(1);
            assertThat(verdict.toString(StandardCharsets.UTF_8))
                .contains("OK       recovering.out").contains("MISMATCH plain.out");
        }
    }

    /**
     * A subscriber whose recovery service never answers (nothing listens on its endpoint) is stopped with SIGTERM
     * once it has read the whole feed: what the feed dropped is neither delivered nor unrecoverable but still being
     * recovered, and the summary and the log say so. A subscriber without recovery on the same feed tells how many
     * updates the feed dropped: exactly that many.
     */
    @Test
    void shouldReportTheRangesStillBeingRecoveredWhenStoppedBeforeTheServiceAnswers() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String silent = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess waiting = FeedProcess.start(dir, "waiting", "subscribe", "--connect", feed,
            "--recovery-connect", silent, "--recovery-timeout", "120s", "--heartbeat-interval", "200ms", "--verify",
            "--duration", "120s");
            FeedProcess plain = FeedProcess.start(dir, "plain", "subscribe", "--connect", feed, "--no-recovery",
                "--heartbeat-interval", "200ms", "--exit-on-end", "--duration", "90s");
            FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed, "--await-subscribers",
                "2", "--count", "3000", "--rate", "3000", "--instruments", Integer.toString(INSTRUMENTS), "--seed",
                Long.toString(SEED), "--heartbeat-interval", "200ms", "--drop-batches", "every:20"))
        {
            assertThat(publisher.waitFor(90)).as(publisher.stderr()).isZero();
            assertThat(plain.waitFor(60)).as(plain.stderr()).isZero();
            // Once the publisher is gone, a feed gone stale means the receiver has read everything it sent.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                waiting.stderr().lastIndexOf("feed stale") > waiting.stderr().lastIndexOf("feed live again"));
            waiting.signal("TERM");
            assertThat(waiting.waitFor(30)).as("stopped by SIGTERM; " + waiting.stderr()).isEqualTo(143);

            final long published = map(Json.parseObject(publisher.lastStdoutLine()), "topics").values().stream()
                .mapToLong(count -> (Long)count).sum();
            final Map<String, Object> got = Json.parseObject(waiting.lastStdoutLine());
            final Map<String, Object> recovery = map(got, "recovery");
            final long dropped = (Long)Json.parseObject(plain.lastStdoutLine()).get("unrecoverable");
            assertThat(dropped).isPositive();
            assertThat(recovery.get("pendingAtStop")).isEqualTo(dropped);
            assertThat(got.get("unrecoverable")).isEqualTo(0L);
            assertThat((Long)got.get("received") + (Long)recovery.get("heldAtStop") + dropped).isEqualTo(published);
            assertThat(map(got, "verify")).containsEntry("violations", 0L);
            assertThat(waiting.stderrLines()).filteredOn(line -> line.contains("still being recovered"))
                .singleElement().asString()
                .contains("WARN", "stopped with " + dropped + " update(s) still being recovered, never delivered: ");
        }
    }

    @Test
    void shouldGoStaleWhenThePublisherIsKilledThenResynchroniseOnTheRestartedSession() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String[] publish = {"publish", "--bind", feed, "--recovery-bind", recovery, "--journal",
            journal.toString(), "--rate", "20000", "--instruments", Integer.toString(INSTRUMENTS), "--seed",
            Long.toString(SEED), "--trade-ratio", "0.2", "--heartbeat-interval", "200ms", "--recovery-linger", "3s"};
        try (FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
            "--recovery-connect", recovery, "--heartbeat-interval", "200ms", "--verify", "--print", "--exit-on-end",
            "--duration", "120s"))
        {
            final long firstEpoch;
            try (FeedProcess killed = FeedProcess.start(dir, "killed", concat(publish, "--await-subscribers", "1")))
            {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> journal.resolve("metadata.cq4t").toFile().exists() && batches(journal) > 2_000);
                killed.signal("KILL");
                assertThat(killed.waitFor(30)).isEqualTo(137);
                final JournalContents contents = new JournalContents(journal);
                firstEpoch = contents.entries.get(0).epoch();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.stderr().contains("feed stale"));

            final Map<String, Object> restarted;
            try (FeedProcess publisher = FeedProcess.start(dir, "restarted", concat(publish, "--count", "20000")))
            {
                assertThat(publisher.waitFor(90)).as(publisher.stderr()).isZero();
                restarted = Json.parseObject(publisher.lastStdoutLine());
            }
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
            final Map<String, Object> summary = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(subscriber.stderr()).contains("feed live again");

            // Stale, then live; the new session followed; every update in order, once; nothing lost for good.
            assertThat((Long)summary.get("staleEvents")).isPositive();
            assertThat(summary.get("publisherEnded")).isEqualTo(true);
            assertThat(map(summary, "verify")).containsEntry("violations", 0L);
            assertThat(summary.get("unrecoverable")).isEqualTo(0L);
            final Map<String, Object> lossWindow = map(summary, "lossWindow");
            final List<?> stale = (List<?>)lossWindow.get("stalePeriods");
            assertThat(stale).isNotEmpty();
            assertThat(((Map<?, ?>)stale.get(0)).get("to")).as("live again").isNotNull();

            // The loss window: the killed session's end is unknown; everything it journaled was delivered.
            final Map<String, Object> lost = map(lossWindow, "sessionsLost");
            assertThat(lost).containsOnlyKeys(Long.toString(firstEpoch));
            final Map<String, Object> lastDelivered = map(lost, Long.toString(firstEpoch));
            final Map<String, Long> journaled = new HashMap<>();
            for (final JournalContents.Entry entry : new JournalContents(journal).entries)
            {
                if (entry.epoch() == firstEpoch && entry.kind() == JournalEntry.KIND_BATCH)
                {
                    journaled.merge(entry.topic(), entry.sequence() + entry.updates() - 1, Math::max);
                }
            }
            assertThat(lastDelivered.keySet()).containsExactlyInAnyOrderElementsOf(journaled.keySet());
            journaled.forEach((topic, last) -> assertThat((Long)lastDelivered.get(topic))
                .as("%s: what the journal has of the killed session was delivered", topic)
                .isGreaterThanOrEqualTo(last));
            assertThat(restarted.get("sessionEpoch")).isNotEqualTo(firstEpoch);

            // Both sessions come from the same seeded source: every update printed is the expected one.
            final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, 10_000_000).byTopic();
            long checked = 0;
            for (final String line : Files.readAllLines(subscriber.stdoutFile(), StandardCharsets.UTF_8))
            {
                final String[] fields = line.split(" ");
                if (fields.length > 3 && (fields[1].equals("Q") || fields[1].equals("T")) &&
                    fields[2].startsWith("seq="))
                {
                    final int sequence = Integer.parseInt(fields[2].substring(4));
                    assertThat(printed(line)).as(line).isEqualTo(
                        comparable(expected.get(fields[0]).get(sequence - 1)));
                    checked++;
                }
            }
            assertThat(checked).isEqualTo(summary.get("received"));
        }
    }

    @Test
    void shouldRejectBadRecoveryFlagsWithOneLineAndStatus2() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            FeedProcess inUse = FeedProcess.start(dir, "inuse", "publish", "--bind",
                "tcp://127.0.0.1:" + FeedProcess.freePort(), "--recovery-bind",
                "tcp://127.0.0.1:" + taken.getLocalPort());
            FeedProcess badDrop = FeedProcess.start(dir, "baddrop", "publish", "--drop-batches", "EURUSD");
            FeedProcess both = FeedProcess.start(dir, "both", "subscribe", "--no-recovery", "--recovery-connect",
                "tcp://127.0.0.1:5557"))
        {
            assertThat(inUse.waitFor(30)).isEqualTo(2);
            assertThat(inUse.stderrLines()).containsExactly("feed publish: cannot bind tcp://127.0.0.1:" +
                taken.getLocalPort() + ": address already in use");
            assertThat(badDrop.waitFor(30)).isEqualTo(2);
            assertThat(badDrop.stderrLines()).containsExactly("feed publish: --drop-batches: bad item 'EURUSD': " +
                "expected TOPIC:SEQ, TOPIC:FROM-TO, every:N, random:P% or end");
            assertThat(both.waitFor(30)).isEqualTo(2);
            assertThat(both.stderrLines()).containsExactly(
                "feed subscribe: --recovery-connect and --no-recovery exclude each other");
        }
    }

    /**
     * A printed update ({@code EURUSD Q seq=7 bid=1.1x100 ask=1.2x200 ts=...}) without its sequence and time.
     */
    private static String printed(final String line)
    {
        final String[] fields = line.split(" ");
        if (fields[1].equals("Q"))
        {
            return "Q " + fields[3].substring(4) + " " + fields[4].substring(4);
        }
        return "T " + fields[3].substring(3) + "x" + fields[4].substring(4) + " " + fields[5].substring(5) + " #" +
            fields[6].substring(3);
    }

    /**
     * An expected update ({@code EURUSD 7 3 Q 1.1x100 1.2x200}) in the form of {@link #printed(String)}.
     */
    private static String comparable(final String update)
    {
        final String[] fields = update.split(" ");
        if (fields[3].equals("Q"))
        {
            return "Q " + fields[4] + " " + fields[5];
        }
        return "T " + fields[5] + " " + fields[4] + " " + fields[6];
    }

    private static String[] concat(final String[] first, final String... more)
    {
        final String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Map<String, Object> summary, final String key)
    {
        return (Map<String, Object>)summary.get(key);
    }
}
