package dev.feedhandler.publisher.source.csv;

/**
 * Proleptic Gregorian calendar arithmetic on primitives, so that parsing a date and time allocates nothing
 * (java.time builds objects for each). The day count is Howard Hinnant's {@code days_from_civil}.
 */
final class CivilTime
{
    /** Nanoseconds in a second. */
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Seconds in a day. */
    static final long SECONDS_PER_DAY = 86_400L;

    /** The latest epoch second whose nanoseconds still fit in a long (2262-04-11). */
    static final long MAX_EPOCH_SECOND = Long.MAX_VALUE / NANOS_PER_SECOND - 1;

    private CivilTime()
    {
    }

    /**
     * Days from 1970-01-01 to a date.
     *
     * @param year  the year.
     * @param month 1 to 12.
     * @param day   1 to 31.
     * @return the day number, negative before 1970.
     */
    static long epochDay(final int year, final int month, final int day)
    {
        final int y = month <= 2 ? year - 1 : year;
        final int era = (y >= 0 ? y : y - 399) / 400;
        final int yearOfEra = y - era * 400;
        final int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        final int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    /**
     * Whether a year is a leap year.
     *
     * @param year the year.
     * @return true if February has 29 days.
     */
    static boolean isLeapYear(final int year)
    {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /**
     * Days in a month.
     *
     * @param year  the year.
     * @param month 1 to 12.
     * @return 28 to 31.
     */
    static int daysInMonth(final int year, final int month)
    {
        switch (month)
        {
            case 2:
                return isLeapYear(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /**
     * Whether fields make a real date and time of day (no leap second, no 24:00).
     *
     * @param year   the year.
     * @param month  the month.
     * @param day    the day of the month.
     * @param hour   the hour.
     * @param minute the minute.
     * @param second the second.
     * @return true if valid.
     */
    static boolean isValid(
        final int year, final int month, final int day, final int hour, final int minute, final int second)
    {
        return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
            hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
    }

    /**
     * Seconds from 1970-01-01T00:00 to a date and time, both read on the same clock (UTC, or local).
     *
     * @param year   the year.
     * @param month  the month.
     * @param day    the day of the month.
     * @param hour   the hour.
     * @param minute the minute.
     * @param second the second.
     * @return the second number.
     */
    static long epochSecond(
        final int year, final int month, final int day, final int hour, final int minute, final int second)
    {
        return epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
    }

    /**
     * Nanoseconds since the epoch, if they fit in a long from 1970 on.
     *
     * @param epochSecond  seconds since the epoch.
     * @param nanoOfSecond 0 to 999,999,999.
     * @return the nanoseconds, or -1 if the time is before 1970 or after 2262.
     */
    static long epochNanos(final long epochSecond, final long nanoOfSecond)
    {
        if (epochSecond < 0 || epochSecond > MAX_EPOCH_SECOND)
        {
            return -1;
        }
        return epochSecond * NANOS_PER_SECOND + nanoOfSecond;
    }
}
