package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery service after its session, with the default {@code --recovery-linger} (1 s), through
 * {@code scripts/feed} child processes: it goes on answering while a subscriber that does not have the session's end
 * is still connected (that subscriber asks only once its feed has been stale for three heartbeat intervals), and a
 * subscriber that has the end lets go of the service, so the publisher does not wait for it.
 */
@Timeout(120)
class RecoveryLingerProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldAnswerASubscriberWhoseEndWasLostWithTheDefaultLinger() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        // The scenario: every update arrives, the session's end does not; the subscriber learns it from the service
        // when its feed goes stale, 3 s later: two seconds after the default linger would have closed the service.
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed,
            "--recovery-bind", recovery, "--rate", "10k", "--duration", "2s", "--await-subscribers", "1",
            "--drop-batches", "end");
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--verify", "--exit-on-end", "--duration", "90s"))
        {
            assertThat(subscriber.waitFor(60)).as(subscriber.stderrTail(40)).isZero();
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());

            assertThat(got.get("publisherEnded")).as("summary %s%npublisher log:%n%s", subscriber.lastStdoutLine(),
                publisher.stderrTail(20)).isEqualTo(true);
            assertThat(got.get("stopReason")).isEqualTo("end");
            assertThat(got.get("received")).isEqualTo(published.get("published"));
            assertThat(map(got, "verify")).containsEntry("violations", 0L);
            assertThat(publisher.stderr()).contains("1 subscriber(s) still connected");
        }
    }

    @Test
    void shouldLetThePublisherGoOnceTheSubscriberHasTheEnd() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        // A subscriber that stays up after the session's end (no --exit-on-end) and a publisher that would wait for
        // connected subscribers far longer than the waits below: it stops only because the subscriber lets go.
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed,
            "--recovery-bind", recovery, "--rate", "10k", "--duration", "2s", "--await-subscribers", "1",
            "--recovery-linger-max", "10m");
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--verify", "--duration", "10m"))
        {
            assertThat(publisher.waitFor(60)).as(publisher.stderrTail(20)).isZero();
            final Map<String, Object> published = Json.parseObject(publisher.lastStdoutLine());
            subscriber.signal("TERM");
            assertThat(subscriber.waitFor(60)).as(subscriber.stderrTail(40)).isNotNegative();
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());

            assertThat(got.get("publisherEnded")).isEqualTo(true);
            assertThat(got.get("received")).isEqualTo(published.get("published"));
            // The publisher may have waited for the subscriber a moment (one behind by more than the 1 s linger);
            // that it stopped at all within the wait above, with a 10 m cap, is the subscriber letting go.
            assertThat(publisher.stderr()).doesNotContain("after the session's end with");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Map<String, Object> summary, final String key)
    {
        return (Map<String, Object>)summary.get(key);
    }
}
