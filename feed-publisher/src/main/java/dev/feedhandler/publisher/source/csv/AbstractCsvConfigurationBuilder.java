package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;
import dev.feedhandler.publisher.source.csv.CsvConfiguration.OnBadLine;

import java.time.ZoneId;
import java.util.List;

/**
 * The settings a {@link CsvConfiguration.Builder} collects from the command line, each null until given: the
 * builder resolves them against its {@link CsvFormat} preset and the defaults. Kept apart, as
 * {@code AbstractStringBuilder} is from {@code StringBuilder}, so that the builder is its resolution.
 */
abstract sealed class AbstractCsvConfigurationBuilder permits CsvConfiguration.Builder
{
    /** A time pattern that says "none" explicitly, overriding a preset's pattern. */
    static final String NONE = "";

    CsvFormat format = CsvFormat.FEED;
    List<String> files = List.of();
    String symbol;
    String symbolFromName;
    String zipEntries;
    List<String> columns;
    Boolean headerLine;
    String timePattern;
    ZoneId timeZone;
    EpochUnit epochUnit;
    Byte delimiter;
    Boolean normalizeSymbols;
    Long sizeScale;
    double speed = 1;
    OnBadLine onBadLine = OnBadLine.FAIL;
    long maxUpdates;
    int bufferBytes = CsvConfiguration.DEFAULT_BUFFER_BYTES;

    AbstractCsvConfigurationBuilder()
    {
    }

    private CsvConfiguration.Builder self()
    {
        return (CsvConfiguration.Builder)this;
    }

    /**
     * The preset.
     *
     * @param format the format, null for {@link CsvFormat#FEED}.
     * @return this.
     */
    public CsvConfiguration.Builder format(final CsvFormat format)
    {
        this.format = format == null ? CsvFormat.FEED : format;
        return self();
    }

    /**
     * One input.
     *
     * @param file a path, a glob pattern or {@code -}.
     * @return this.
     */
    public CsvConfiguration.Builder file(final String file)
    {
        this.files = List.of(file);
        return self();
    }

    /**
     * The inputs.
     *
     * @param files paths, glob patterns and {@code -}; null for none.
     * @return this.
     */
    public CsvConfiguration.Builder files(final List<String> files)
    {
        this.files = files == null ? List.of() : files;
        return self();
    }

    /**
     * The symbol of files without a symbol column.
     *
     * @param symbol the symbol, or null.
     * @return this.
     */
    public CsvConfiguration.Builder symbol(final String symbol)
    {
        this.symbol = symbol;
        return self();
    }

    /**
     * Take the symbol of files without a symbol column from their names.
     *
     * @param pattern a regular expression, {@link CsvConfiguration#DEFAULT_SYMBOL_PATTERN}, or null for off.
     * @return this.
     */
    public CsvConfiguration.Builder symbolFromName(final String pattern)
    {
        this.symbolFromName = pattern;
        return self();
    }

    /**
     * Which zip entries to read.
     *
     * @param glob a glob pattern, or null for {@link CsvConfiguration#DEFAULT_ZIP_ENTRIES}.
     * @return this.
     */
    public CsvConfiguration.Builder zipEntries(final String glob)
    {
        this.zipEntries = glob;
        return self();
    }

    /**
     * The columns of headerless files.
     *
     * @param columns names in order, or null for the preset's.
     * @return this.
     */
    public CsvConfiguration.Builder columns(final List<String> columns)
    {
        this.columns = columns;
        return self();
    }

    /**
     * Whether the first line is a header to skip.
     *
     * @param headerLine the flag, or null for the preset's.
     * @return this.
     */
    public CsvConfiguration.Builder headerLine(final Boolean headerLine)
    {
        this.headerLine = headerLine;
        return self();
    }

    /**
     * The timestamp's pattern.
     *
     * @param timePattern a java.time pattern, {@link #NONE} for ISO-8601 or epoch numbers, or null for the
     *                    preset's.
     * @return this.
     */
    public CsvConfiguration.Builder timePattern(final String timePattern)
    {
        this.timePattern = timePattern;
        return self();
    }

    /**
     * The zone of times without an offset.
     *
     * @param timeZone the zone, or null for the preset's (UTC by default).
     * @return this.
     */
    public CsvConfiguration.Builder timeZone(final ZoneId timeZone)
    {
        this.timeZone = timeZone;
        return self();
    }

    /**
     * The unit of epoch numbers.
     *
     * @param epochUnit the unit, or null for nanoseconds.
     * @return this.
     */
    public CsvConfiguration.Builder epochUnit(final EpochUnit epochUnit)
    {
        this.epochUnit = epochUnit;
        return self();
    }

    /**
     * The field delimiter.
     *
     * @param delimiter the byte, or null for a comma.
     * @return this.
     */
    public CsvConfiguration.Builder delimiter(final Byte delimiter)
    {
        this.delimiter = delimiter;
        return self();
    }

    /**
     * Whether to normalize symbols.
     *
     * @param normalizeSymbols the flag, or null for the preset's.
     * @return this.
     */
    public CsvConfiguration.Builder normalizeSymbols(final Boolean normalizeSymbols)
    {
        this.normalizeSymbols = normalizeSymbols;
        return self();
    }

    /**
     * The size scale.
     *
     * @param sizeScale a power of ten, or null for the preset's.
     * @return this.
     */
    public CsvConfiguration.Builder sizeScale(final Long sizeScale)
    {
        this.sizeScale = sizeScale;
        return self();
    }

    /**
     * The replay speed.
     *
     * @param speed 1 for recorded pace, {@link CsvConfiguration#MAX_SPEED} for flat out.
     * @return this.
     */
    public CsvConfiguration.Builder speed(final double speed)
    {
        this.speed = speed;
        return self();
    }

    /**
     * What a malformed line does.
     *
     * @param onBadLine the policy.
     * @return this.
     */
    public CsvConfiguration.Builder onBadLine(final OnBadLine onBadLine)
    {
        this.onBadLine = onBadLine;
        return self();
    }

    /**
     * Stop after this many updates.
     *
     * @param maxUpdates the count, 0 for no limit.
     * @return this.
     */
    public CsvConfiguration.Builder maxUpdates(final long maxUpdates)
    {
        this.maxUpdates = maxUpdates;
        return self();
    }

    /**
     * The longest line.
     *
     * @param bufferBytes bytes, its end included.
     * @return this.
     */
    public CsvConfiguration.Builder bufferBytes(final int bufferBytes)
    {
        this.bufferBytes = bufferBytes;
        return self();
    }
}
