package dev.feedhandler.cli.options;

import picocli.CommandLine;

import java.util.Locale;

/**
 * Byte sizes on the command line: {@code 65536}, {@code 64k}, {@code 16m}, {@code 1g} (binary multiples).
 */
public final class ByteSizes implements CommandLine.ITypeConverter<Long>
{
    /**
     * {@inheritDoc}
     */
    @Override
    public Long convert(final String value)
    {
        return parse(value);
    }

    /**
     * Parses a size.
     *
     * @param value such as {@code 16m}.
     * @return bytes.
     * @throws CommandLine.TypeConversionException with a one-line message if it is not a size.
     */
    public static long parse(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String digits = text;
        if (!text.isEmpty())
        {
            switch (text.charAt(text.length() - 1))
            {
                case 'k':
                    multiplier = 1L << 10;
                    break;
                case 'm':
                    multiplier = 1L << 20;
                    break;
                case 'g':
                    multiplier = 1L << 30;
                    break;
                default:
                    break;
            }
            if (multiplier > 1)
            {
                digits = text.substring(0, text.length() - 1);
            }
        }
        try
        {
            final long amount = Long.parseLong(digits);
            if (amount <= 0 || amount > (4L << 30) / multiplier)
            {
                throw new NumberFormatException();
            }
            return amount * multiplier;
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a size in bytes (examples: 65536, 64k, 16m, 1g)");
        }
    }
}
