package dev.feedhandler.cli.options;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code --config} file: one {@code key = value} per line, the key a flag's long name without its leading dashes
 * ({@code rate = 50k} for {@code --rate 50k}), blank lines and lines starting with {@code #} ignored, a repeatable
 * flag given once per line ({@code bind = tcp://0.0.0.0:5556} twice for two endpoints), a flag without a value as
 * {@code true} or {@code false}. The value is the rest of the line with the spaces around it removed, taken
 * literally (no quotes, no escapes, no trailing comments). Which keys a command accepts and what their values mean
 * is the command's business ({@link ConfigDefaults}); this class only reads the file, and says where a key was set.
 * Cold path.
 */
public final class ConfigFile
{
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final String name;
    private final Map<String, List<Setting>> settings;

    private ConfigFile(final String name, final Map<String, List<Setting>> settings)
    {
        this.name = name;
        this.settings = settings;
    }

    /**
     * One value of a key and the line it was on.
     *
     * @param key   the key, a flag name without its dashes.
     * @param value the value, as written.
     * @param line  the line number, from 1.
     */
    public record Setting(String key, String value, int line)
    {
    }

    /**
     * Reads and parses a file.
     *
     * @param file the file, as the user named it (messages repeat that name).
     * @return the settings.
     * @throws IllegalArgumentException with a one-line message naming the file (and the line) if it cannot be read
     *                                  or a line is not {@code key = value}.
     */
    public static ConfigFile read(final Path file)
    {
        if (!Files.exists(file))
        {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        }
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("--config " + file + ": not a regular file");
        }
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("--config " + file + ": not UTF-8 text");
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--config " + file + ": cannot be read: " + ex.getMessage());
        }
        return parse(file.toString(), lines);
    }

    /**
     * Parses lines (tests, and {@link #read}).
     *
     * @param name  the file's name for messages.
     * @param lines its lines.
     * @return the settings.
     * @throws IllegalArgumentException with a one-line message naming the file and the line.
     */
    public static ConfigFile parse(final String name, final List<String> lines)
    {
        final Map<String, List<Setting>> settings = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final int number = i + 1;
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final int equals = line.indexOf('=');
            if (equals < 0)
            {
                throw new IllegalArgumentException(name + ":" + number + ": expected 'key = value', found '" +
                    printable(abbreviate(line)) + "'");
            }
            final String key = line.substring(0, equals).strip();
            final String value = line.substring(equals + 1).strip();
            if (key.startsWith("-"))
            {
                final String bare = key.replaceFirst("^-+", "");
                throw new IllegalArgumentException(name + ":" + number + ": key '" + printable(key) +
                    "': write the flag without its dashes ('" + printable(bare) + " = ...')");
            }
            if (!KEY.matcher(key).matches())
            {
                throw new IllegalArgumentException(name + ":" + number + ": key '" +
                    printable(abbreviate(key)) + "' is not a flag name (lower-case letters, digits and '-')");
            }
            if (value.isEmpty())
            {
                throw new IllegalArgumentException(name + ":" + number + ": key '" + key + "' has no value");
            }
            settings.computeIfAbsent(key, k -> new ArrayList<>()).add(new Setting(key, value, number));
        }
        settings.replaceAll((key, values) -> List.copyOf(values));
        return new ConfigFile(name, Collections.unmodifiableMap(settings));
    }

    private static String printable(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static String abbreviate(final String text)
    {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /**
     * The file's name as the user gave it.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Every key with its values, in file order.
     *
     * @return key to values (each with its line).
     */
    public Map<String, List<Setting>> settings()
    {
        return settings;
    }

    /**
     * The values of a key.
     *
     * @param key a flag name without its dashes.
     * @return the values, in file order, or an empty list.
     */
    public List<Setting> values(final String key)
    {
        return settings.getOrDefault(key, List.of());
    }

    /**
     * Where a setting is, for messages: {@code FILE:LINE: key 'KEY'}.
     *
     * @param setting a setting of this file.
     * @return the location.
     */
    public String where(final Setting setting)
    {
        return name + ":" + setting.line() + ": key '" + setting.key() + "'";
    }
}
