package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;

import java.time.ZoneId;
import java.util.Locale;

/**
 * ISO-8601 ({@code 2024-01-02T00:00:00.123456789Z}, with {@code Z}, an offset, or neither) or an epoch number
 * with an optional fraction ({@code 1704153600123456789}, {@code 1704153600.123} in seconds).
 */
final class IsoOrEpochTimestampParser extends TimestampParser
{
    private final LocalZone localZone;
    private final EpochUnit unit;
    private final long maxUnits;

    IsoOrEpochTimestampParser(final ZoneId zone, final EpochUnit unit)
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
