package dev.feedhandler.cli.options;

import dev.feedhandler.common.counters.CountersDirectory;
import dev.feedhandler.common.counters.CountersFileException;
import dev.feedhandler.common.counters.ProcessCounters;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where {@code feed publish} and {@code feed subscribe} keep their counters file, the one {@code feed stat} reads (a
 * picocli mixin): {@code --counters-dir} and {@code --counters-name}.
 */
public final class CountersOptions
{
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    @Option(names = "--counters-dir", paramLabel = "DIR",
        description = "Directory of the counters file that feed stat reads (default: ${DEFAULT-VALUE}: $" +
            CountersDirectory.ENVIRONMENT_VARIABLE + " if set, else /dev/shm/" + CountersDirectory.DIRECTORY_NAME +
            " or " + CountersDirectory.DIRECTORY_NAME + " in the temp directory).")
    Path directory;

    @Option(names = "--counters-name", paramLabel = "NAME",
        description = "Name of this process's counters file, DIR/NAME.counters (default: the command and the pid, " +
            "such as publish-1234).")
    String name;

    /**
     * Creates this process's counters file.
     *
     * @param role the command, such as {@code publish}.
     * @return the counters, to close after everything that counts has stopped (closing deletes the file).
     * @throws CliException (usage) if the name is invalid, the file cannot be created or belongs to a running
     *                      process.
     */
    public ProcessCounters create(final String role)
    {
        final Path where = directory != null ? directory : CountersDirectory.defaultDirectory();
        final String fileName = name != null ? name : CountersDirectory.defaultName(role);
        try
        {
            CountersDirectory.checkName(fileName);
            return ProcessCounters.createFile(where, fileName, role, description());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, "--counters-name: " + ex.getMessage());
        }
        catch (final CountersFileException ex)
        {
            if (ex.isRefusedByFileSystem())
            {
                // Monitoring must not stop the feed (a full /dev/shm, a directory another user created): it goes on,
                // only `feed stat` cannot see it.
                LoggerFactory.getLogger(CountersOptions.class).warn("{}; this process keeps its counters in memory " +
                    "(feed stat cannot see it)", ex.getMessage());
                return ProcessCounters.inMemory(role);
            }
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    private String description()
    {
        final StringBuilder text = new StringBuilder("feed");
        if (mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null)
        {
            // The whole command line as typed, from the subcommand's name on.
            for (final String arg : mixee.commandLine().getParseResult().originalArgs())
            {
                text.append(' ').append(arg);
            }
        }
        return text.toString();
    }
}
