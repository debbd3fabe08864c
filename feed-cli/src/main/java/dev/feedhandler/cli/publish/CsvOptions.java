package dev.feedhandler.cli.publish;

import dev.feedhandler.publisher.source.csv.CsvSource;
import dev.feedhandler.publisher.source.csv.CsvConfiguration;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Command-line options of the {@code csv} source (a picocli mixin of {@code feed publish}). The format, the
 * column mapping of vendor files and the pacing rules are in {@code docs/csv-format.md}.
 */
public final class CsvOptions
{
    @Option(names = "--file", paramLabel = "PATH",
        description = "Csv: tick file to replay (--source csv); a name ending in .gz is read as gzip.")
    Path file;

    @Option(names = "--columns", paramLabel = "NAMES",
        description = "Csv: the file has no header; its columns in order, comma-separated, such as " +
            "symbol,time,bid,ask (names of the header format; - or skip ignores a column).")
    String columns;

    @Option(names = "--header-line",
        description = "Csv with --columns: the file's first line is a header of its own; skip it.")
    boolean headerLine;

    @Option(names = "--time-pattern", paramLabel = "PATTERN",
        description = "Csv: java.time pattern of the timestamp column, such as 'yyyyMMdd HH:mm:ss.SSS' " +
            "(default: ISO-8601 or an epoch number).")
    String timePattern;

    @Option(names = "--time-zone", paramLabel = "ZONE", defaultValue = "UTC",
        description = "Csv: zone of timestamps without an offset (default: ${DEFAULT-VALUE}).")
    String timeZone;

    @Option(names = "--epoch-unit", paramLabel = "UNIT", defaultValue = "ns",
        description = "Csv: unit of numeric timestamps: ns, us, ms or s (default: ${DEFAULT-VALUE}).")
    String epochUnit;

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
        description = "Csv: field delimiter, one character or tab (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--normalize-symbols",
        description = "Csv: drop / - _ . from symbols and upper-case them (EUR/USD becomes EURUSD).")
    boolean normalizeSymbols;

    @Option(names = "--speed", paramLabel = "SPEED", defaultValue = "1",
        description = "Csv: 1 replays at recorded pace, N at N times that pace (decimals allowed), max flat out " +
            "(default: ${DEFAULT-VALUE}).")
    String speed;

    @Option(names = "--on-bad-line", paramLabel = "POLICY", defaultValue = "fail",
        description = "Csv: a malformed line either stops the replay with file:line (fail) or is counted and " +
            "reported at the end (skip) (default: ${DEFAULT-VALUE}).")
    String onBadLine;

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
     * The settings these options stand for.
     *
     * @param maxUpdates stop after this many updates, 0 for the whole file.
     * @return the validated settings.
     * @throws IllegalArgumentException with a one-line message naming the flag at fault.
     */
    public CsvConfiguration configuration(final long maxUpdates)
    {
        if (file == null)
        {
            throw new IllegalArgumentException("--file is required with --source csv");
        }
        return new CsvConfiguration(
            file,
            columns == null ? null : CsvConfiguration.parseColumns(columns),
            headerLine,
            timePattern,
            CsvConfiguration.parseZone(timeZone),
            CsvConfiguration.EpochUnit.parse(epochUnit),
            CsvConfiguration.parseDelimiter(delimiter),
            normalizeSymbols,
            CsvConfiguration.parseSpeed(speed),
            CsvConfiguration.OnBadLine.parse(onBadLine),
            maxUpdates,
            CsvConfiguration.DEFAULT_BUFFER_BYTES);
    }
}
