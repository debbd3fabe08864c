package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Catch-up through {@code scripts/feed} child processes: a subscriber stopped with SIGSTOP for 5 s during a
 * 500k updates/s run with {@code --journal} falls far behind (PUB drops what its queues cannot hold), catches up from
 * the journal and the window once resumed, and ends with every update, in order, exactly once; a subscriber whose
 * publisher has no journal and a small window falls behind further than the window, and reports exactly what the
 * window no longer held, every other update delivered; a subscriber stopped through the session's end while the
 * recovery thread fell behind its hand-off gets every update too, the topics' ends read from the journal.
 */
@Timeout(150)
class CatchUpProcessTest
{
    private static final long STOPPED_MS = 5_000;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryUpdateInOrderAfterBeingStoppedForFiveSecondsAt500kPerSecond() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed,
            "--recovery-bind", recovery, "--journal", dir.resolve("journal").toString(), "--rate", "500k",
            "--duration", "10s", "--await-subscribers", "1", "--recovery-linger", "5s", "--warm-up");
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--verify", "--exit-on-end", "--duration", "120s",
                "--stats-interval", "200ms", "--warm-up"))
        {
            // Both warm their catch-up code first (their private feeds on loopback ports of their own), as a site
            // that wants a fast first catch-up runs them.
            awaitUpdates(subscriber);
            subscriber.signal("STOP");
            // The scenario itself, not a wait for something: the subscriber stays stopped this long.
            Thread.sleep(STOPPED_MS);
            subscriber.signal("CONT");

            assertThat(publisher.waitFor(100)).as(publisher.stderr()).isZero();
            assertThat(subscriber.waitFor(100)).as(subscriber.stderr()).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());

            assertThat(got.get("received")).as("summary %s%nsubscriber log:%n%s%npublisher log:%n%s",
                subscriber.lastStdoutLine(), subscriber.stderrTail(40), publisher.stderrTail(40))
                .isEqualTo(published.get("published"));
            assertThat(new TreeMap<>(map(got, "topics"))).isEqualTo(new TreeMap<>(map(published, "topics")));
            assertThat(map(got, "verify")).containsEntry("violations", 0L)
                .containsEntry("checkedUpdates", published.get("published"));
            assertThat(got.get("unrecoverable")).isEqualTo(0L);
            assertThat((Long)got.get("gapsDetected")).as("the stop lost updates on the feed").isPositive();
            final Map<String, Object> catchUp = map(map(got, "recovery"), "catchUp");
            assertThat((Long)catchUp.get("topics")).as("topics caught up with streams").isPositive();
            assertThat((Long)catchUp.get("updates")).isPositive();
            assertThat((Long)map(published, "recovery").get("catchUpPages")).isPositive();
            // The publisher journals, so its warm-up streamed from a journal of its own (which it deleted).
            assertThat(publisher.stderr()).containsPattern("warmed up the catch-up path: .*, [1-9][0-9,]* batches " +
                "streamed from a journal of its own");
            assertThat(subscriber.stderr()).contains("warmed up the catch-up path: ");
        }
    }

    @Test
    void shouldEndAndExitWhenStoppedThroughThePublishersEnd() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed,
            "--recovery-bind", recovery, "--journal", dir.resolve("journal").toString(), "--rate", "500k",
            "--duration", "3s", "--await-subscribers", "1", "--recovery-linger", "15s");
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--verify", "--exit-on-end", "--duration", "120s",
                "--stats-interval", "200ms"))
        {
            awaitUpdates(subscriber);
            subscriber.signal("STOP");
            // The scenario: stopped until well after the session ended and the publisher closed its feed socket
            // (2 s close linger), so the feed's own end is never read; the service lingers.
            Thread.sleep(STOPPED_MS + 2_000);
            subscriber.signal("CONT");

            assertThat(subscriber.waitFor(60)).as(subscriber.stderrTail(40)).isZero();
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());

            assertThat(got.get("publisherEnded")).as("the end, learned from the streams: --exit-on-end exits")
                .isEqualTo(true);
            assertThat(got.get("received")).as("summary %s", subscriber.lastStdoutLine())
                .isEqualTo(published.get("published"));
            assertThat(map(got, "verify")).containsEntry("violations", 0L);
            assertThat(got.get("unrecoverable")).isEqualTo(0L);
        }
    }

    @Test
    void shouldEndAndExitWhenOnlyTheSessionsEndWasLost() throws Exception
    {
        // The scenario: every update arrives, the session's end (every end-of-session heartbeat, the ended status)
        // does not; only the recovery service knows the session ended.
        final Summaries run = onlyTheEndLost("--rate", "10k");

        assertThat(run.got.get("received")).as(run.context).isEqualTo(run.published.get("published"));
        assertThat(run.got.get("gapsDetected")).as("nothing but the end was lost").isEqualTo(0L);
        assertThat(run.got.get("unrecoverable")).isEqualTo(0L);
    }

    @Test
    void shouldEndAndExitWhenOnlyTheSessionsEndWasLostAndTheWindowMissedTheLastUpdates() throws Exception
    {
        // As above, and the recovery thread cannot keep up with a 64 KiB hand-off, so its window misses updates,
        // often a topic's last ones (the session's end waits for room and gets in). The fill of a topic's last update
        // then says unavailable and must still carry its end (seen: in more than half the runs by hand, the
        // subscriber never learned the end; a full suite run failed on it once).
        final Summaries run = onlyTheEndLost("--rate", "500k", "--recovery-handoff", "64k");

        assertThat((Long)map(run.published, "recovery").get("notWindowed")).as("frames the window never got")
            .isPositive();
        // The end got in: by waiting for room, or beside the ring if it stayed full for the whole wait (counted).
        assertThat((Long)map(run.published, "recovery").get("endsLate")).as("the end's frames beside the ring")
            .isNotNegative();
        assertThat((Long)run.got.get("received") + (Long)run.got.get("unrecoverable")).as(run.context)
            .isEqualTo(run.published.get("published"));
    }

    /**
     * A 2 s session whose end the feed drops ({@code --drop-batches end}), and a subscriber that must learn it from
     * the recovery service and exit with {@code --exit-on-end}: checks that it did, in order, nothing twice.
     */
    private Summaries onlyTheEndLost(final String... publisherFlags) throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final List<String> publish = new ArrayList<>(List.of("publish", "--bind", feed, "--recovery-bind", recovery,
            "--duration", "2s", "--await-subscribers", "1", "--recovery-linger", "10s", "--drop-batches", "end"));
        publish.addAll(List.of(publisherFlags));
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", publish.toArray(new String[0]));
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--verify", "--exit-on-end", "--duration", "120s"))
        {
            assertThat(subscriber.waitFor(60)).as(subscriber.stderrTail(40)).isZero();
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());

            assertThat(got.get("publisherEnded")).as("the end, learned from the service: --exit-on-end exits")
                .isEqualTo(true);
            assertThat(map(got, "verify")).containsEntry("violations", 0L);
            return new Summaries(published, got, String.format("summary %s%nsubscriber log:%n%s",
                subscriber.lastStdoutLine(), subscriber.stderrTail(40)));
        }
    }

    @Test
    void shouldEndWithEveryUpdateWhenTheRecoveryThreadFellBehindAndTheSessionsEndWasLost() throws Exception
    {
        final Summaries run = stopThroughTheEndWithASmallHandoff("--journal", dir.resolve("journal").toString());

        assertThat((Long)map(run.published, "recovery").get("tailsFromJournal")).as("the ends, read from the journal")
            .isPositive();
        assertThat(run.got.get("received")).as(run.context).isEqualTo(run.published.get("published"));
        assertThat(new TreeMap<>(map(run.got, "topics"))).isEqualTo(new TreeMap<>(map(run.published, "topics")));
        assertThat(run.got.get("unrecoverable")).isEqualTo(0L);
    }

    @Test
    void shouldReportExactlyTheLossWhenTheRecoveryThreadFellBehindWithoutAJournal() throws Exception
    {
        // What the window missed exists nowhere, and the session's end kept off the socket reaches the service only
        // through the hand-off, which must not miss it too.
        final Summaries run = stopThroughTheEndWithASmallHandoff();

        assertThat((Long)run.got.get("received") + (Long)run.got.get("unrecoverable")).as(run.context)
            .isEqualTo(run.published.get("published"));
        // (Per topic this cannot be counted here: the summary lists only a topic's first 20 lost ranges, and the
        // window's misses make hundreds.)
    }

    /** The two summaries of a run, and the subscriber's for messages. */
    private record Summaries(Map<String, Object> published, Map<String, Object> got, String context)
    {
    }

    /**
     * The scenario: a hand-off ring of 64 KiB (about 2 ms at 500k/s) that the recovery thread cannot always keep up
     * with, so the window misses frames; the session's end kept off the socket; the subscriber stopped until the
     * session is over. Where each topic ended, the service must know all the same. Checks what holds either way:
     * frames were missed, the subscriber heard the end, nothing out of order or twice.
     */
    private Summaries stopThroughTheEndWithASmallHandoff(final String... publisherFlags) throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final List<String> publish = new ArrayList<>(List.of("publish", "--bind", feed, "--recovery-bind", recovery,
            "--rate", "500k", "--duration", "3s", "--await-subscribers", "1", "--recovery-linger", "5s",
            "--recovery-handoff", "64k", "--drop-batches", "end"));
        publish.addAll(List.of(publisherFlags));
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", publish.toArray(new String[0]));
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--verify", "--exit-on-end", "--duration", "120s",
                "--stats-interval", "200ms"))
        {
            awaitUpdates(subscriber);
            subscriber.signal("STOP");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> publisher.stderr().contains("session ended"));
            subscriber.signal("CONT");

            assertThat(subscriber.waitFor(60)).as(subscriber.stderrTail(40)).isZero();
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());

            assertThat((Long)map(published, "recovery").get("notWindowed")).as("frames the window never got")
                .isPositive();
            assertThat(got.get("publisherEnded")).isEqualTo(true);
            assertThat(map(got, "verify")).containsEntry("violations", 0L);
            return new Summaries(published, got, String.format("summary %s%nsubscriber log:%n%s",
                subscriber.lastStdoutLine(), subscriber.stderrTail(40)));
        }
    }

    @Test
    void shouldReportExactlyWhatTheWindowNoLongerHeldWithoutAJournal() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed,
            "--recovery-bind", recovery, "--recovery-window", "64k", "--rate", "100k", "--duration", "6s",
            "--await-subscribers", "1", "--recovery-linger", "5s");
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--rcvhwm", "1000", "--verify", "--exit-on-end", "--duration",
                "90s", "--stats-interval", "200ms"))
        {
            awaitUpdates(subscriber);
            subscriber.signal("STOP");
            // The scenario: stopped long enough that the publisher's 64 KiB window moves far past it.
            Thread.sleep(2_000);
            subscriber.signal("CONT");

            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());

            assertThat((Long)map(published, "recovery").get("unavailable")).isPositive();
            assertThat((Long)got.get("unrecoverable")).isPositive();
            // Every update is either delivered or in a reported range, never both, and in order: exactly the loss.
            assertThat(map(got, "verify")).containsEntry("violations", 0L);
            assertThat((Long)got.get("received") + (Long)got.get("unrecoverable"))
                .isEqualTo(published.get("published"));
            final Map<String, Object> topics = map(got, "topics");
            final Map<String, Object> ranges = map(map(got, "lossWindow"), "unrecoverableRanges");
            map(published, "topics").forEach((topic, count) ->
            {
                long lost = 0;
                for (final Object range : (List<?>)ranges.getOrDefault(topic, List.of()))
                {
                    final String[] bounds = range.toString().split("\\.\\.");
                    lost += Long.parseLong(bounds[1]) - Long.parseLong(bounds[0]) + 1;
                }
                assertThat((Long)topics.get(topic) + lost).as("%s delivered and reported lost", topic)
                    .isEqualTo(count);
            });
        }
    }

    private static void awaitUpdates(final FeedProcess subscriber)
    {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(() -> subscriber.stderr().matches("(?s).*total [1-9][0-9]{4,}.*"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Map<String, Object> summary, final String key)
    {
        return (Map<String, Object>)summary.get(key);
    }
}
