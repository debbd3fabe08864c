package dev.feedhandler.cli.publish;

import dev.feedhandler.publisher.source.csv.CsvSource;
import dev.feedhandler.publisher.source.csv.CsvConfiguration;
import dev.feedhandler.publisher.source.csv.CsvFormat;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.source.ReplaySpeed;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Command-line options of the {@code csv} source (a picocli mixin of {@code feed publish}). The format, the
 * column mapping of vendor files and the pacing rules are in {@code docs/csv-format.md}.
 */
public final class CsvOptions
{
    @Option(names = "--file", paramLabel = "PATH",
        description = "Csv: tick file to replay (--source csv); repeatable, glob patterns allowed ('data/*.csv.gz'), " +
            "- reads standard input; several files are merged in time order. Names ending in .gz are read as " +
            "gzip, in .zip as their entries.")
    List<String> files;

    @Option(names = "--format", paramLabel = "NAME",
        description = "Csv: a vendor layout, so that no mapping flags are needed: ${COMPLETION-CANDIDATES} " +
            "(default: feed, the documented format with a header line). Flags given override the preset.",
        completionCandidates = FormatNames.class)
    String format;

    @Option(names = "--symbol", paramLabel = "SYMBOL",
        description = "Csv: the instrument of files without a symbol column.")
    String symbol;

    @Option(names = "--symbol-from-name", paramLabel = "REGEX", arity = "0..1",
        fallbackValue = CsvConfiguration.DEFAULT_SYMBOL_PATTERN,
        description = "Csv: take the instrument of each file without a symbol column from its name: the first run " +
            "of six letters (EURUSD_Ticks_2026.01.02.csv), or the first group of REGEX.")
    String symbolFromName;

    @Option(names = "--zip-entries", paramLabel = "GLOB",
        description = "Csv: the entries of a .zip to read (default: " + CsvConfiguration.DEFAULT_ZIP_ENTRIES + ").")
    String zipEntries;

    @Option(names = "--size-scale", paramLabel = "N",
        description = "Csv: multiply sizes by N, a power of ten, so that fractional sizes become whole units " +
            "(1000000 reads 2.25 million as 2250000) (default: 1, or the --format's).")
    Long sizeScale;

    @Option(names = "--columns", paramLabel = "NAMES",
        description = "Csv: the file has no header; its columns in order, comma-separated, such as " +
            "symbol,time,bid,ask (names of the header format; - or skip ignores a column).")
    String columns;

    @Option(names = "--header-line", negatable = true,
        description = "Csv with --columns: the file's first line is a header of its own; skip it.")
    Boolean headerLine;

    @Option(names = "--time-pattern", paramLabel = "PATTERN",
        description = "Csv: java.time pattern of the timestamp column, such as 'yyyyMMdd HH:mm:ss.SSS' " +
            "(default: ISO-8601 or an epoch number, or the --format's).")
    String timePattern;

    @Option(names = "--time-zone", paramLabel = "ZONE",
        description = "Csv: zone of timestamps without an offset (default: UTC, or the --format's).")
    String timeZone;

    @Option(names = "--epoch-unit", paramLabel = "UNIT",
        description = "Csv: unit of numeric timestamps: ns, us, ms or s (default: ns).")
    String epochUnit;

    @Option(names = "--delimiter", paramLabel = "CHAR",
        description = "Csv: field delimiter, one character or tab (default: ,).")
    String delimiter;

    @Option(names = "--normalize-symbols", negatable = true,
        description = "Csv: drop / - _ . from symbols and upper-case them (EUR/USD becomes EURUSD).")
    Boolean normalizeSymbols;

    @Option(names = "--speed", paramLabel = "SPEED", defaultValue = "1",
        description = "Csv: 1 replays at recorded pace, N at N times that pace (decimals allowed, at least " +
            ReplaySpeed.MIN_SPEED_NUMBER + ": " + ReplaySpeed.MIN_SPEED_MEANING + "), max flat out " +
            "(default: ${DEFAULT-VALUE}).")
    String speed;

    @Option(names = "--on-bad-line", paramLabel = "POLICY", defaultValue = "fail",
        description = "Csv: a malformed line either stops the replay with file:line (fail) or is counted and " +
            "reported at the end (skip) (default: ${DEFAULT-VALUE}).")
    String onBadLine;

    /** The names {@code --format} accepts, for picocli's help. */
    public static final class FormatNames implements Iterable<String>
    {
        /**
         * The names in declaration order.
         *
         * @return an iterator over them.
         */
        @Override
        public Iterator<String> iterator()
        {
            return Arrays.stream(CsvFormat.values()).map(CsvFormat::label).iterator();
        }
    }

    /**
     * Creates the source from the options.
     *
     * @param registry   where instruments are registered as they appear.
     * @param clock      epoch clock; unused, since a tick file's updates keep the file's timestamps.
     * @param maxUpdates stop after this many updates, 0 for the whole file.
     * @return the source.
     * @throws IllegalArgumentException with a one-line message for bad options or an unreadable file.
     */
    public PriceSource create(final InstrumentRegistry registry, final WallClock clock, final long maxUpdates)
    {
        return new CsvSource(configuration(maxUpdates), registry);
    }

    /**
     * The settings these options stand for: the flags given, else the {@code --format} preset's values, else the
     * defaults.
     *
     * @param maxUpdates stop after this many updates, 0 for the whole file.
     * @return the validated settings.
     * @throws IllegalArgumentException with a one-line message naming the flag at fault.
     */
    public CsvConfiguration configuration(final long maxUpdates)
    {
        if (files == null || files.isEmpty())
        {
            throw new IllegalArgumentException("--file is required with --source csv");
        }
        return CsvConfiguration.builder()
            .format(format == null ? null : CsvFormat.parse(format))
            .files(files)
            .symbol(symbol)
            .symbolFromName(symbolFromName)
            .zipEntries(zipEntries)
            .sizeScale(sizeScale)
            .columns(columns == null ? null : CsvConfiguration.parseColumns(columns))
            .headerLine(headerLine)
            .timePattern(timePattern)
            .timeZone(timeZone == null ? null : CsvConfiguration.parseZone(timeZone))
            .epochUnit(epochUnit == null ? null : CsvConfiguration.EpochUnit.parse(epochUnit))
            .delimiter(delimiter == null ? null : CsvConfiguration.parseDelimiter(delimiter))
            .normalizeSymbols(normalizeSymbols)
            .speed(CsvConfiguration.parseSpeed(speed))
            .onBadLine(CsvConfiguration.OnBadLine.parse(onBadLine))
            .maxUpdates(maxUpdates)
            .build();
    }
}
