package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --log-format json} in a real process: every line on stderr is one JSON object from Logback's JsonEncoder,
 * the command's one-line error included, while stdout keeps the data.
 */
@Timeout(60)
class LogFormatProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryStderrLineAsJsonTheErrorIncluded() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--log-format", "json", "--bind",
            endpoint, "--recovery-bind", "none", "--count", "100");
            FeedProcess bad = FeedProcess.start(dir, "bad", "subscribe", "--log-format", "json", "--rcvhwm", "lots"))
        {
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
            final List<String> log = publisher.stderrLines();
            assertThat(log).isNotEmpty();
            for (final String line : log)
            {
                final Map<String, Object> event = Json.parseObject(line);
                assertThat(event).containsKeys("timestamp", "level", "threadName", "loggerName", "formattedMessage");
            }
            assertThat(log).anyMatch(line -> Json.parseObject(line).get("formattedMessage").equals(
                "publishing on " + endpoint));
            assertThat(Json.parseObject(publisher.lastStdoutLine()).get("published")).isEqualTo(100L);

            assertThat(bad.waitFor(60)).isEqualTo(2);
            assertThat(bad.stderrLines()).hasSize(1);
            final Map<String, Object> error = Json.parseObject(bad.stderrLines().get(0));
            assertThat(error.get("level")).isEqualTo("ERROR");
            assertThat(error.get("formattedMessage")).isEqualTo(
                "feed subscribe: Invalid value for option '--rcvhwm': 'lots' is not an int (see feed subscribe --help)");
        }
    }
}
