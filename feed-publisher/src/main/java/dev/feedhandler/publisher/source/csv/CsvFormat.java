package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Presets of {@code --format}: the column mapping, time pattern, zone and size scale of the tick files users get
 * from common vendors, so that they need no mapping flags. A flag given on the command line overrides the preset's
 * value. Each preset carries one example of its lines, which {@code docs/csv-format.md} shows and a test reads.
 */
public enum CsvFormat
{
    /** The documented format: a header line names the columns. */
    FEED("feed", null, false, null, null, false, 1,
        "timestamp,symbol,bid,bid_size,ask,ask_size\n2026-01-02T00:00:00.123Z,EURUSD,1.10415,1000000,1.10421,2000000"),

    /** TrueFX: {@code EUR/USD,20260102 00:00:00.123,1.10415,1.10421}, times in UTC, no sizes. */
    TRUEFX("truefx", "symbol,time,bid,ask", false, "yyyyMMdd HH:mm:ss.SSS", CsvConfiguration.UTC, true, 1,
        "EUR/USD,20260102 00:00:00.123,1.10415,1.10421"),

    /**
     * Dukascopy's tick export: a header line, then time (UTC), ask, bid and the volumes in millions, which the size
     * scale of one million turns into units of the base currency; one instrument per file.
     */
    DUKASCOPY("dukascopy", "time,ask,bid,ask_size,bid_size", true, "yyyy.MM.dd HH:mm:ss.SSS", CsvConfiguration.UTC,
        false, 1_000_000, "Time (UTC),Ask,Bid,AskVolume,BidVolume\n2026.01.02 00:00:00.123,1.10421,1.10415,1.5,2.25"),

    /**
     * HistData.com's ASCII ticks: time, bid, ask and a volume that is always 0 (ignored); times in EST without
     * daylight saving (UTC-5 all year); one instrument per file.
     */
    HISTDATA("histdata", "time,bid,ask,-", false, "yyyyMMdd HHmmssSSS", ZoneOffset.ofHours(-5), false, 1,
        "20260101 190000123,1.10415,1.10421,0"),

    /** What {@code feed replay --format csv} prints: a journal replayed into another publisher. */
    FEED_REPLAY("feed-replay",
        "-,-,-,symbol,-,-,type,-,bid,bid_size,ask,ask_size,price,size,side,trade_id,time", true, null, null, false, 1,
        "index,time,sendTimestampNs,topic,epoch,sequence,type,instrumentId,bidPrice,bidSize,askPrice,askSize,price," +
            "size,side,tradeId,sourceTimestampNs\n" +
            "0,2026-01-02T00:00:00.124Z,1767312000124000000,EURUSD,1767311990000000000,1,quote,0,1.10415,1000000," +
            "1.10421,2000000,,,,,1767312000123000000");

    private final String label;
    private final List<String> columns;
    private final boolean headerLine;
    private final String timePattern;
    private final ZoneId timeZone;
    private final boolean normalizeSymbols;
    private final long sizeScale;
    private final String example;

    CsvFormat(
        final String label,
        final String columns,
        final boolean headerLine,
        final String timePattern,
        final ZoneId timeZone,
        final boolean normalizeSymbols,
        final long sizeScale,
        final String example)
    {
        this.label = label;
        this.columns = columns == null ? null : CsvConfiguration.parseColumns(columns);
        this.headerLine = headerLine;
        this.timePattern = timePattern;
        this.timeZone = timeZone;
        this.normalizeSymbols = normalizeSymbols;
        this.sizeScale = sizeScale;
        this.example = example;
    }

    /**
     * The format of a name, as on the command line.
     *
     * @param name such as {@code truefx}, any case.
     * @return the format.
     * @throws IllegalArgumentException for another name.
     */
    public static CsvFormat parse(final String name)
    {
        final String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (final CsvFormat format : values())
        {
            if (format.label.equals(wanted))
            {
                return format;
            }
        }
        throw new IllegalArgumentException("--format must be one of " + names() + ", was '" + name + "'");
    }

    /**
     * The names of every format, for help and messages.
     *
     * @return the names, comma-separated.
     */
    public static String names()
    {
        return Arrays.stream(values()).map(CsvFormat::label).collect(Collectors.joining(", "));
    }

    /**
     * The name on the command line.
     *
     * @return such as {@code dukascopy}.
     */
    public String label()
    {
        return label;
    }

    /**
     * The columns of a headerless file, in order.
     *
     * @return the names, or null when the file starts with a header that names them.
     */
    public List<String> columns()
    {
        return columns;
    }

    /**
     * Whether the file's first line is a vendor header to skip.
     *
     * @return true if so.
     */
    public boolean headerLine()
    {
        return headerLine;
    }

    /**
     * The timestamp's pattern.
     *
     * @return a java.time pattern, or null for ISO-8601 or an epoch number.
     */
    public String timePattern()
    {
        return timePattern;
    }

    /**
     * The zone of times without an offset.
     *
     * @return the zone, or null for the default (UTC).
     */
    public ZoneId timeZone()
    {
        return timeZone;
    }

    /**
     * Whether symbols are normalized ({@code EUR/USD} to {@code EURUSD}).
     *
     * @return true if so.
     */
    public boolean normalizeSymbols()
    {
        return normalizeSymbols;
    }

    /**
     * The power of ten that sizes are multiplied by.
     *
     * @return the scale, 1 for whole numbers.
     */
    public long sizeScale()
    {
        return sizeScale;
    }

    /**
     * The unit of numeric timestamps.
     *
     * @return nanoseconds for every preset.
     */
    public EpochUnit epochUnit()
    {
        return EpochUnit.NS;
    }

    /**
     * Example lines of this format (a header line first when the format has one), as in the documentation.
     *
     * @return the lines, separated by {@code \n}.
     */
    public String example()
    {
        return example;
    }
}
