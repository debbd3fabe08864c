package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the timestamp column into epoch nanoseconds, straight from the line's bytes. Without a pattern a timestamp
 * is ISO-8601 or a number of epoch units; with a pattern made of {@code y u M d H m s S} and literals it is read
 * by a fixed-width parser; any other pattern goes to {@link DateTimeFormatter}, the one path that allocates per
 * line. Times without an offset are read in the configured zone.
 */
abstract class TimestampParser
{
    /** Result: the text does not have the expected form. */
    static final long MALFORMED = -1;

    /** Result: the form is right but the date or time does not exist (month 13, February 30, 24:00). */
    static final long INVALID = -2;

    /** Result: the time is before 1970 or after 2262 (epoch nanoseconds must fit a positive long). */
    static final long OUT_OF_RANGE = -3;

    /**
     * Creates the parser the settings call for.
     *
     * @param pattern   java.time pattern, or null for ISO-8601 or epoch numbers.
     * @param zone      zone of times without an offset.
     * @param epochUnit unit of epoch numbers.
     * @return the parser.
     * @throws IllegalArgumentException if the pattern is invalid or has no date.
     */
    static TimestampParser create(final String pattern, final ZoneId zone, final EpochUnit epochUnit)
    {
        if (pattern == null)
        {
            return new IsoOrEpoch(zone, epochUnit);
        }
        final DateTimeFormatter formatter;
        try
        {
            formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--time-pattern '" + Texts.printable(pattern) +
                "' is not a java.time pattern: " + ex.getMessage());
        }
        final FixedPattern fixed = FixedPattern.compile(pattern, zone);
        return fixed != null ? fixed : new Formatted(pattern, formatter.withZone(zone));
    }

    /**
     * Parses a timestamp.
     *
     * @param bytes the line's buffer.
     * @param start first index of the field.
     * @param end   index after the field.
     * @return epoch nanoseconds, or {@link #MALFORMED}, {@link #INVALID} or {@link #OUT_OF_RANGE}.
     */
    abstract long parse(byte[] bytes, int start, int end);

    /**
     * What a malformed timestamp should have looked like, for messages.
     *
     * @return such as {@code does not match --time-pattern 'yyyyMMdd HH:mm:ss.SSS'}.
     */
    abstract String expectation();

    /**
     * Whether this parser allocates per line.
     *
     * @return true for the java.time fallback.
     */
    boolean allocates()
    {
        return false;
    }

    static int digit(final byte b)
    {
        return b - '0';
    }

    static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    /**
     * Reads exactly {@code count} digits.
     *
     * @return the value, or -1 if they are not all digits or run past the end.
     */
    static int digits(final byte[] bytes, final int at, final int count, final int end)
    {
        if (at + count > end)
        {
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + count; i++)
        {
            final int d = bytes[i] - '0';
            if (d < 0 || d > 9)
            {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    static long toEpochNanos(
        final LocalZone localZone,
        final int year,
        final int month,
        final int day,
        final int hour,
        final int minute,
        final int second,
        final long nanoOfSecond,
        final boolean hasOffset,
        final int offsetSeconds)
    {
        if (!CivilTime.isValid(year, month, day, hour, minute, second))
        {
            return INVALID;
        }
        final long local = CivilTime.epochSecond(year, month, day, hour, minute, second);
        final long epochSecond = hasOffset ? local - offsetSeconds : localZone.toEpochSecond(local);
        final long nanos = CivilTime.epochNanos(epochSecond, nanoOfSecond);
        return nanos < 0 ? OUT_OF_RANGE : nanos;
    }

    /**
     * ISO-8601 ({@code 2024-01-02T00:00:00.123456789Z}, with {@code Z}, an offset, or neither) or an epoch number
     * with an optional fraction ({@code 1704153600123456789}, {@code 1704153600.123} in seconds).
     */
    static final class IsoOrEpoch extends TimestampParser
    {
        private final LocalZone localZone;
        private final EpochUnit unit;
        private final long maxUnits;

        IsoOrEpoch(final ZoneId zone, final EpochUnit unit)
        {
            this.localZone = new LocalZone(zone);
            this.unit = unit;
            this.maxUnits = Long.MAX_VALUE / unit.nanos();
        }

        @Override
        long parse(final byte[] bytes, final int start, final int end)
        {
            if (end - start >= 5 && bytes[start + 4] == '-')
            {
                return iso(bytes, start, end);
            }
            return epoch(bytes, start, end);
        }

        private long epoch(final byte[] bytes, final int start, final int end)
        {
            int i = start;
            long units = 0;
            while (i < end && isDigit(bytes[i]))
            {
                // Keep units * nanos + fraction within a long: units stays below maxUnits.
                if (units > (maxUnits - 1 - digit(bytes[i])) / 10)
                {
                    return OUT_OF_RANGE;
                }
                units = units * 10 + digit(bytes[i]);
                i++;
            }
            if (i == start)
            {
                return MALFORMED;
            }
            long fraction = 0;
            final int maxDigits = unit.fractionDigits();
            int fractionDigits = 0;
            if (i < end)
            {
                if (bytes[i] != '.')
                {
                    return MALFORMED;
                }
                i++;
                if (i == end)
                {
                    return MALFORMED;
                }
                while (i < end)
                {
                    if (!isDigit(bytes[i]))
                    {
                        return MALFORMED;
                    }
                    if (fractionDigits < maxDigits)
                    {
                        fraction = fraction * 10 + digit(bytes[i]);
                        fractionDigits++;
                    }
                    else if (bytes[i] != '0')
                    {
                        // Finer than a nanosecond.
                        return MALFORMED;
                    }
                    i++;
                }
            }
            for (int k = fractionDigits; k < maxDigits; k++)
            {
                fraction *= 10;
            }
            return units * unit.nanos() + fraction;
        }

        private long iso(final byte[] bytes, final int start, final int end)
        {
            // yyyy-MM-ddTHH:mm at least.
            if (end - start < 16 || bytes[start + 7] != '-' || bytes[start + 13] != ':')
            {
                return MALFORMED;
            }
            final byte t = bytes[start + 10];
            if (t != 'T' && t != 't' && t != ' ')
            {
                return MALFORMED;
            }
            final int year = digits(bytes, start, 4, end);
            final int month = digits(bytes, start + 5, 2, end);
            final int day = digits(bytes, start + 8, 2, end);
            final int hour = digits(bytes, start + 11, 2, end);
            final int minute = digits(bytes, start + 14, 2, end);
            if ((year | month | day | hour | minute) < 0)
            {
                return MALFORMED;
            }
            int i = start + 16;
            int second = 0;
            long nano = 0;
            if (i < end && bytes[i] == ':')
            {
                second = digits(bytes, i + 1, 2, end);
                if (second < 0)
                {
                    return MALFORMED;
                }
                i += 3;
                if (i < end && (bytes[i] == '.' || bytes[i] == ','))
                {
                    i++;
                    int count = 0;
                    while (i < end && isDigit(bytes[i]))
                    {
                        if (count == 9)
                        {
                            return MALFORMED;
                        }
                        nano = nano * 10 + digit(bytes[i]);
                        count++;
                        i++;
                    }
                    if (count == 0)
                    {
                        return MALFORMED;
                    }
                    for (int k = count; k < 9; k++)
                    {
                        nano *= 10;
                    }
                }
            }
            boolean hasOffset = false;
            int offsetSeconds = 0;
            if (i < end)
            {
                final byte z = bytes[i];
                if ((z == 'Z' || z == 'z') && i + 1 == end)
                {
                    hasOffset = true;
                }
                else if (z == '+' || z == '-')
                {
                    offsetSeconds = offset(bytes, i + 1, end);
                    if (offsetSeconds < 0)
                    {
                        return MALFORMED;
                    }
                    if (z == '-')
                    {
                        offsetSeconds = -offsetSeconds;
                    }
                    hasOffset = true;
                }
                else
                {
                    return MALFORMED;
                }
            }
            return toEpochNanos(localZone, year, month, day, hour, minute, second, nano, hasOffset, offsetSeconds);
        }

        /** {@code HH}, {@code HHmm} or {@code HH:mm} to the end: seconds, or -1. */
        private static int offset(final byte[] bytes, final int at, final int end)
        {
            final int hours = digits(bytes, at, 2, end);
            int minutes = 0;
            switch (end - at)
            {
                case 2:
                    break;
                case 4:
                    minutes = digits(bytes, at + 2, 2, end);
                    break;
                case 5:
                    minutes = bytes[at + 2] == ':' ? digits(bytes, at + 3, 2, end) : -1;
                    break;
                default:
                    return -1;
            }
            if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59)
            {
                return -1;
            }
            return hours * 3600 + minutes * 60;
        }

        @Override
        String expectation()
        {
            return "is not ISO-8601 (such as 2024-01-02T00:00:00.123Z) or a number of epoch " +
                unit.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A pattern of fixed- or 1-to-2-digit numeric fields and literals: {@code yyyy uuuu yy MM M dd d HH H mm m
     * ss s S...S} (1 to 9 fraction digits, exactly as many as letters), literal characters and quoted text.
     */
    static final class FixedPattern extends TimestampParser
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

        private FixedPattern(final String pattern, final ZoneId zone, final List<int[]> tokens)
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
        static FixedPattern compile(final String pattern, final ZoneId zone)
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
            return new FixedPattern(pattern, zone, tokens);
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

    /**
     * Any other java.time pattern, through {@link DateTimeFormatter}: allocates a String and parse objects per
     * line.
     */
    static final class Formatted extends TimestampParser
    {
        private final String pattern;
        private final DateTimeFormatter formatter;

        Formatted(final String pattern, final DateTimeFormatter formatter)
        {
            this.pattern = pattern;
            this.formatter = formatter;
        }

        @Override
        long parse(final byte[] bytes, final int start, final int end)
        {
            final Instant instant;
            try
            {
                instant = Instant.from(formatter.parse(new String(bytes, start, end - start,
                    StandardCharsets.US_ASCII)));
            }
            catch (final DateTimeException ex)
            {
                return MALFORMED;
            }
            final long nanos = CivilTime.epochNanos(instant.getEpochSecond(), instant.getNano());
            return nanos < 0 ? OUT_OF_RANGE : nanos;
        }

        @Override
        String expectation()
        {
            return "does not match --time-pattern '" + Texts.printable(pattern) + "'";
        }

        @Override
        boolean allocates()
        {
            return true;
        }
    }
}
