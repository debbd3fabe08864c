package dev.feedhandler.publisher.source.csv;

/**
 * Reads the whole-number columns of a tick line from its bytes: sizes, decimals multiplied by the size scale (a
 * power of ten) exactly, so that digits beyond the scale must be zeros; and integers such as trade ids. Nothing is
 * allocated on valid input; a malformed field throws a {@link BadLineException} that names its column.
 */
final class SizeParser
{
    private static final long MAX_SIZE_TENTH = Long.MAX_VALUE / 10;

    private final ColumnLayout layout;
    private final long sizeScale;
    private final int sizeScaleDigits;

    /**
     * A parser for one input.
     *
     * @param layout    names the columns in messages.
     * @param sizeScale sizes are multiplied by this power of ten.
     */
    SizeParser(final ColumnLayout layout, final long sizeScale)
    {
        this.layout = layout;
        this.sizeScale = sizeScale;
        this.sizeScaleDigits = Long.toString(sizeScale).length() - 1;
    }

    /**
     * A size: a decimal number times the size scale, exact; empty for 0. With scale 1 a size is a whole number that
     * may carry an all-zero fraction ({@code 100.00}).
     */
    long size(final byte[] bytes, final Column column, final int start, final int end)
    {
        if (start == end)
        {
            return 0;
        }
        long whole = 0;
        int i = start;
        while (i < end)
        {
            final int d = bytes[i] - '0';
            if (d < 0 || d > 9)
            {
                break;
            }
            if (whole > MAX_SIZE_TENTH || (whole == MAX_SIZE_TENTH && d > 7))
            {
                throw sizeError(bytes, column, start, end, "is out of range");
            }
            whole = whole * 10 + d;
            i++;
        }
        boolean digits = i > start;
        long fraction = 0;
        int fractionDigits = 0;
        if (i < end && bytes[i] == '.')
        {
            i++;
            while (i < end)
            {
                final int d = bytes[i] - '0';
                if (d < 0 || d > 9)
                {
                    break;
                }
                digits = true;
                if (fractionDigits < sizeScaleDigits)
                {
                    fraction = fraction * 10 + d;
                    fractionDigits++;
                }
                else if (d != 0)
                {
                    throw sizeError(bytes, column, start, end, sizeScale == 1 ? "is not a whole number" :
                        "has more than " + sizeScaleDigits + " decimal places (--size-scale " + sizeScale + ")");
                }
                i++;
            }
        }
        if (!digits || i != end)
        {
            throw sizeError(bytes, column, start, end, sizeScale == 1 ? "is not a whole number" :
                "is not a decimal number");
        }
        for (int k = fractionDigits; k < sizeScaleDigits; k++)
        {
            fraction *= 10;
        }
        if (whole > (Long.MAX_VALUE - fraction) / sizeScale)
        {
            throw sizeError(bytes, column, start, end, "is out of range");
        }
        return whole * sizeScale + fraction;
    }

    private BadLineException sizeError(
        final byte[] bytes, final Column column, final int start, final int end, final String reason)
    {
        return new BadLineException(layout.label(column) + " '" + Texts.printable(bytes, start, end) + "' " + reason);
    }

    /**
     * A whole number without sign or fraction that fits a long, such as a trade id.
     */
    long integer(final byte[] bytes, final Column column, final int start, final int end)
    {
        long value = 0;
        int i = start;
        while (i < end)
        {
            final int d = bytes[i] - '0';
            if (d < 0 || d > 9)
            {
                break;
            }
            if (value > MAX_SIZE_TENTH || (value == MAX_SIZE_TENTH && d > 7))
            {
                throw new BadLineException(layout.label(column) + " '" + Texts.printable(bytes, start, end) +
                    "' is out of range");
            }
            value = value * 10 + d;
            i++;
        }
        if (i == start || i != end)
        {
            throw new BadLineException(layout.label(column) + " '" + Texts.printable(bytes, start, end) +
                "' is not a whole number");
        }
        return value;
    }
}
