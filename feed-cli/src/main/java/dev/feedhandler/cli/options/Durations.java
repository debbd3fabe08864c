package dev.feedhandler.cli.options;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations on the command line: {@code 250us}, {@code 10ms}, {@code 5s}, {@code 2m}, {@code 1h}, decimals allowed
 * ({@code 0.5ms}); a bare number is seconds. Agrona's {@code SystemUtil.parseDuration} is not used: it reads a bare
 * number as nanoseconds and knows neither minutes, hours nor decimals, all of which the README documents.
 */
public final class Durations implements CommandLine.ITypeConverter<Duration>
{
    /**
     * {@inheritDoc}
     */
    @Override
    public Duration convert(final String value)
    {
        return parse(value);
    }

    /**
     * Parses a duration.
     *
     * @param value such as {@code 10s}.
     * @return the duration.
     * @throws CommandLine.TypeConversionException with a one-line message if the text is not a duration.
     */
    public static Duration parse(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < text.length() && (Character.isDigit(text.charAt(split)) || text.charAt(split) == '.'))
        {
            split++;
        }
        if (split == 0)
        {
            throw invalid(value);
        }
        final double amount;
        try
        {
            amount = Double.parseDouble(text.substring(0, split));
        }
        catch (final NumberFormatException ex)
        {
            throw invalid(value);
        }
        final double nanosPerUnit;
        switch (text.substring(split))
        {
            case "ns":
                nanosPerUnit = 1;
                break;
            case "us":
                nanosPerUnit = 1e3;
                break;
            case "ms":
                nanosPerUnit = 1e6;
                break;
            case "":
            case "s":
                nanosPerUnit = 1e9;
                break;
            case "m":
                nanosPerUnit = 60e9;
                break;
            case "h":
                nanosPerUnit = 3600e9;
                break;
            default:
                throw invalid(value);
        }
        return Duration.ofNanos(Math.round(amount * nanosPerUnit));
    }

    /**
     * Writes a duration the way {@link #parse} reads it, in the largest unit that divides it.
     *
     * @param duration a duration, not negative.
     * @return such as {@code 1s}, {@code 500ms}, {@code 100us} or {@code 0s}.
     */
    public static String format(final Duration duration)
    {
        final long nanos = duration.toNanos();
        if (nanos == 0)
        {
            return "0s";
        }
        final long[] nanosPerUnit = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        final String[] units = {"h", "m", "s", "ms", "us"};
        for (int i = 0; i < units.length; i++)
        {
            if (nanos % nanosPerUnit[i] == 0)
            {
                return nanos / nanosPerUnit[i] + units[i];
            }
        }
        return nanos + "ns";
    }

    private static CommandLine.TypeConversionException invalid(final String value)
    {
        return new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (examples: 250us, 10ms, 5s, 2m, 1h)");
    }
}
