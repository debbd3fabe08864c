package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.journal.ReplayCommand;
import dev.feedhandler.cli.options.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flags of {@code feed publish} and {@code feed replay --publish} whose value asks for something the command would
 * not do: a usage error in one line (exit status 2) before any socket is bound, never a run that ignores it.
 */
@Timeout(60)
class PublishBadFlagsTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    /** Runs the command with the error handling of the {@code feed} executable (FeedCli). */
    private int run(final Object command, final String... args)
    {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            if (ex instanceof CliException)
            {
                cmd.getErr().println(ex.getMessage());
                return ((CliException)ex).exitCode();
            }
            throw ex;
        });
        return commandLine.execute(args);
    }

    private PrintStream stdout()
    {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseAZeroDurationInsteadOfPublishingWithoutEnd()
    {
        final int status = run(new PublishCommand(stdout()), "--duration", "0s", "--bind", "tcp://127.0.0.1:*",
            "--recovery-bind", "none", "--close-linger", "0", "--rate", "max");

        assertThat(status).isEqualTo(CliException.USAGE);
        assertThat(err.toString().lines().toList()).singleElement().asString()
            .startsWith("--duration must be positive, was 0s");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldRefuseAnIoThreadPolicyItDoesNotKnow()
    {
        final int status = run(new PublishCommand(stdout()), "--io-thread-policy", "fifo", "--bind",
            "tcp://127.0.0.1:*", "--recovery-bind", "none");

        assertThat(status).isEqualTo(CliException.USAGE);
        assertThat(err.toString().lines().findFirst()).get().asString()
            .contains("--io-thread-policy").contains("BATCH, OTHER").contains("fifo");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldRefuseANegativeSubscriberCountForReplay()
    {
        final int status = run(new ReplayCommand(stdout(), stdout()), "--journal", dir.toString(),
            "--publish", "tcp://127.0.0.1:*", "--await-subscribers", "-1");

        assertThat(status).isEqualTo(CliException.USAGE);
        assertThat(err.toString().lines().toList())
            .containsExactly("--await-subscribers must not be negative, was -1");
    }

    @Test
    void shouldRefuseAFormatThatAReplayToASocketWouldIgnore()
    {
        // --format json --publish used to re-publish the frames and print the usual summary, without a word.
        final int status = run(new ReplayCommand(stdout(), stdout()), "--journal", dir.toString(),
            "--publish", "tcp://127.0.0.1:*", "--format", "json");

        assertThat(status).isEqualTo(CliException.USAGE);
        assertThat(err.toString().lines().toList())
            .containsExactly("--format applies only when printing updates, not with --publish");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldRefuseFlagsThatTheChosenSourceOrAMissingJournalWouldIgnore() throws Exception
    {
        // --file without --source csv used to publish synthetic prices without a word.
        final String ticks = java.nio.file.Files.writeString(dir.resolve("ticks.csv"),
            "time,symbol,bid,ask\n2026-01-02T09:00:00Z,EURUSD,1.1,1.2\n").toString();
        final String[][] cases = {
            {"--file", ticks},
            {"--source", "csv", "--file", ticks, "--rate", "10k"},
            {"--journal-keep", "3"},
            {"--journal-cached", "64m"},
        };
        final String[] lines = {
            "--file applies to --source csv (the default source is synthetic): add --source csv",
            "--rate applies to the synthetic source, not to --source csv (a tick file keeps its recorded pace: " +
                "--speed)",
            "--journal-keep needs --journal DIR",
            "--journal-cached needs --journal DIR",
        };
        for (int i = 0; i < cases.length; i++)
        {
            err.getBuffer().setLength(0);
            final String[] args = new String[cases[i].length + 4];
            System.arraycopy(cases[i], 0, args, 0, cases[i].length);
            System.arraycopy(new String[] {"--bind", "tcp://127.0.0.1:*", "--recovery-bind", "none"}, 0, args,
                cases[i].length, 4);
            assertThat(run(new PublishCommand(stdout()), args)).as(lines[i]).isEqualTo(CliException.USAGE);
            assertThat(err.toString().lines().toList()).containsExactly(lines[i]);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldRefuseAJournalCacheThatIsNeitherASizeNorAll()
    {
        final int status = run(new PublishCommand(stdout()), "--journal", dir.resolve("journal").toString(),
            "--journal-cached", "lots", "--bind", "tcp://127.0.0.1:*", "--recovery-bind", "none");

        assertThat(status).isEqualTo(CliException.USAGE);
        assertThat(err.toString().lines().toList())
            .containsExactly("--journal-cached: 'lots' is not a size in bytes, 0 or 'all' (examples: 256m, 1g)");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
