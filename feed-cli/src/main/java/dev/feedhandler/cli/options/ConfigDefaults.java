package dev.feedhandler.cli.options;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default value provider of {@code feed publish}, {@code subscribe} and {@code replay}: a flag not given on the
 * command line takes its value from the {@code --config} file when the file sets it, and otherwise from
 * {@link LibraryDefaults} (then from its own {@code defaultValue}). Picocli asks a default value provider only for
 * the options the command line did not match, after parsing it, so the command line overrides the file whatever the
 * order of the arguments.
 * <p>
 * It also remembers which values came from the file, so that an error about one of them names the file, the line
 * and the key ({@link #locate}).
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider
{
    /** Options every command has that a file cannot set. */
    private static final Set<String> RESERVED = Set.of("config", "help", "version");
    private static final Pattern FLAG = Pattern.compile("--([a-z0-9][a-z0-9-]*)");

    private final LibraryDefaults library = new LibraryDefaults();
    private final Map<String, ConfigFile.Setting> supplied = new HashMap<>();
    private ConfigFile config;

    /**
     * {@inheritDoc}
     */
    @Override
    public String defaultValue(final ArgSpec argSpec) throws Exception
    {
        if (config != null && argSpec.isOption())
        {
            final OptionSpec option = (OptionSpec)argSpec;
            final List<ConfigFile.Setting> values = config.values(key(option));
            if (!values.isEmpty())
            {
                supplied.put(key(option), values.get(0));
                if (option.isMultiValue())
                {
                    // Picocli applies a default as one value: a repeated key's values are set as the list itself.
                    final List<String> list = new ArrayList<>(values.size());
                    values.forEach(setting -> list.add(setting.value()));
                    option.setValue(list);
                    return null;
                }
                // Picocli interpolates ${...} in defaults; a file's value is taken literally.
                return values.get(0).value().replace("${", "$${");
            }
        }
        return library.defaultValue(argSpec);
    }

    /**
     * Takes a file's settings after checking every key against the command's options: a key must name a flag of the
     * command, and only a repeatable flag may be set on several lines.
     *
     * @param file    the file.
     * @param command the command whose flags the file sets.
     * @throws IllegalArgumentException with a one-line message naming the file, the line and the key.
     */
    public void use(final ConfigFile file, final CommandSpec command)
    {
        for (final Map.Entry<String, List<ConfigFile.Setting>> entry : file.settings().entrySet())
        {
            final String key = entry.getKey();
            final ConfigFile.Setting first = entry.getValue().get(0);
            final OptionSpec option = RESERVED.contains(key) ? null : command.findOption("--" + key);
            if (RESERVED.contains(key))
            {
                throw new IllegalArgumentException(file.where(first) + ": cannot be set in a config file");
            }
            if (option == null || !option.longestName().equals("--" + key))
            {
                throw new IllegalArgumentException(file.where(first) + ": unknown (" + command.qualifiedName() +
                    " has no --" + key + ")");
            }
            if (entry.getValue().size() > 1 && !option.isMultiValue())
            {
                throw new IllegalArgumentException(file.where(entry.getValue().get(1)) + ": set again (first on line " +
                    first.line() + "); only a repeatable flag may be given more than once");
            }
            if (option.isMultiValue() && option.auxiliaryTypes()[0] != String.class)
            {
                throw new IllegalArgumentException(file.where(first) + ": --" + key +
                    " cannot be set in a config file");
            }
        }
        config = file;
        supplied.clear();
    }

    /**
     * The file in use.
     *
     * @return the file, or null without {@code --config}.
     */
    public ConfigFile config()
    {
        return config;
    }

    /**
     * Where the value of an option came from, if the file gave it.
     *
     * @param option an option of the command.
     * @return {@code FILE:LINE: key 'KEY'}, or null if the value did not come from the file.
     */
    public String origin(final OptionSpec option)
    {
        final ConfigFile.Setting setting = supplied.get(key(option));
        return setting == null ? null : config.where(setting);
    }

    /**
     * Finds the first flag a message names whose value came from the file or, failing that, a value from the file
     * the message quotes (such as a directory: {@code journal directory /srv/j does not exist}).
     *
     * @param message a one-line error, such as {@code --rate must be positive, was 0}.
     * @return {@code FILE:LINE: key 'KEY'} of that setting, or null if the message names none from the file.
     */
    public String locate(final String message)
    {
        if (config == null || message == null)
        {
            return null;
        }
        final Matcher flag = FLAG.matcher(message);
        while (flag.find())
        {
            final ConfigFile.Setting setting = supplied.get(flag.group(1));
            if (setting != null)
            {
                return config.where(setting);
            }
        }
        ConfigFile.Setting quoted = null;
        int at = Integer.MAX_VALUE;
        for (final ConfigFile.Setting setting : supplied.values())
        {
            final int index = quotedAt(message, setting.value());
            if (index >= 0 && index < at)
            {
                at = index;
                quoted = setting;
            }
        }
        return quoted == null ? null : config.where(quoted);
    }

    /**
     * Where a message quotes a value as a whole word (not inside a longer one), or -1; values under 3 characters
     * (such as {@code 1}, {@code 0}) are too common to tell.
     */
    private static int quotedAt(final String message, final String value)
    {
        if (value.length() < 3)
        {
            return -1;
        }
        int index = message.indexOf(value);
        while (index >= 0)
        {
            final int end = index + value.length();
            final boolean startsWord = index == 0 || !Character.isLetterOrDigit(message.charAt(index - 1));
            final boolean endsWord = end == message.length() || !Character.isLetterOrDigit(message.charAt(end));
            if (startsWord && endsWord)
            {
                return index;
            }
            index = message.indexOf(value, index + 1);
        }
        return -1;
    }

    /**
     * Marks a value as given by the file although picocli did not ask for it (an inherited option, which picocli
     * does not give defaults).
     *
     * @param option the option.
     * @return the file's settings of it, or an empty list.
     */
    public List<ConfigFile.Setting> supply(final OptionSpec option)
    {
        final List<ConfigFile.Setting> values = config == null ? List.of() : config.values(key(option));
        if (!values.isEmpty())
        {
            supplied.put(key(option), values.get(0));
        }
        return values;
    }

    /**
     * The provider of a command.
     *
     * @param command a command declaring {@code defaultValueProvider = ConfigDefaults.class}.
     * @return its provider, or null if it has another.
     */
    public static ConfigDefaults of(final CommandSpec command)
    {
        return command.defaultValueProvider() instanceof ConfigDefaults ?
            (ConfigDefaults)command.defaultValueProvider() : null;
    }

    private static String key(final OptionSpec option)
    {
        return option.longestName().substring(2);
    }
}
