package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import dev.feedhandler.common.testing.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher unit's own command line ({@code ExecStart} of ops/systemd/feed-publisher.service, with the install
 * paths swapped for this checkout's: the project's and the example site's JVM flags files, the example config file)
 * runs a publisher that systemd's stop signal, SIGTERM, ends cleanly: exit status 143, which the unit counts as
 * success, the summary printed, and every update it published in its journal.
 */
@Timeout(120)
class SystemdUnitsTest
{
    private static final Pattern METRICS_PORT = Pattern.compile("metrics on http:\\\\?/\\\\?/127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void shouldStopThePublisherUnitsCommandWithSigtermAndFlushEveryUpdateToTheJournal() throws Exception
    {
        final Path root = FeedProcess.root();
        final List<String> unit = Files.readAllLines(root.resolve("ops/systemd/feed-publisher.service"));
        assertThat(unit).contains("KillSignal=SIGTERM", "SuccessExitStatus=143", "Restart=on-failure");
        final List<String> command = new ArrayList<>();
        for (final String token : value(unit, "ExecStart").split(" "))
        {
            command.add(switch (token)
            {
                case "/usr/bin/java" -> Path.of(System.getProperty("java.home"), "bin", "java").toString();
                case "@/opt/feedhandler/config/jvm.options" -> "@" + root.resolve("config/jvm.options");
                case "@/etc/feedhandler/jvm.options" -> "@" + root.resolve("ops/systemd/jvm.options");
                case "/opt/feedhandler/lib/*" -> System.getProperty("java.class.path");
                case "/etc/feedhandler/publisher.conf" -> root.resolve("config/examples/publisher.conf").toString();
                default -> token;
            });
        }
        assertThat(command).noneMatch(token -> token.contains("/opt/") || token.contains("/etc/"));
        // The example binds every interface on fixed ports: this test stays on loopback, on free ports.
        final Path journal = dir.resolve("journal");
        command.addAll(List.of("--bind", "tcp://127.0.0.1:" + FeedProcess.freePort(),
            "--recovery-bind", "tcp://127.0.0.1:" + FeedProcess.freePort(),
            "--metrics-port", "0", "--metrics-bind", "127.0.0.1", "--journal", journal.toString(), "--rate", "5k"));

        final Path out = dir.resolve("publisher.out");
        final Path err = dir.resolve("publisher.err");
        final Process publisher = new ProcessBuilder(command).directory(dir.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try
        {
            final int port = metricsPort(err);
            final String metrics = "http://127.0.0.1:" + port + "/metrics";
            await().atMost(Duration.ofSeconds(60)).until(() ->
                PrometheusText.scrape(metrics).count("feed_publisher_updates_published_total") >= 2_000);

            new ProcessBuilder("kill", "-TERM", Long.toString(publisher.pid())).inheritIO().start().waitFor();

            assertThat(publisher.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(err)).isTrue();
            assertThat(publisher.exitValue()).as(Files.readString(err)).isEqualTo(143);
        }
        finally
        {
            publisher.destroyForcibly();
        }
        final List<String> lines = Files.readAllLines(out);
        final Map<String, Object> summary = Json.parseObject(lines.get(lines.size() - 1));
        assertThat(summary.get("stopReason")).isEqualTo("stopped");
        assertThat((long)summary.get("published")).isGreaterThanOrEqualTo(2_000L);
        final Map<String, Object> journaled = (Map<String, Object>)summary.get("journal");
        assertThat(journaled.get("dropped")).isEqualTo(0L);
        assertThat(journaled.get("failed")).isEqualTo(0L);
        assertThat(new JournalContents(journal).updateCounts()).isEqualTo(summary.get("topics"));
        // The example site flags file took effect: its GC log is in the working directory.
        try (var files = Files.list(dir))
        {
            assertThat(files.map(file -> file.getFileName().toString())).anyMatch(name -> name.startsWith("gc-"));
        }
    }

    private static String value(final List<String> unit, final String key)
    {
        return unit.stream().filter(line -> line.startsWith(key + "=")).findFirst()
            .map(line -> line.substring(key.length() + 1))
            .orElseThrow(() -> new AssertionError("no " + key + " in the unit"));
    }

    private static int metricsPort(final Path err)
    {
        final int[] port = new int[1];
        await().atMost(Duration.ofSeconds(60)).until(() ->
        {
            final Matcher matcher = METRICS_PORT.matcher(Files.exists(err) ? read(err) : "");
            if (matcher.find())
            {
                port[0] = Integer.parseInt(matcher.group(1));
                return true;
            }
            return false;
        });
        return port[0];
    }

    private static String read(final Path file) throws IOException
    {
        return Files.readString(file);
    }
}
