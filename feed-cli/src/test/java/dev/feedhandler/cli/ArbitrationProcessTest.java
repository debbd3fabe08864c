package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Identical lines through {@code scripts/feed} child processes: two publishers started with the same feed id, start
 * and seed, and a subscriber arbitrating between them. Either line killed with SIGKILL (A, then B once A is back)
 * costs nothing; both lines dropping batches independently cost nothing; lines that differ (another seed) or are not
 * one feed (another feed id) end the subscriber with a one-line error.
 * <p>
 * It runs beside the other test classes (junit-platform.properties): the lines publish at 5-10k updates/s, so most of
 * its time is waiting for JVMs and the feed's pace.
 */
@Timeout(300)
@Execution(ExecutionMode.CONCURRENT)
class ArbitrationProcessTest
{
    private static final int INSTRUMENTS = 6;
    /**
     * Lines start this long after the test starts them: time for their JVMs to come up. Not a guarantee on a loaded
     * machine: {@link #startBeforeTheFeed} waits until both say whether they came up in time.
     */
    private static final long LEAD_SECONDS = 8;
    /** Times the lines are started again, with twice the lead, when a JVM came up after the feed's start. */
    private static final int START_ATTEMPTS = 4;

    @TempDir
    Path dir;

    /** Flags added to the arbitrating subscriber of {@link #startBeforeTheFeed}. */
    private List<String> subscriberFlags = List.of();

    @Test
    void shouldDeliverEveryUpdateOnceWhenEitherLineIsKilledAndRestarted() throws Exception
    {
        final long count = 100_000;
        try (Line a = new Line("A"); Line b = new Line("B"))
        {
            final Run run = startBeforeTheFeed(a, b, 7, count, 5_000, null, null);
            final FeedProcess subscriber = run.subscriber;
            final String start = run.start;
            final FeedProcess pubA = run.pubA;
            final FeedProcess pubB = run.pubB;
            final Instant feedStart = Instant.parse(start);
            await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(feedStart.plusSeconds(2)));
            final String upAgain = "line 1 (" + a.feed + ") is up again";
            final long upsBefore = subscriber.stderrLines().stream().filter(line -> line.contains(upAgain)).count();
            pubA.signal("KILL");
            assertThat(pubA.waitFor(30)).isNotZero();
            final FeedProcess againA = a.start("a-again", start, 7, count, 5_000, null);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                subscriber.stderrLines().stream().filter(line -> line.contains(upAgain)).count() > upsBefore);
            pubB.signal("KILL");
            assertThat(pubB.waitFor(30)).isNotZero();

            assertThat(againA.waitFor(90)).as(againA.stderr()).isZero();
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
            final Map<String, Object> restarted = Json.parseObject(againA.lastStdoutLine());
            assertThat((Long)restarted.get("skippedUpdates")).as("the restarted line resumes where the feed is")
                .isPositive();
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(got.get("received")).as(subscriber.stderr() + pubA.stderr() + pubB.stderr()).isEqualTo(count);
            assertThat(got.get("unrecoverable")).isEqualTo(0L);
            assertThat(map(got, "verify")).containsEntry("checkedUpdates", count).containsEntry("violations", 0L);
            final List<Map<String, Object>> lines = lines(got);
            assertThat((Long)lines.get(0).get("downEvents")).isPositive();
            assertThat((Long)lines.get(0).get("upEvents")).isPositive();
            assertThat((Long)lines.get(1).get("downEvents")).isPositive();
            assertThat((Long)lines.get(0).get("won") + (Long)lines.get(1).get("won"))
                .as("every update won once, by one line or the other, or recovered").isLessThanOrEqualTo(count);
            assertThat(lines.get(0).get("mismatched")).isEqualTo(0L);
            assertThat(got.get("snapshots")).as("the restarted line keeps the feed's session").isEqualTo(0L);
        }
    }

    @Test
    void shouldRecoverOnlyWhatBothLinesDroppedWhenBothDropBatchesIndependently() throws Exception
    {
        final long count = 60_000;
        try (Line a = new Line("A"); Line b = new Line("B"))
        {
            final Run run = startBeforeTheFeed(a, b, 9, count, 10_000, "--drop-batches random:1%@1",
                "--drop-batches random:1%@2");
            run.awaitEnd();
            final Map<String, Object> publishedA = Json.parseObject(run.pubA.lastStdoutLine());
            final Map<String, Object> publishedB = Json.parseObject(run.pubB.lastStdoutLine());
            assertThat((Long)publishedA.get("droppedByTestHook")).isPositive();
            assertThat((Long)publishedB.get("droppedByTestHook")).isPositive();
            assertThat(publishedA.get("sessionEpoch")).isEqualTo(publishedB.get("sessionEpoch"));

            final Map<String, Object> got = Json.parseObject(run.subscriber.lastStdoutLine());
            assertThat(got.get("received")).isEqualTo(count);
            assertThat(got.get("unrecoverable")).isEqualTo(0L);
            assertThat(map(got, "verify")).containsEntry("checkedUpdates", count).containsEntry("violations", 0L);
            final List<Map<String, Object>> lines = lines(got);
            assertThat((Long)lines.get(0).get("won")).isPositive();
            assertThat((Long)lines.get(1).get("won")).isPositive();
            assertThat((Long)lines.get(0).get("late") + (Long)lines.get(1).get("late")).isPositive();
            // Both lines carried the whole feed: a batch lost on one came on the other, unless both lost an update
            // (about 1% of 1%), which recovery fetched.
            assertThat(publishedA.get("skippedUpdates")).isEqualTo(0L);
            assertThat(publishedB.get("skippedUpdates")).isEqualTo(0L);
            assertThat((Long)got.get("gapsDetected")).as("gaps both lines missed")
                .isLessThan((Long)publishedA.get("droppedByTestHook"));
        }
    }

    @Test
    void shouldNeedNoRecoveryWhenBothLinesDropBatchesIndependentlyAndRepeatThem() throws Exception
    {
        final long count = 60_000;
        try (Line a = new Line("A"); Line b = new Line("B"))
        {
            // As the benchmark (docs/arbitration.md): queues and a wait deep enough that a stall of this host's
            // subscriber overflows neither line's send queue nor outlasts the wait for the other line.
            subscriberFlags = List.of("--arbitration-window", "300ms");
            final Run run = startBeforeTheFeed(a, b, 11, count, 10_000,
                "--drop-batches random:1%@3 --repeat-batches --sndhwm 65536",
                "--drop-batches random:1%@4 --repeat-batches --sndhwm 65536");
            final FeedProcess subscriber = run.subscriber;
            run.awaitEnd();
            final Map<String, Object> publishedA = Json.parseObject(run.pubA.lastStdoutLine());
            final Map<String, Object> publishedB = Json.parseObject(run.pubB.lastStdoutLine());
            for (final Map<String, Object> published : List.of(publishedA, publishedB))
            {
                assertThat((Long)published.get("droppedByTestHook")).isPositive();
                assertThat((Long)published.get("repeatedBatches")).as("a copy of every batch")
                    .isGreaterThanOrEqualTo((Long)published.get("batches") - (Long)published.get("droppedByTestHook"));
                assertThat(published.get("skippedUpdates")).isEqualTo(0L);
            }

            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(got.get("received")).isEqualTo(count);
            assertThat(map(got, "verify")).containsEntry("checkedUpdates", count).containsEntry("violations", 0L);
            // A batch is missing on a line only if both its copies were dropped (1% of 1%), and on both lines only
            // if that happened on each (1% of 1% of 1% of 1%): nothing for the recovery service.
            assertThat(got.get("gapsDetected")).as(subscriber.stderr()).isEqualTo(0L);
            final Map<String, Object> recovery = map(got, "recovery");
            assertThat((Long)recovery.get("requests") - (Long)recovery.get("snapshotRequests"))
                .as("requests for missing updates (the session's end is audited with a snapshot)").isZero();
            assertThat(got.get("unrecoverable")).isEqualTo(0L);
            final List<Map<String, Object>> lines = lines(got);
            assertThat((Long)lines.get(0).get("repeated")).isPositive();
            assertThat((Long)lines.get(1).get("repeated")).isPositive();
            assertThat((Long)lines.get(0).get("late") + (Long)lines.get(1).get("late")).isPositive();
        }
    }

    @Test
    void shouldEndWithAnErrorWhenTheLinesAreNotIdentical() throws Exception
    {
        final long count = 200_000;
        try (Line a = new Line("A"); Line b = new Line("B"); FeedProcess subscriber = subscribe("sub", a, b))
        {
            final String start = feedStart(subscriber, LEAD_SECONDS);
            a.start("a", start, 3, count, 10_000, null);
            b.start("b", start, 4, count, 10_000, null);
            assertThat(subscriber.waitFor(90)).as(subscriber.stderr()).isEqualTo(1);
            assertThat(subscriber.stderrLines()).anyMatch(line -> line.startsWith(
                "feed subscribe: the lines are not identical: update ") && line.contains(
                "start every line with the same --feed-id, --feed-start and source settings"));
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(lines(got).stream().mapToLong(line -> (Long)line.get("mismatched")).sum()).isPositive();
            assertThat(got).containsEntry("stopReason", "mismatch");
        }
    }

    @Test
    void shouldEndWithAnErrorWhenTheLinesAreNotOneFeed() throws Exception
    {
        final long count = 200_000;
        try (Line a = new Line("A"); Line b = new Line("B", "OTHER"); FeedProcess subscriber = subscribe("sub", a, b))
        {
            final String start = feedStart(subscriber, LEAD_SECONDS);
            a.start("a", start, 5, count, 10_000, null);
            b.start("b", start, 5, count, 10_000, null);
            assertThat(subscriber.waitFor(90)).as(subscriber.stderr()).isEqualTo(1);
            assertThat(subscriber.stderrLines()).as(subscriber.stderr()).anyMatch(line -> line.startsWith(
                "feed subscribe: the lines are not one feed: line ") && line.endsWith(": the same start, another " +
                "--feed-id; start every line with the same --feed-id and --feed-start"));
            final List<Map<String, Object>> lines = lines(Json.parseObject(subscriber.lastStdoutLine()));
            assertThat(lines.get(0).get("sessionEpoch")).isNotEqualTo(lines.get(1).get("sessionEpoch"));
            assertThat(lines.stream().mapToLong(line -> (Long)line.get("otherSession")).sum())
                .as("the older session's frames, dropped").isPositive();
        }
    }

    /**
     * A subscriber and both lines' publishers, the publishers up before the feed's start: otherwise each line would
     * leave what was due before it joined to the other, and the feed's beginning would be on neither line. The start
     * is a wall-clock time given on the command line, so a JVM slower than the lead (a loaded machine) is seen from
     * its log ("joins N s after the feed's start" instead of "publishes session") and everything is started again
     * with twice the lead.
     */
    private Run startBeforeTheFeed(final Line a, final Line b, final long seed, final long count, final long rate,
        final String flagsA, final String flagsB)
    {
        long leadSeconds = LEAD_SECONDS;
        for (int attempt = 1; ; attempt++)
        {
            final FeedProcess subscriber = subscribe("sub" + attempt, a, b);
            a.started.add(subscriber);
            final String start = feedStart(subscriber, leadSeconds);
            final FeedProcess pubA = a.start("a" + attempt, start, seed, count, rate, flagsA);
            final FeedProcess pubB = b.start("b" + attempt, start, seed, count, rate, flagsB);
            await().atMost(Duration.ofSeconds(90)).until(() -> joined(pubA) != null && joined(pubB) != null);
            if (!joined(pubA) && !joined(pubB))
            {
                return new Run(subscriber, pubA, pubB, start);
            }
            assertThat(attempt).as("lines that came up after the feed's start %d times:%n%s%n%s", attempt,
                pubA.stderr(), pubB.stderr()).isLessThan(START_ATTEMPTS);
            subscriber.close();
            pubA.close();
            pubB.close();
            leadSeconds *= 2;
        }
    }

    /** Whether a line's publisher joined after the feed's start (true), before it (false), or not yet (null). */
    private static Boolean joined(final FeedProcess publisher)
    {
        final String log = publisher.stderr();
        return log.contains(" joins ") ? Boolean.TRUE : log.contains(" publishes session ") ? Boolean.FALSE : null;
    }

    /**
     * Once the subscriber is up: a start far enough ahead for both publishers' JVMs to come up (they wait for the
     * subscriber, then for the start), as a rule.
     */
    private static String feedStart(final FeedProcess subscriber, final long leadSeconds)
    {
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.stderr().contains("arbitrating 2"));
        return Instant.now().plusSeconds(leadSeconds).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private FeedProcess subscribe(final String name, final Line a, final Line b)
    {
        final List<String> args = new ArrayList<>(List.of("subscribe", "--connect", a.feed, "--connect", b.feed,
            "--arbitrate", "--recovery-connect", a.recovery + "," + b.recovery, "--heartbeat-interval", "200ms",
            "--verify", "--exit-on-end", "--duration", "120s"));
        args.addAll(subscriberFlags);
        return FeedProcess.start(dir, name, args.toArray(new String[0]));
    }

    /** A subscriber and the two lines' first publishers, and the feed's start. */
    private record Run(FeedProcess subscriber, FeedProcess pubA, FeedProcess pubB, String start)
    {
        /** Both publishers and then the subscriber ended, each with exit status 0. */
        void awaitEnd() throws InterruptedException
        {
            assertThat(pubA.waitFor(90)).as(pubA.stderr()).isZero();
            assertThat(pubB.waitFor(90)).as(pubB.stderr()).isZero();
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Map<String, Object> parent, final String key)
    {
        return (Map<String, Object>)parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lines(final Map<String, Object> summary)
    {
        final List<Map<String, Object>> lines = (List<Map<String, Object>>)summary.get("lines");
        assertThat(lines).hasSize(2);
        return lines;
    }

    /**
     * One line's endpoints and how to start its publisher.
     */
    private final class Line implements AutoCloseable
    {
        final List<FeedProcess> started = new ArrayList<>();
        final String name;
        final String feedId;
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();

        Line(final String name)
        {
            this(name, "ID");
        }

        Line(final String name, final String feedId)
        {
            this.name = name;
            this.feedId = feedId;
        }

        FeedProcess start(final String process, final String start, final long seed, final long count,
            final long rate, final String flags)
        {
            final List<String> args = new ArrayList<>(List.of("publish", "--bind", feed, "--recovery-bind", recovery,
                "--feed-id", feedId, "--line", name, "--feed-start", start, "--count", Long.toString(count),
                "--rate", Long.toString(rate), "--instruments", Integer.toString(INSTRUMENTS), "--seed",
                Long.toString(seed), "--heartbeat-interval", "200ms", "--recovery-linger", "2s"));
            if (flags != null)
            {
                args.addAll(List.of(flags.split(" ")));
            }
            args.addAll(List.of("--await-subscribers", "1", "--await-timeout", "60s"));
            final FeedProcess publisher = FeedProcess.start(dir, process, args.toArray(new String[0]));
            started.add(publisher);
            return publisher;
        }

        @Override
        public void close()
        {
            started.forEach(FeedProcess::close);
        }
    }
}
