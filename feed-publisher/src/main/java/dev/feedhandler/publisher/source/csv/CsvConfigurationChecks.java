package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.ReplaySpeed;

import java.nio.file.FileSystems;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.feedhandler.publisher.source.csv.CsvConfiguration.DEFAULT_ZIP_ENTRIES;
import static dev.feedhandler.publisher.source.csv.CsvConfiguration.MAX_SIZE_SCALE;
import static dev.feedhandler.publisher.source.csv.CsvConfiguration.MIN_BUFFER_BYTES;
import static dev.feedhandler.publisher.source.csv.CsvConfiguration.STDIN;

/**
 * The checks {@link CsvConfiguration} makes of its settings at start-up, one concern each, in the order it makes
 * them: a setting at fault is an {@link IllegalArgumentException} whose one-line message names its flag.
 */
final class CsvConfigurationChecks
{
    private CsvConfigurationChecks()
    {
    }

    /**
     * {@code --file}: at least one input, standard input at most once.
     *
     * @return an unmodifiable copy.
     */
    static List<String> files(final List<String> files)
    {
        if (files == null || files.isEmpty())
        {
            throw new IllegalArgumentException("--file is required with --source csv");
        }
        final List<String> copy = List.copyOf(files);
        if (copy.stream().filter(STDIN::equals).count() > 1)
        {
            throw new IllegalArgumentException("--file - (standard input) is given more than once");
        }
        return copy;
    }

    /**
     * {@code --symbol} or {@code --symbol-from-name}, not both; a symbol that is not blank, a regular expression.
     */
    static void symbol(final String symbol, final String symbolFromName)
    {
        if (symbol != null && symbolFromName != null)
        {
            throw new IllegalArgumentException("--symbol and --symbol-from-name cannot be used together");
        }
        if (symbol != null && symbol.isBlank())
        {
            throw new IllegalArgumentException("--symbol is empty");
        }
        if (symbolFromName != null)
        {
            try
            {
                Pattern.compile(symbolFromName);
            }
            catch (final PatternSyntaxException ex)
            {
                throw new IllegalArgumentException("--symbol-from-name '" + Texts.printable(symbolFromName) +
                    "' is not a regular expression: " + ex.getDescription());
            }
        }
    }

    /**
     * {@code --zip-entries}: a glob pattern.
     *
     * @return the pattern, {@link CsvConfiguration#DEFAULT_ZIP_ENTRIES} when none is given.
     */
    static String zipEntries(final String zipEntries)
    {
        final String glob = zipEntries == null || zipEntries.isEmpty() ? DEFAULT_ZIP_ENTRIES : zipEntries;
        try
        {
            FileSystems.getDefault().getPathMatcher("glob:" + glob);
        }
        catch (final PatternSyntaxException ex)
        {
            throw new IllegalArgumentException("--zip-entries '" + Texts.printable(glob) +
                "' is not a glob pattern: " + ex.getDescription());
        }
        return glob;
    }

    /**
     * {@code --columns} and {@code --header-line}, which needs it.
     *
     * @return the columns, null for none (an empty list is none).
     */
    static List<String> columns(final List<String> columns, final boolean headerLine)
    {
        final List<String> given = columns != null && columns.isEmpty() ? null : columns;
        if (headerLine && given == null)
        {
            throw new IllegalArgumentException("--header-line needs --columns (without --columns the first line " +
                "is always read as the header)");
        }
        return given;
    }

    /**
     * {@code --delimiter}: a byte that cannot start or belong to a number, a quote or a line end.
     */
    static void delimiter(final byte delimiter)
    {
        if (delimiter <= 0 || delimiter == '"' || delimiter == '\r' || delimiter == '\n' ||
            (delimiter >= '0' && delimiter <= '9') || delimiter == '.' || delimiter == '-')
        {
            throw new IllegalArgumentException("--delimiter cannot be '" + (char)delimiter + "'");
        }
    }

    /**
     * {@code --size-scale}: a power of ten from 1 to {@link CsvConfiguration#MAX_SIZE_SCALE}.
     */
    static void sizeScale(final long sizeScale)
    {
        if (!isPowerOfTen(sizeScale))
        {
            throw new IllegalArgumentException("--size-scale must be a power of ten from 1 to 10^18 (1, 10, 100, " +
                "..., 1000000), was " + sizeScale);
        }
    }

    /**
     * {@code --speed}, {@code --count} and the read buffer.
     */
    static void replay(final double speed, final long maxUpdates, final int bufferBytes)
    {
        if (speed != CsvConfiguration.MAX_SPEED && !ReplaySpeed.isValid(speed))
        {
            throw new IllegalArgumentException("--speed must be a positive number of at least " +
                ReplaySpeed.MIN_SPEED_TEXT + " or max, was " + speed);
        }
        if (maxUpdates < 0)
        {
            throw new IllegalArgumentException("--count must not be negative, was " + maxUpdates);
        }
        if (bufferBytes < MIN_BUFFER_BYTES)
        {
            throw new IllegalArgumentException("read buffer must be at least " + MIN_BUFFER_BYTES + " bytes");
        }
    }

    private static boolean isPowerOfTen(final long value)
    {
        long power = 1;
        while (power < value && power <= MAX_SIZE_SCALE / 10)
        {
            power *= 10;
        }
        return value == power;
    }
}
