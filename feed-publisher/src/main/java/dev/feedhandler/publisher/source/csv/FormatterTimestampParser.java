package dev.feedhandler.publisher.source.csv;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Any other java.time pattern, through {@link DateTimeFormatter}: allocates a String and parse objects per
 * line.
 */
final class FormatterTimestampParser extends TimestampParser
{
    private final String pattern;
    private final DateTimeFormatter formatter;

    FormatterTimestampParser(final String pattern, final DateTimeFormatter formatter)
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
