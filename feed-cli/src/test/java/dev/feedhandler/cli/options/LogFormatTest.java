package dev.feedhandler.cli.options;

import dev.feedhandler.cli.FeedCli;
import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --log-format json}: log lines on stderr become one JSON object each (Logback's JsonEncoder), the command's
 * one-line error included, and {@code text} brings the pattern back. Stderr is captured in this JVM: the console
 * appender writes to whatever {@code System.err} is at the time. (A real process logging JSON from a config file is
 * checked in {@code PrometheusEndToEndTest}.)
 */
@Timeout(30)
class LogFormatTest
{
    private final PrintStream original = System.err;

    @AfterEach
    void restore()
    {
        LogFormat.apply("text");
        System.setErr(original);
    }

    private static List<String> captured(final ByteArrayOutputStream bytes)
    {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void shouldWriteLogLinesAndTheOneLineErrorAsJson()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final CommandLine feed = FeedCli.commandLine();
        final StringWriter err = new StringWriter();
        feed.setErr(new PrintWriter(err, true));

        final int status = feed.execute("subscribe", "--log-format", "json", "--rcvhwm", "lots");
        LoggerFactory.getLogger("feed.test").info("then {} more", 1);

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEmpty();
        final List<String> lines = captured(bytes);
        assertThat(lines).hasSize(2);
        final Map<String, Object> error = Json.parseObject(lines.get(0));
        assertThat(error).containsKeys("timestamp", "threadName");
        assertThat(error.get("level")).isEqualTo("ERROR");
        assertThat(error.get("loggerName")).isEqualTo("feed");
        assertThat(error.get("formattedMessage")).isEqualTo(
            "feed subscribe: Invalid value for option '--rcvhwm': 'lots' is not an int (see feed subscribe --help)");
        final Map<String, Object> info = Json.parseObject(lines.get(1));
        assertThat(info.get("level")).isEqualTo("INFO");
        assertThat(info.get("formattedMessage")).isEqualTo("then 1 more");
    }

    @Test
    void shouldWriteWhatLibrariesLogThroughJavaUtilLoggingAsJsonToo()
    {
        JulBridge.install();
        LogFormat.apply("json");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // As the JDK's HTTP server behind the metrics endpoint logs: java.util.logging, with a parameter.
        java.util.logging.Logger.getLogger("sun.net.httpserver").log(java.util.logging.Level.WARNING,
            "connection {0} reset", "127.0.0.1:4711");
        java.util.logging.Logger.getLogger("sun.net.httpserver").fine("not forwarded");

        final List<String> lines = captured(bytes);
        assertThat(lines).as("one JSON object, not java.util.logging's two lines of text").hasSize(1);
        final Map<String, Object> warning = Json.parseObject(lines.get(0));
        assertThat(warning.get("level")).isEqualTo("WARN");
        assertThat(warning.get("loggerName")).isEqualTo("sun.net.httpserver");
        assertThat(warning.get("formattedMessage")).isEqualTo("connection 127.0.0.1:4711 reset");
    }

    @Test
    void shouldGoBackToTextAndRejectOtherFormats()
    {
        LogFormat.apply("JSON");
        assertThat(LogFormat.json()).isTrue();
        LogFormat.apply("text");
        assertThat(LogFormat.json()).isFalse();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        LoggerFactory.getLogger("feed.test").info("plain again");

        assertThat(captured(bytes)).singleElement().asString().endsWith(" test - plain again")
            .doesNotStartWith("{");
        assertThatThrownBy(() -> LogFormat.apply("xml"))
            .hasMessage("--log-format must be one of text, json; was 'xml'");
    }
}
