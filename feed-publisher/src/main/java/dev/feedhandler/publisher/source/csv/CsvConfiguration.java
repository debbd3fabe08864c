package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.ReplaySpeed;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Settings of the {@code csv} source, validated once at start-up. See {@code docs/csv-format.md}. A {@link Builder}
 * resolves a {@link CsvFormat} preset and the flags that override it.
 *
 * @param files            the inputs as given to {@code --file}: paths, glob patterns, and {@code -} for standard
 *                         input; a name ending in {@code .gz} is read as gzip, one ending in {@code .zip} as its
 *                         entries.
 * @param symbol           the symbol of every line of files without a symbol column, or null.
 * @param symbolFromName   a regular expression that finds the symbol in each file's name (its first group, or the
 *                         whole match), for files without a symbol column; or null.
 * @param zipEntries       glob of the zip entries to read.
 * @param columns          the columns of a headerless file in order, or null when the file starts with a header.
 * @param headerLine       with {@code columns}: the file's first line is a header to skip (unless it is a valid tick).
 * @param timePattern      java.time pattern of the timestamp column, or null for ISO-8601 or an epoch number.
 * @param timeZone         zone of timestamps that carry no offset.
 * @param epochUnit        unit of numeric timestamps.
 * @param delimiter        the field delimiter, one ASCII byte.
 * @param normalizeSymbols strip {@code / - _ .} from symbols and upper-case them.
 * @param sizeScale        sizes are multiplied by this power of ten (1 for whole numbers).
 * @param speed            replay speed: 1 for recorded pace, N for N times faster (within {@link ReplaySpeed}'s
 *                         bounds), {@link #MAX_SPEED} for flat out.
 * @param onBadLine        what a malformed line does.
 * @param maxUpdates       stop after this many updates, 0 for every input to its end.
 * @param bufferBytes      the longest line (its end included): a longer line is a bad line.
 */
public record CsvConfiguration(
    List<String> files,
    String symbol,
    String symbolFromName,
    String zipEntries,
    List<String> columns,
    boolean headerLine,
    String timePattern,
    ZoneId timeZone,
    EpochUnit epochUnit,
    byte delimiter,
    boolean normalizeSymbols,
    long sizeScale,
    double speed,
    OnBadLine onBadLine,
    long maxUpdates,
    int bufferBytes)
{
    /** The speed of {@code --speed max}: every update is due at once. */
    public static final double MAX_SPEED = Double.POSITIVE_INFINITY;

    /** Default longest line. */
    public static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    /** Smallest read buffer accepted (tests use small ones to force refills mid-line). */
    public static final int MIN_BUFFER_BYTES = 16;

    /** The {@code --file} value that stands for standard input. */
    public static final String STDIN = "-";

    /** Default glob of the zip entries read: the csv files of an archive, not its read-me. */
    public static final String DEFAULT_ZIP_ENTRIES = "*.csv";

    /**
     * The rule of {@code --symbol-from-name} without a pattern: the first run of exactly six letters in the file
     * name, as in the names of TrueFX ({@code EURUSD-2026-01.csv}), Dukascopy ({@code EURUSD_Ticks_2026.01.02.csv})
     * and HistData ({@code DAT_ASCII_EURUSD_T_202601.csv}) files.
     */
    public static final String DEFAULT_SYMBOL_PATTERN = "(?<![A-Za-z])([A-Za-z]{6})(?![A-Za-z])";

    /** The default zone of times without an offset. */
    public static final ZoneId UTC = ZoneId.of("UTC");

    /** Largest {@code --size-scale}. */
    public static final long MAX_SIZE_SCALE = 1_000_000_000_000_000_000L;

    /** Units of numeric (epoch) timestamps, with their length in nanoseconds. */
    public enum EpochUnit
    {
        /** Nanoseconds. */
        NS(1L),
        /** Microseconds. */
        US(1_000L),
        /** Milliseconds. */
        MS(1_000_000L),
        /** Seconds. */
        S(1_000_000_000L);

        private final long nanos;

        EpochUnit(final long nanos)
        {
            this.nanos = nanos;
        }

        /**
         * Nanoseconds in one unit.
         *
         * @return the length of the unit.
         */
        public long nanos()
        {
            return nanos;
        }

        /**
         * Decimal digits of a nanosecond count below one unit (0 for ns, 9 for s).
         *
         * @return the digits a fraction of this unit may have.
         */
        public int fractionDigits()
        {
            return Long.toString(nanos).length() - 1;
        }

        /**
         * The unit of a name, as on the command line.
         *
         * @param name ns, us, ms or s, any case.
         * @return the unit.
         * @throws IllegalArgumentException for another name.
         */
        public static EpochUnit parse(final String name)
        {
            for (final EpochUnit unit : values())
            {
                if (unit.name().equalsIgnoreCase(name.trim()))
                {
                    return unit;
                }
            }
            throw new IllegalArgumentException("--epoch-unit must be ns, us, ms or s, was '" + name + "'");
        }
    }

    /** What a malformed line does. */
    public enum OnBadLine
    {
        /** Stop the source with the file, line number and reason. */
        FAIL,
        /** Count the line, log the first few, report them at the end, and go on. */
        SKIP;

        /**
         * The policy of a name, as on the command line.
         *
         * @param name fail or skip, any case.
         * @return the policy.
         * @throws IllegalArgumentException for another name.
         */
        public static OnBadLine parse(final String name)
        {
            for (final OnBadLine policy : values())
            {
                if (policy.name().equalsIgnoreCase(name.trim()))
                {
                    return policy;
                }
            }
            throw new IllegalArgumentException("--on-bad-line must be fail or skip, was '" + name + "'");
        }
    }

    /**
     * Validates the settings.
     */
    public CsvConfiguration
    {
        files = CsvConfigurationChecks.files(files);
        CsvConfigurationChecks.symbol(symbol, symbolFromName);
        zipEntries = CsvConfigurationChecks.zipEntries(zipEntries);
        columns = CsvConfigurationChecks.columns(columns, headerLine);
        if (timeZone == null || epochUnit == null || onBadLine == null)
        {
            throw new IllegalArgumentException("time zone, epoch unit and bad-line policy are required");
        }
        CsvConfigurationChecks.delimiter(delimiter);
        CsvConfigurationChecks.sizeScale(sizeScale);
        CsvConfigurationChecks.replay(speed, maxUpdates, bufferBytes);
        columns = columns == null ? null : List.copyOf(columns);
    }

    /**
     * Settings for one file with a header, ISO-8601 or epoch-ns timestamps, commas, replayed flat out, failing on a
     * bad line: a starting point for tests and embedding ({@code with...} methods change one setting).
     *
     * @param file the tick file.
     * @return the settings.
     */
    public static CsvConfiguration defaults(final Path file)
    {
        return builder().file(file.toString()).speed(MAX_SPEED).build();
    }

    /**
     * A builder with no input, the {@link CsvFormat#FEED} format, recorded pace, failing on a bad line.
     *
     * @return the builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A builder holding these settings, to change some.
     *
     * @return the builder; every setting is explicit, so a {@link Builder#format} set on it changes nothing.
     */
    public Builder toBuilder()
    {
        return new Builder().files(files).symbol(symbol).symbolFromName(symbolFromName).zipEntries(zipEntries)
            .columns(columns).headerLine(headerLine).timePattern(timePattern == null ? Builder.NONE : timePattern)
            .timeZone(timeZone).epochUnit(epochUnit).delimiter(delimiter).normalizeSymbols(normalizeSymbols)
            .sizeScale(sizeScale).speed(speed).onBadLine(onBadLine).maxUpdates(maxUpdates).bufferBytes(bufferBytes);
    }

    /**
     * A copy with headerless columns.
     *
     * @param columns    column names in order.
     * @param headerLine whether to skip a first line.
     * @return the new settings.
     */
    public CsvConfiguration withColumns(final List<String> columns, final boolean headerLine)
    {
        return toBuilder().columns(columns).headerLine(headerLine).build();
    }

    /**
     * A copy with a time pattern and zone.
     *
     * @param timePattern java.time pattern, or null.
     * @param timeZone    zone of timestamps without an offset.
     * @return the new settings.
     */
    public CsvConfiguration withTime(final String timePattern, final ZoneId timeZone)
    {
        return toBuilder().timePattern(timePattern == null ? Builder.NONE : timePattern).timeZone(timeZone).build();
    }

    /**
     * A copy with another epoch unit.
     *
     * @param epochUnit the unit.
     * @return the new settings.
     */
    public CsvConfiguration withEpochUnit(final EpochUnit epochUnit)
    {
        return toBuilder().epochUnit(epochUnit).build();
    }

    /**
     * A copy with another delimiter and symbol normalization.
     *
     * @param delimiter        the delimiter byte.
     * @param normalizeSymbols whether to normalize symbols.
     * @return the new settings.
     */
    public CsvConfiguration withFields(final byte delimiter, final boolean normalizeSymbols)
    {
        return toBuilder().delimiter(delimiter).normalizeSymbols(normalizeSymbols).build();
    }

    /**
     * A copy with another speed.
     *
     * @param speed the speed, {@link #MAX_SPEED} for flat out.
     * @return the new settings.
     */
    public CsvConfiguration withSpeed(final double speed)
    {
        return toBuilder().speed(speed).build();
    }

    /**
     * A copy with another bad-line policy.
     *
     * @param onBadLine the policy.
     * @return the new settings.
     */
    public CsvConfiguration withOnBadLine(final OnBadLine onBadLine)
    {
        return toBuilder().onBadLine(onBadLine).build();
    }

    /**
     * A copy with another update limit.
     *
     * @param maxUpdates stop after this many, 0 for no limit.
     * @return the new settings.
     */
    public CsvConfiguration withMaxUpdates(final long maxUpdates)
    {
        return toBuilder().maxUpdates(maxUpdates).build();
    }

    /**
     * A copy with another longest line.
     *
     * @param bufferBytes the size.
     * @return the new settings.
     */
    public CsvConfiguration withBufferBytes(final int bufferBytes)
    {
        return toBuilder().bufferBytes(bufferBytes).build();
    }

    /**
     * Parses {@code --speed}: a decimal number within {@link ReplaySpeed}'s bounds, or {@code max}.
     *
     * @param text the flag's value.
     * @return the speed, {@link #MAX_SPEED} for max.
     * @throws IllegalArgumentException if it is neither.
     */
    public static double parseSpeed(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        if ("max".equals(value))
        {
            return MAX_SPEED;
        }
        try
        {
            final double speed = Double.parseDouble(value.endsWith("x") ? value.substring(0, value.length() - 1) :
                value);
            if (ReplaySpeed.isValid(speed))
            {
                return speed;
            }
            if (ReplaySpeed.isTooSlow(speed))
            {
                throw new IllegalArgumentException("--speed must be at least " + ReplaySpeed.MIN_SPEED_TEXT +
                    " or max, was '" + text + "'");
            }
        }
        catch (final NumberFormatException ex)
        {
            // Reported below.
        }
        throw new IllegalArgumentException("--speed must be a positive number (1 = recorded pace, 10 = ten times " +
            "faster) or max, was '" + text + "'");
    }

    /**
     * Parses {@code --delimiter}: one ASCII character, or {@code tab} / {@code \t}.
     *
     * @param text the flag's value.
     * @return the delimiter byte.
     * @throws IllegalArgumentException otherwise.
     */
    public static byte parseDelimiter(final String text)
    {
        if ("tab".equalsIgnoreCase(text) || "\\t".equals(text) || "\t".equals(text))
        {
            return '\t';
        }
        if (text.length() != 1 || text.charAt(0) > '~')
        {
            throw new IllegalArgumentException("--delimiter must be one ASCII character or tab, was '" + text + "'");
        }
        return (byte)text.charAt(0);
    }

    /**
     * Parses {@code --time-zone}.
     *
     * @param text a zone id such as UTC, Europe/London or +01:00.
     * @return the zone.
     * @throws IllegalArgumentException if it is not a zone.
     */
    public static ZoneId parseZone(final String text)
    {
        try
        {
            return ZoneId.of(text.trim());
        }
        catch (final DateTimeException ex)
        {
            throw new IllegalArgumentException("--time-zone '" + text + "' is not a time zone (examples: UTC, " +
                "Europe/London, America/New_York, +01:00)");
        }
    }

    /**
     * Splits {@code --columns}.
     *
     * @param text comma-separated names.
     * @return the names, trimmed.
     */
    public static List<String> parseColumns(final String text)
    {
        return Arrays.stream(text.split(",", -1)).map(String::trim).collect(Collectors.toList());
    }

    /**
     * Collects the settings of the command line: a {@link CsvFormat} preset supplies the settings that no flag gives,
     * and the library defaults fill the rest (comma, UTC, epoch nanoseconds, whole sizes). Null means not given.
     */
    public static final class Builder extends AbstractCsvConfigurationBuilder
    {
        private Builder()
        {
        }

        /**
         * The settings: the flags given, else the preset's values, else the defaults.
         *
         * @return the validated settings.
         * @throws IllegalArgumentException with a one-line message naming the flag at fault.
         */
        public CsvConfiguration build()
        {
            final List<String> resolvedColumns = columns != null ? columns : format.columns();
            final String pattern = timePattern != null ? timePattern : format.timePattern();
            final ZoneId zone = timeZone != null ? timeZone :
                format.timeZone() != null ? format.timeZone() : UTC;
            return new CsvConfiguration(
                files,
                symbol,
                symbolFromName,
                zipEntries,
                resolvedColumns,
                headerLine != null ? headerLine : format.headerLine() && resolvedColumns != null,
                pattern == null || pattern.equals(NONE) ? null : pattern,
                zone,
                epochUnit != null ? epochUnit : format.epochUnit(),
                delimiter != null ? delimiter : (byte)',',
                normalizeSymbols != null ? normalizeSymbols : format.normalizeSymbols(),
                sizeScale != null ? sizeScale : format.sizeScale(),
                speed,
                onBadLine,
                maxUpdates,
                bufferBytes);
        }
    }
}
