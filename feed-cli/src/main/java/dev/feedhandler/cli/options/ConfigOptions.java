package dev.feedhandler.cli.options;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The {@code --config FILE} flag of {@code feed publish}, {@code subscribe} and {@code replay} (a picocli mixin):
 * reads the file while the command line is parsed and hands its settings to the command's {@link ConfigDefaults},
 * which picocli asks, after parsing, for every flag the command line did not give.
 */
public final class ConfigOptions
{
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private Path file;

    /**
     * Reads and checks the file.
     *
     * @param path the file.
     * @throws ConfigFileException with a one-line message naming the file, the line and the key.
     */
    @Option(names = "--config", paramLabel = "FILE",
        description = "Read flags from FILE: one 'key = value' per line, the key a flag's name without its dashes " +
            "(rate = 50k), a repeatable flag on several lines, # for comments; flags on the command line override " +
            "it (docs/operations.md).")
    void config(final Path path)
    {
        final ConfigDefaults defaults = ConfigDefaults.of(command);
        if (defaults == null)
        {
            throw new IllegalStateException(command.qualifiedName() + " does not declare ConfigDefaults");
        }
        try
        {
            defaults.use(ConfigFile.read(path), command);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigFileException(command.commandLine(), ex.getMessage());
        }
        file = path;
    }

    /**
     * The file given.
     *
     * @return the file, or null without {@code --config}.
     */
    public Path file()
    {
        return file;
    }

    /**
     * A config file that cannot be used: its message says where and what, and needs no pointer to {@code --help}.
     */
    public static final class ConfigFileException extends CommandLine.ParameterException
    {
        private static final long serialVersionUID = 1L;

        /**
         * An error in a config file.
         *
         * @param commandLine the command.
         * @param message     one line naming the file, the line and the key.
         */
        public ConfigFileException(final CommandLine commandLine, final String message)
        {
            super(commandLine, message);
        }
    }
}
