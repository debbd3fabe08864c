package dev.feedhandler.cli.journal;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.JournalInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code feed journal-info DIR}: what a journal holds, for a person and, as the last line of stdout, as JSON.
 */
@Command(
    name = "journal-info",
    mixinStandardHelpOptions = true,
    versionProvider = FeedVersion.class,
    description = {
        "Describe a journal: first and last time and index, batch and update counts, updates per topic, sessions, " +
            "and the cycle files on disk with their sizes.",
        "Prints a readable report, then the same as one line of JSON, the last line of stdout."
    })
public final class JournalInfoCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    private final PrintStream out;

    /**
     * A command printing to stdout.
     */
    public JournalInfoCommand()
    {
        this(System.out);
    }

    /**
     * A command printing to the given stream (tests).
     *
     * @param out where the report goes.
     */
    public JournalInfoCommand(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        final JournalInfo info;
        try
        {
            info = JournalInfo.of(directory);
        }
        catch (final JournalException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
        info.print(out);
        out.println(Json.write(info.toMap()));
        out.flush();
        return 0;
    }
}
