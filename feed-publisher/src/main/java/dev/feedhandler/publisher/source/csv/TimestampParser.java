package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
            return new IsoOrEpochTimestampParser(zone, epochUnit);
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
        final FixedPatternTimestampParser fixed = FixedPatternTimestampParser.compile(pattern, zone);
        return fixed != null ? fixed : new FormatterTimestampParser(pattern, formatter.withZone(zone));
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
}
