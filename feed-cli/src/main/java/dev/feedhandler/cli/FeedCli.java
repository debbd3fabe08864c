package dev.feedhandler.cli;

import ch.qos.logback.classic.Level;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.ConfigDefaults;
import dev.feedhandler.cli.options.ConfigFile;
import dev.feedhandler.cli.options.ConfigOptions;
import dev.feedhandler.cli.options.GracefulCommand;
import dev.feedhandler.cli.options.GracefulShutdown;
import dev.feedhandler.cli.options.JulBridge;
import dev.feedhandler.cli.options.LogFormat;
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
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
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
    // No static logger: Logback starts in most of a second, which would come before main installs the signal hook.

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

    @Option(names = "--log-format", paramLabel = "FORMAT", scope = CommandLine.ScopeType.INHERIT,
        description = "Log lines on stderr as text, or json (one JSON object per line, for log shippers; " +
            "Logback's JsonEncoder) (default: text).")
    void logFormat(final String format)
    {
        try
        {
            LogFormat.apply(format);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
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
        commandLine.setExecutionStrategy(parseResult ->
        {
            if (!(leaf(parseResult).commandSpec().userObject() instanceof GracefulCommand))
            {
                GracefulShutdown.noGracefulStop();
            }
            applyInheritedFromConfig(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine command = ex.getCommandLine();
            final String name = command.getCommandSpec().qualifiedName();
            if (ex instanceof ConfigOptions.ConfigFileException)
            {
                printError(command, name + ": " + ex.getMessage());
                return CliException.USAGE;
            }
            final ConfigDefaults config = ConfigDefaults.of(command.getCommandSpec());
            final String origin = config != null && ex.getArgSpec() instanceof OptionSpec ?
                config.origin((OptionSpec)ex.getArgSpec()) : null;
            if (origin != null)
            {
                printError(command, name + ": " + origin + ": " + ex.getMessage());
                return CliException.USAGE;
            }
            printError(command, name + ": " + ex.getMessage() + " (see " + name + " --help)");
            return CliException.USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, command, parseResult) ->
        {
            final String name = command.getCommandSpec().qualifiedName();
            if (ex instanceof CliException)
            {
                final ConfigDefaults config = ConfigDefaults.of(command.getCommandSpec());
                final String origin = config == null ? null : config.locate(ex.getMessage());
                printError(command, name + ": " + (origin == null ? "" : origin + ": ") + ex.getMessage());
                return ((CliException)ex).exitCode();
            }
            LoggerFactory.getLogger(FeedCli.class).debug("unexpected failure", ex);
            printError(command, name + ": unexpected error: " + ex + " (run with --log-level debug for details)");
            return CliException.FAILURE;
        });
        return commandLine;
    }

    /**
     * The one-line error of a command: on stderr as it is, or, with {@code --log-format json}, as a JSON log line
     * so that stderr stays one JSON object per line.
     */
    private static void printError(final CommandLine command, final String line)
    {
        if (LogFormat.json())
        {
            LoggerFactory.getLogger("feed").error(line);
            return;
        }
        final PrintWriter err = command.getErr();
        err.println(line);
        err.flush();
    }

    /**
     * Picocli gives inherited options ({@code --log-level}, {@code --log-format}) no default values: a config file's
     * settings of them are applied here, after parsing, unless the command line gave them.
     */
    private static void applyInheritedFromConfig(final CommandLine.ParseResult root)
    {
        final CommandLine.ParseResult leaf = leaf(root);
        final ConfigDefaults config = ConfigDefaults.of(leaf.commandSpec());
        if (config == null || config.config() == null)
        {
            return;
        }
        for (final OptionSpec option : leaf.commandSpec().options())
        {
            if (!option.inherited() || root.hasMatchedOption(option.longestName()) ||
                leaf.hasMatchedOption(option.longestName()))
            {
                continue;
            }
            final List<ConfigFile.Setting> values = config.supply(option);
            if (values.isEmpty())
            {
                continue;
            }
            try
            {
                option.setValue(values.get(0).value());
            }
            catch (final CommandLine.PicocliException ex)
            {
                final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                throw new ConfigOptions.ConfigFileException(leaf.commandSpec().commandLine(),
                    config.config().where(values.get(0)) + ": " + cause.getMessage());
            }
        }
    }

    /** The subcommand that runs: the last one on the command line. */
    private static CommandLine.ParseResult leaf(final CommandLine.ParseResult root)
    {
        CommandLine.ParseResult leaf = root;
        while (leaf.hasSubcommand())
        {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        // First of all: a signal while the JVM starts and the command line is parsed still gets the summary.
        GracefulShutdown.installForProcess();
        JulBridge.install();
        final int status = commandLine().execute(args);
        GracefulShutdown.processDone();
        System.exit(status);
    }
}
