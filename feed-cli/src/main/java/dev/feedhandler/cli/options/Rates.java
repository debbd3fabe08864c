package dev.feedhandler.cli.options;

import picocli.CommandLine;

import java.util.Locale;

/**
 * Rates and counts on the command line: {@code 50000}, {@code 50k}, {@code 2.5M}, or {@code max} (read as
 * {@link #MAX}).
 */
public final class Rates implements CommandLine.ITypeConverter<Long>
{
    /** The value of {@code max}: as fast as possible. */
    public static final long MAX = Long.MAX_VALUE;

    /**
     * {@inheritDoc}
     */
    @Override
    public Long convert(final String value)
    {
        return parse(value);
    }

    /**
     * Parses a rate.
     *
     * @param value such as {@code 100k} or {@code max}.
     * @return the rate, {@link #MAX} for {@code max}.
     * @throws CommandLine.TypeConversionException with a one-line message if the text is not a rate.
     */
    public static long parse(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        if ("max".equals(text))
        {
            return MAX;
        }
        double multiplier = 1;
        String digits = text;
        if (text.endsWith("k"))
        {
            multiplier = 1e3;
            digits = text.substring(0, text.length() - 1);
        }
        else if (text.endsWith("m"))
        {
            multiplier = 1e6;
            digits = text.substring(0, text.length() - 1);
        }
        try
        {
            final double amount = Double.parseDouble(digits) * multiplier;
            if (amount <= 0 || amount >= 1e15 || Double.isNaN(amount) || Math.round(amount) < 1)
            {
                throw new NumberFormatException();
            }
            return Math.round(amount);
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a positive rate (examples: 50000, 100k, 2.5M, max)");
        }
    }
}
