package dev.feedhandler.cli.journal;

import picocli.CommandLine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A bound of {@code --from} or {@code --to}: a journal index (a whole number, decimal or {@code 0x} hex, as
 * {@code feed journal-info} prints them) or an ISO-8601 time (with {@code Z} or an offset; a date or date-time
 * without one is UTC).
 *
 * @param isIndex whether the bound is an index.
 * @param value   the index, or the time in epoch nanoseconds.
 */
public record JournalBound(boolean isIndex, long value)
{
    /**
     * Parses bounds for picocli.
     */
    public static final class Converter implements CommandLine.ITypeConverter<JournalBound>
    {
        /**
         * {@inheritDoc}
         */
        @Override
        public JournalBound convert(final String text)
        {
            return parse(text);
        }
    }

    /**
     * Parses a bound.
     *
     * @param text an index or a time.
     * @return the bound.
     * @throws CommandLine.TypeConversionException with a one-line message if it is neither.
     */
    public static JournalBound parse(final String text)
    {
        final String value = text.trim();
        try
        {
            if (value.startsWith("0x") || value.startsWith("0X"))
            {
                return new JournalBound(true, Long.parseUnsignedLong(value.substring(2), 16));
            }
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit))
            {
                return new JournalBound(true, Long.parseLong(value));
            }
            return new JournalBound(false, epochNanos(time(value)));
        }
        catch (final NumberFormatException | DateTimeParseException | ArithmeticException ex)
        {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a journal index or an ISO-8601 " +
                "time (examples: 2026-01-01T09:00:00Z, 2026-01-01T10:00:00.5+01:00, 2026-01-01, 81604378624)");
        }
    }

    private static Instant time(final String value)
    {
        if (value.length() == 10)
        {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (value.endsWith("Z") || value.endsWith("z"))
        {
            return Instant.parse(value.toUpperCase());
        }
        try
        {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (final DateTimeParseException ex)
        {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        }
    }

    private static long epochNanos(final Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
