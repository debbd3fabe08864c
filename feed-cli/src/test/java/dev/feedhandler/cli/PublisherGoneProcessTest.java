package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber with {@code --exit-on-end} whose publisher is SIGKILLed (its session's end will never come) does not
 * wait out its {@code --duration}: once the feed has been stale for {@code --publisher-gone-after} with no connection
 * to the publisher and its recovery service not answering, it fails with {@code stopReason} publisher_gone.
 */
@Timeout(120)
class PublisherGoneProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldFailWithPublisherGoneWhenThePublisherIsKilled() throws Exception
    {
        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed,
            "--recovery-bind", recovery, "--rate", "10k", "--duration", "10m", "--await-subscribers", "1");
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", feed,
                "--recovery-connect", recovery, "--verify", "--exit-on-end", "--publisher-gone-after", "2s",
                "--duration", "10m", "--stats-interval", "200ms"))
        {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> subscriber.stderr().matches("(?s).*total [1-9][0-9]{3,}.*"));
            publisher.signal("KILL");
            publisher.waitFor(30);

            assertThat(subscriber.waitFor(60)).as(subscriber.stderrTail(20)).isEqualTo(1);
            final Map<String, Object> got = Json.parseObject(subscriber.lastStdoutLine());
            assertThat(got.get("stopReason")).isEqualTo("publisher_gone");
            assertThat(got.get("publisherEnded")).isEqualTo(false);
            assertThat((Long)got.get("received")).isPositive();
            assertThat(subscriber.stderr()).contains("the publisher went away without ending its session");
        }
    }
}
