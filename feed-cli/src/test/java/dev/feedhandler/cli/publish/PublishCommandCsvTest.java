package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code feed publish --source csv} end to end through picocli, on a real socket bound to a wildcard port.
 */
@Timeout(60)
class PublishCommandCsvTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    private Path file;

    private Path ticks(final String... lines) throws IOException
    {
        file = Files.writeString(dir.resolve("ticks.csv"), String.join("\n", lines) + "\n");
        return file;
    }

    /** Runs the command with the error handling of the {@code feed} executable (FeedCli). */
    private int publish(final String... args)
    {
        final CommandLine commandLine = new CommandLine(
            new PublishCommand(new PrintStream(out, true, StandardCharsets.UTF_8)));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((ex, command, parseResult) ->
        {
            if (ex instanceof CliException)
            {
                command.getErr().println("publish: " + ex.getMessage());
                return ((CliException)ex).exitCode();
            }
            throw ex;
        });
        final List<String> all = new ArrayList<>(List.of("--source", "csv", "--speed", "max",
            "--bind", "tcp://127.0.0.1:*", "--close-linger", "0"));
        all.addAll(Arrays.asList(args));
        return commandLine.execute(all.toArray(new String[0]));
    }

    private List<String> stdout()
    {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private Map<String, Object> summary()
    {
        final List<String> lines = stdout();
        assertThat(lines).isNotEmpty();
        return Json.parseObject(lines.get(lines.size() - 1));
    }

    @Test
    void shouldStopOnABadLineWithOneLineErrorExitStatusOneAndTheSummaryOfWhatWasPublished() throws IOException
    {
        ticks("timestamp,symbol,bid,ask",
            "2024-01-02T00:00:00Z,EURUSD,1.1,1.2",
            "2024-01-02T00:00:01Z,GBPUSD,1.3,1.4",
            "2024-01-02T00:00:02Z,EURUSD,1.1x,1.2",
            "2024-01-02T00:00:03Z,EURUSD,1.1,1.2");

        final int status = publish("--file", file.toString());

        final String message = file + ":4: bid '1.1x' is not a decimal number";
        assertThat(status).isEqualTo(1);
        assertThat(err.toString().lines().toList()).containsExactly("publish: " + message);
        final Map<String, Object> summary = summary();
        assertThat(summary)
            .containsEntry("published", 2L)
            .containsEntry("source", "csv")
            .containsEntry("linesRead", 4L)
            .containsEntry("badLines", 1L)
            .containsEntry("firstBadLine", message)
            .containsEntry("stopReason", "failed")
            .containsEntry("error", message);
        assertThat(summary.get("topics")).isEqualTo(Map.of("EURUSD", 1L, "GBPUSD", 1L));
    }

    @Test
    void shouldSkipBadLinesAndReportThemInTheSummary() throws IOException
    {
        ticks("timestamp,symbol,bid,ask",
            "2024-01-02T00:00:00Z,EURUSD,1.1,1.2",
            "2024-01-02T00:00:02Z,EURUSD,1.1x,1.2",
            "2024-01-02T00:00:03Z,EURUSD,1.1,1.2");

        final int status = publish("--file", file.toString(), "--on-bad-line", "skip");

        assertThat(status).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(summary())
            .containsEntry("published", 2L)
            .containsEntry("badLines", 1L)
            .containsEntry("firstBadLine", file + ":3: bid '1.1x' is not a decimal number")
            .containsEntry("stopReason", "exhausted")
            .doesNotContainKey("error");
    }

    @Test
    void shouldStopAfterTheCount() throws IOException
    {
        ticks("timestamp,symbol,bid,ask",
            "2024-01-02T00:00:00Z,EURUSD,1.1,1.2",
            "2024-01-02T00:00:01Z,EURUSD,1.1,1.2",
            "2024-01-02T00:00:02Z,EURUSD,oops,1.2");

        assertThat(publish("--file", file.toString(), "--count", "2")).isZero();
        assertThat(summary()).containsEntry("published", 2L).containsEntry("stopReason", "exhausted");
    }

    @Test
    void shouldRejectCsvWithoutAFileAsUsageError()
    {
        assertThat(publish()).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly("publish: --file is required with --source csv");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldRejectAnUnknownColumnAsUsageError() throws IOException
    {
        ticks("timestamp,symbol,bid,venue");

        assertThat(publish("--file", file.toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).singleElement().asString()
            .startsWith("publish: " + file + ":1: header: unknown column 'venue'");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldMergeVendorFilesGivenByGlobAndByNameNamingEachFromItsFileName() throws IOException
    {
        Files.writeString(dir.resolve("DAT_ASCII_EURUSD_T_202601.csv"),
            "20260101 190000000,1.1,1.2,0\n20260101 190000002,1.1,1.2,0\n");
        Files.writeString(dir.resolve("DAT_ASCII_GBPUSD_T_202601.csv"), "20260101 190000001,1.3,1.4,0\n");
        try (java.io.OutputStream gz = new java.util.zip.GZIPOutputStream(
            Files.newOutputStream(dir.resolve("USDJPY.csv.gz"))))
        {
            gz.write("20260101 190000003,157.1,157.2,0\n".getBytes(StandardCharsets.US_ASCII));
        }

        final int status = publish("--format", "histdata", "--symbol-from-name",
            "--file", dir.resolve("DAT_ASCII_*_T_202601.csv").toString(), "--file", dir.resolve("USDJPY.csv.gz")
                .toString());

        assertThat(status).as(err.toString()).isZero();
        final Map<String, Object> summary = summary();
        assertThat(summary).containsEntry("published", 4L).containsEntry("files", 3L)
            .containsEntry("linesRead", 4L).containsEntry("stopReason", "exhausted").doesNotContainKey("file");
        assertThat(summary.get("topics")).isEqualTo(Map.of("EURUSD", 2L, "GBPUSD", 1L, "USDJPY", 1L));
    }

    @Test
    void shouldNameArchiveEntryAndLineOfABadLineInAZipUnderBothPolicies() throws IOException
    {
        final Path archive = dir.resolve("EURUSD-2026-01.zip");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(archive)))
        {
            zip.putNextEntry(new java.util.zip.ZipEntry("EURUSD-2026-01.csv"));
            zip.write(("EUR/USD,20260102 00:00:00.000,1.1,1.2\nEUR/USD,20260102 00:00:00.001,1.1,1.2x\n" +
                "EUR/USD,20260102 00:00:00.002,1.1,1.2\n").getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        final String message = archive + "!EURUSD-2026-01.csv:2: ask '1.2x' is not a decimal number";

        assertThat(publish("--format", "truefx", "--file", archive.toString())).isEqualTo(1);
        assertThat(err.toString().lines().toList()).containsExactly("publish: " + message);
        assertThat(summary()).containsEntry("published", 1L).containsEntry("firstBadLine", message)
            .containsEntry("error", message).containsEntry("stopReason", "failed");

        out.reset();
        err.getBuffer().setLength(0);
        assertThat(publish("--format", "truefx", "--file", archive.toString(), "--on-bad-line", "skip")).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(summary()).containsEntry("published", 2L).containsEntry("badLines", 1L)
            .containsEntry("firstBadLine", message).containsEntry("file", archive + "!EURUSD-2026-01.csv");
    }

    @Test
    void shouldRejectAGlobThatMatchesNothingAsUsageError()
    {
        final String pattern = dir.resolve("*.csv").toString();

        assertThat(publish("--file", pattern)).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly("publish: --file '" + pattern +
            "': no file matches");
        assertThat(stdout()).isEmpty();
    }
}
