package dev.feedhandler.cli.options;

import org.agrona.SystemUtil;
import picocli.CommandLine;


/**
 * Byte sizes on the command line: {@code 65536}, {@code 64k}, {@code 16m}, {@code 1g} (binary multiples, either case),
 * read by Agrona's {@link SystemUtil#parseSize}; from 1 byte to 4 GiB.
 */
public final class ByteSizes implements CommandLine.ITypeConverter<Long>
{
    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long MAX_BYTES = 4 * GIB;

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
        final String text = value.trim();
        try
        {
            final long bytes = text.isEmpty() ? 0 : SystemUtil.parseSize("size", text);
            if (bytes <= 0 || bytes > MAX_BYTES)
            {
                throw new NumberFormatException();
            }
            return bytes;
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a size in bytes (examples: 65536, 64k, 16m, 1g)");
        }
    }

    /**
     * Writes a size the way {@link #parse} reads it, in the largest unit that divides it.
     *
     * @param bytes a positive size.
     * @return such as {@code 16m}, {@code 64k} or {@code 1000}.
     */
    public static String format(final long bytes)
    {
        if (bytes % GIB == 0)
        {
            return bytes / GIB + "g";
        }
        if (bytes % MIB == 0)
        {
            return bytes / MIB + "m";
        }
        return bytes % KIB == 0 ? bytes / KIB + "k" : Long.toString(bytes);
    }
}
