package dev.feedhandler.common.price;

import dev.feedhandler.common.wire.WireFormat;

/**
 * Fixed-point prices: a price is a {@code long} mantissa with the constant exponent
 * {@link WireFormat#PRICE_EXPONENT} (-9), so 1.10415 is {@code 1_104_150_000}. Parsing is exact (no
 * {@code double} on the way) and allocation-free on valid input.
 */
public final class Prices
{
    private static final int DECIMALS = -WireFormat.PRICE_EXPONENT;
    private static final long MAX_UNITS = Long.MAX_VALUE / WireFormat.PRICE_SCALE;

    private Prices()
    {
    }

    /**
     * Parses a decimal number such as {@code 1.10415}, {@code -0.5} or {@code 157} into a mantissa.
     *
     * @param text the characters.
     * @return the mantissa.
     * @throws NumberFormatException if the text is not a decimal number, has more than 9 significant decimal
     *                               places, or is out of range.
     */
    public static long parse(final CharSequence text)
    {
        return parse(text, 0, text.length());
    }

    /**
     * Parses a decimal number from part of a char sequence.
     *
     * @param text   the characters.
     * @param start  first index.
     * @param end    index after the last.
     * @return the mantissa.
     * @throws NumberFormatException if the text is not a valid price.
     */
    public static long parse(final CharSequence text, final int start, final int end)
    {
        int i = start;
        if (i == end)
        {
            throw new NumberFormatException("empty price");
        }
        boolean negative = false;
        final char first = text.charAt(i);
        if (first == '-' || first == '+')
        {
            negative = first == '-';
            i++;
        }
        long units = 0;
        int digits = 0;
        while (i < end && text.charAt(i) != '.')
        {
            final int d = text.charAt(i) - '0';
            if (d < 0 || d > 9)
            {
                throw invalid(text, start, end);
            }
            if (units > MAX_UNITS / 10)
            {
                throw new NumberFormatException("price out of range: " + text.subSequence(start, end));
            }
            units = units * 10 + d;
            digits++;
            i++;
        }
        long fraction = 0;
        int decimals = 0;
        if (i < end)
        {
            i++;
            while (i < end)
            {
                final int d = text.charAt(i) - '0';
                if (d < 0 || d > 9)
                {
                    throw invalid(text, start, end);
                }
                if (decimals == DECIMALS)
                {
                    if (d != 0)
                    {
                        throw new NumberFormatException(
                            "price has more than " + DECIMALS + " decimal places: " + text.subSequence(start, end));
                    }
                }
                else
                {
                    fraction = fraction * 10 + d;
                    decimals++;
                }
                digits++;
                i++;
            }
        }
        if (digits == 0)
        {
            throw invalid(text, start, end);
        }
        if (units > MAX_UNITS)
        {
            throw new NumberFormatException("price out of range: " + text.subSequence(start, end));
        }
        for (int k = decimals; k < DECIMALS; k++)
        {
            fraction *= 10;
        }
        if (fraction > Long.MAX_VALUE - units * WireFormat.PRICE_SCALE)
        {
            throw new NumberFormatException("price out of range: " + text.subSequence(start, end));
        }
        final long mantissa = units * WireFormat.PRICE_SCALE + fraction;
        return negative ? -mantissa : mantissa;
    }

    /**
     * Converts a mantissa to a double, for display and statistics only.
     *
     * @param mantissa the price.
     * @return its approximate value.
     */
    public static double toDouble(final long mantissa)
    {
        return (double)mantissa / WireFormat.PRICE_SCALE;
    }

    /**
     * Converts a double to the nearest mantissa (for generated prices, never for parsing input).
     *
     * @param value the price.
     * @return the mantissa.
     */
    public static long fromDouble(final double value)
    {
        return Math.round(value * WireFormat.PRICE_SCALE);
    }

    /**
     * Appends a mantissa as a decimal number without trailing zeros ({@code 1.10415}, {@code 157.0}), or an empty
     * string for {@link WireFormat#NULL_PRICE}.
     *
     * @param out      where to append.
     * @param mantissa the price.
     * @return out.
     */
    public static StringBuilder append(final StringBuilder out, final long mantissa)
    {
        if (mantissa == WireFormat.NULL_PRICE)
        {
            return out;
        }
        long value = mantissa;
        if (value < 0)
        {
            out.append('-');
            value = -value;
        }
        out.append(value / WireFormat.PRICE_SCALE).append('.');
        long fraction = value % WireFormat.PRICE_SCALE;
        int decimals = DECIMALS;
        while (decimals > 1 && fraction % 10 == 0)
        {
            fraction /= 10;
            decimals--;
        }
        final String digits = Long.toString(fraction);
        for (int k = digits.length(); k < decimals; k++)
        {
            out.append('0');
        }
        return out.append(digits);
    }

    /**
     * Formats a mantissa as {@link #append} does.
     *
     * @param mantissa the price.
     * @return the decimal text, empty for no price.
     */
    public static String toString(final long mantissa)
    {
        return append(new StringBuilder(24), mantissa).toString();
    }

    private static NumberFormatException invalid(final CharSequence text, final int start, final int end)
    {
        return new NumberFormatException("not a decimal number: '" + text.subSequence(start, end) + "'");
    }
}
