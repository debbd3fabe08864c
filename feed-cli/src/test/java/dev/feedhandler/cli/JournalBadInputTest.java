package dev.feedhandler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad journal input on the command line: a directory that does not exist, is not a queue or is not writable, a bad
 * bound or speed, and a socket's flag on a printing replay, each a one-line error on stderr with exit status 2 and
 * nothing on stdout.
 */
@Timeout(60)
class JournalBadInputTest
{
    @TempDir
    Path dir;

    private record Result(int status, List<String> out, List<String> err)
    {
    }

    private static Result run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = dev.feedhandler.cli.FeedCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int status = commandLine.execute(args);
        return new Result(status, out.toString().lines().toList(), err.toString().lines().toList());
    }

    private static void assertOneLine(final Result result, final String line)
    {
        assertThat(result.status()).as(String.join("\n", result.err())).isEqualTo(2);
        assertThat(result.err()).containsExactly(line);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldReportAJournalThatDoesNotExist()
    {
        final Path missing = dir.resolve("missing");
        assertOneLine(run("replay", "--journal", missing.toString()),
            "feed replay: journal directory " + missing + " does not exist");
        assertOneLine(run("journal-info", missing.toString()),
            "feed journal-info: journal directory " + missing + " does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void shouldReportADirectoryThatIsNotAJournal() throws Exception
    {
        Files.writeString(dir.resolve("readme.txt"), "hello");
        assertOneLine(run("journal-info", dir.toString()),
            "feed journal-info: journal directory " + dir + " is not a journal (no metadata.cq4t: not a Chronicle " +
                "Queue)");
        assertOneLine(run("replay", "--journal", dir.toString(), "--format", "csv"),
            "feed replay: journal directory " + dir + " is not a journal (no metadata.cq4t: not a Chronicle Queue)");
        assertOneLine(run("publish", "--journal", dir.toString(), "--count", "1"),
            "feed publish: journal directory " + dir + " is not a journal: it holds other files and no Chronicle " +
                "Queue");
        assertOneLine(run("subscribe", "--record", dir.toString(), "--duration", "1s"),
            "feed subscribe: journal directory " + dir + " is not a journal: it holds other files and no Chronicle " +
                "Queue");
    }

    @Test
    void shouldReportADirectoryThatIsNotWritable() throws Exception
    {
        // Root may write wherever permission bits say no; /proc/self refuses new files to everyone.
        final boolean root = "root".equals(System.getProperty("user.name"));
        final Path unwritable = root ? Path.of("/proc/self") : Files.createDirectory(dir.resolve("ro"));
        if (!root)
        {
            assertThat(unwritable.toFile().setWritable(false, false)).isTrue();
        }
        final Result result = run("publish", "--journal", unwritable.toString(), "--count", "1");
        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).hasSize(1);
        assertThat(result.err().get(0)).startsWith("feed publish: journal directory " + unwritable +
            " is not writable: ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldReportABadBoundAndBadJournalFlags()
    {
        final Result from = run("replay", "--journal", dir.toString(), "--from", "yesterday");
        assertThat(from.status()).isEqualTo(2);
        assertThat(from.err()).hasSize(1);
        assertThat(from.err().get(0)).startsWith("feed replay: Invalid value for option '--from': 'yesterday' is " +
            "not a journal index or an ISO-8601 time");
        assertOneLine(run("publish", "--journal", dir.resolve("j").toString(), "--journal-full", "sometimes"),
            "feed publish: Invalid value for option '--journal-full': expected one of [BLOCK, DROP] " +
                "(case-insensitive) but was 'sometimes' (see feed publish --help)");
        assertOneLine(run("publish", "--journal", dir.resolve("j").toString(), "--journal-roll", "fortnightly"),
            "feed publish: unknown roll cycle 'fortnightly' (use daily, hourly, minutely, secondly, or a Chronicle " +
                "Queue roll cycle such as FAST_HOURLY or TEN_MINUTELY)");
        assertOneLine(run("replay", "--journal", dir.toString(), "--speed", "fast"),
            "feed replay: --speed must be 1 (recorded pace), a positive factor N, or max; was 'fast'");
    }

    @Test
    void shouldRefuseTheFlagsOfAReplaysSocketWhenItPrints()
    {
        // A printing replay used to take them and ignore them without a word.
        final String[][] flags = {
            {"--await-subscribers", "1"}, {"--await-timeout", "5s"}, {"--backpressure", "drop"}, {"--sndhwm", "10"},
            {"--close-linger", "0s"},
        };
        for (final String[] flag : flags)
        {
            assertOneLine(run("replay", "--journal", dir.toString(), "--speed", "max", flag[0], flag[1]),
                "feed replay: " + flag[0] + " needs --publish ENDPOINT");
        }
    }

    @Test
    void shouldRefuseASpeedThatWouldWaitForEver() throws Exception
    {
        final String slowest = "0.00001 (one second of the recording then takes 27.8 hours)";
        assertOneLine(run("replay", "--journal", dir.toString(), "--speed", "1e-300"),
            "feed replay: --speed must be at least " + slowest + " or max; was '1e-300'");
        for (final String speed : new String[]{"NaN", "Infinity", "0"})
        {
            assertOneLine(run("replay", "--journal", dir.toString(), "--speed", speed),
                "feed replay: --speed must be 1 (recorded pace), a positive factor N, or max; was '" + speed + "'");
        }
        final Path ticks = Files.writeString(dir.resolve("t.csv"),
            "timestamp,symbol,bid,ask\n2026-01-02T00:00:00Z,EURUSD,1.1,1.2\n");
        assertOneLine(run("publish", "--source", "csv", "--file", ticks.toString(), "--speed", "1e-300"),
            "feed publish: --speed must be at least " + slowest + " or max, was '1e-300'");
    }
}
