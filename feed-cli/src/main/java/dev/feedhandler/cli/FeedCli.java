package dev.feedhandler.cli;

import ch.qos.logback.classic.Level;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.cli.journal.JournalInfoCommand;
import dev.feedhandler.cli.publish.PublishCommand;
import dev.feedhandler.cli.journal.ReplayCommand;
import dev.feedhandler.cli.stat.StatCommand;
import dev.feedhandler.cli.subscribe.SubscribeCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The {@code feed} executable: one command with a subcommand per task. Errors are one line on stderr (never a
 * stack trace) with exit status 2 for bad usage and 1 for failures.
 */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    versionProvider = FeedVersion.class,
    description = "Low-latency market data feed handler: publish, subscribe and measure a ZeroMQ price feed; " +
        "journal, replay and inspect it; watch a running one's counters.",
    subcommands = {
        PublishCommand.class,
        SubscribeCommand.class,
        CompareCommand.class,
        KeygenCommand.class,
        ReplayCommand.class,
        JournalInfoCommand.class,
        StatCommand.class,
        KafkaSinkCommand.class,
        CommandLine.HelpCommand.class
    })
public final class FeedCli implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(FeedCli.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--log-level", paramLabel = "LEVEL", scope = CommandLine.ScopeType.INHERIT,
        description = "Log level on stderr: error, warn, info, debug, trace (default: info).")
    void logLevel(final String level)
    {
        final Level parsed = Level.toLevel(level.toUpperCase(Locale.ROOT), null);
        if (parsed == null)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--log-level must be one of error, warn, info, debug, trace; was '" + level + "'");
        }
        ((ch.qos.logback.classic.Logger)LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(parsed);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * Builds the command line with the error handling every subcommand shares.
     *
     * @return the configured command line.
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new FeedCli());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine command = ex.getCommandLine();
            final PrintWriter err = command.getErr();
            err.println(command.getCommandSpec().qualifiedName() + ": " + ex.getMessage() +
                " (see " + command.getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return CliException.USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, command, parseResult) ->
        {
            final PrintWriter err = command.getErr();
            final String name = command.getCommandSpec().qualifiedName();
            if (ex instanceof CliException)
            {
                err.println(name + ": " + ex.getMessage());
                err.flush();
                return ((CliException)ex).exitCode();
            }
            LOG.debug("unexpected failure", ex);
            err.println(name + ": unexpected error: " + ex + " (run with --log-level debug for details)");
            err.flush();
            return CliException.FAILURE;
        });
        return commandLine;
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }
}
