package dev.feedhandler.publisher.source.csv;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A pattern of fixed- or 1-to-2-digit numeric fields and literals: {@code yyyy uuuu yy MM M dd d HH H mm m
 * ss s S...S} (1 to 9 fraction digits, exactly as many as letters), literal characters and quoted text.
 */
final class FixedPatternTimestampParser extends TimestampParser
{
    private static final int LITERAL = 0;
    private static final int YEAR = 1;
    private static final int YEAR2 = 2;
    private static final int MONTH = 3;
    private static final int DAY = 4;
    private static final int HOUR = 5;
    private static final int MINUTE = 6;
    private static final int SECOND = 7;
    private static final int FRACTION = 8;

    private final String pattern;
    private final LocalZone localZone;
    private final int[] kinds;
    private final int[] minWidths;
    private final int[] maxWidths;
    private final byte[] literals;

    private FixedPatternTimestampParser(final String pattern, final ZoneId zone, final List<int[]> tokens)
    {
        this.pattern = pattern;
        this.localZone = new LocalZone(zone);
        final int n = tokens.size();
        kinds = new int[n];
        minWidths = new int[n];
        maxWidths = new int[n];
        literals = new byte[n];
        for (int i = 0; i < n; i++)
        {
            final int[] token = tokens.get(i);
            kinds[i] = token[0];
            minWidths[i] = token[1];
            maxWidths[i] = token[2];
            literals[i] = (byte)token[3];
        }
    }

    /**
     * Compiles a pattern if this parser supports it.
     *
     * @param pattern a valid java.time pattern.
     * @param zone    zone of the times.
     * @return the parser, or null if the pattern needs {@link DateTimeFormatter}.
     * @throws IllegalArgumentException if the pattern has no year, month or day.
     */
    static FixedPatternTimestampParser compile(final String pattern, final ZoneId zone)
    {
        final List<int[]> tokens = new ArrayList<>();
        int seen = 0;
        int i = 0;
        while (i < pattern.length())
        {
            final char c = pattern.charAt(i);
            if (c == '\'')
            {
                final int close = pattern.indexOf('\'', i + 1);
                if (close < 0 || (close > i + 1 && close + 1 < pattern.length() &&
                    pattern.charAt(close + 1) == '\''))
                {
                    // Unterminated, or a quote inside quoted text: leave it to java.time.
                    return null;
                }
                if (close == i + 1)
                {
                    tokens.add(new int[]{LITERAL, 1, 1, '\''});
                }
                for (int k = i + 1; k < close; k++)
                {
                    if (pattern.charAt(k) > '~')
                    {
                        return null;
                    }
                    tokens.add(new int[]{LITERAL, 1, 1, pattern.charAt(k)});
                }
                i = close + 1;
                continue;
            }
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            {
                int count = 1;
                while (i + count < pattern.length() && pattern.charAt(i + count) == c)
                {
                    count++;
                }
                final int[] token = numeric(c, count);
                if (token == null || (seen & (1 << token[0])) != 0)
                {
                    return null;
                }
                seen |= 1 << token[0];
                tokens.add(token);
                i += count;
                continue;
            }
            if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#' || c > '~')
            {
                return null;
            }
            tokens.add(new int[]{LITERAL, 1, 1, c});
            i++;
        }
        for (int k = 0; k + 1 < tokens.size(); k++)
        {
            // A field of 1 or 2 digits right before another number is ambiguous: leave it to java.time.
            if (tokens.get(k)[0] != LITERAL && tokens.get(k)[1] != tokens.get(k)[2] &&
                tokens.get(k + 1)[0] != LITERAL)
            {
                return null;
            }
        }
        final boolean hasYear = (seen & ((1 << YEAR) | (1 << YEAR2))) != 0;
        if (!hasYear || (seen & (1 << MONTH)) == 0 || (seen & (1 << DAY)) == 0)
        {
            throw new IllegalArgumentException("--time-pattern '" + Texts.printable(pattern) +
                "' has no date: it needs a year (yyyy), a month (MM) and a day (dd)");
        }
        if ((seen & (1 << YEAR)) != 0 && (seen & (1 << YEAR2)) != 0)
        {
            return null;
        }
        return new FixedPatternTimestampParser(pattern, zone, tokens);
    }

    private static int[] numeric(final char letter, final int count)
    {
        switch (letter)
        {
            case 'y':
            case 'u':
                return count == 4 ? new int[]{YEAR, 4, 4, 0} : count == 2 ? new int[]{YEAR2, 2, 2, 0} : null;
            case 'M':
                return count <= 2 ? new int[]{MONTH, count, 2, 0} : null;
            case 'd':
                return count <= 2 ? new int[]{DAY, count, 2, 0} : null;
            case 'H':
                return count <= 2 ? new int[]{HOUR, count, 2, 0} : null;
            case 'm':
                return count <= 2 ? new int[]{MINUTE, count, 2, 0} : null;
            case 's':
                return count <= 2 ? new int[]{SECOND, count, 2, 0} : null;
            case 'S':
                return count <= 9 ? new int[]{FRACTION, count, count, 0} : null;
            default:
                return null;
        }
    }

    @Override
    long parse(final byte[] bytes, final int start, final int end)
    {
        int year = 0;
        int month = 0;
        int day = 0;
        int hour = 0;
        int minute = 0;
        int second = 0;
        long nano = 0;
        int i = start;
        final int[] kinds = this.kinds;
        for (int t = 0; t < kinds.length; t++)
        {
            final int kind = kinds[t];
            if (kind == LITERAL)
            {
                if (i >= end || bytes[i] != literals[t])
                {
                    return MALFORMED;
                }
                i++;
                continue;
            }
            final int max = Math.min(i + maxWidths[t], end);
            int value = 0;
            int j = i;
            while (j < max && isDigit(bytes[j]))
            {
                value = value * 10 + digit(bytes[j]);
                j++;
            }
            if (j - i < minWidths[t])
            {
                return MALFORMED;
            }
            switch (kind)
            {
                case YEAR:
                    year = value;
                    break;
                case YEAR2:
                    year = 2000 + value;
                    break;
                case MONTH:
                    month = value;
                    break;
                case DAY:
                    day = value;
                    break;
                case HOUR:
                    hour = value;
                    break;
                case MINUTE:
                    minute = value;
                    break;
                case SECOND:
                    second = value;
                    break;
                default:
                    nano = value;
                    for (int k = j - i; k < 9; k++)
                    {
                        nano *= 10;
                    }
                    break;
            }
            i = j;
        }
        if (i != end)
        {
            return MALFORMED;
        }
        return toEpochNanos(localZone, year, month, day, hour, minute, second, nano, false, 0);
    }

    @Override
    String expectation()
    {
        return "does not match --time-pattern '" + Texts.printable(pattern) + "'";
    }
}
