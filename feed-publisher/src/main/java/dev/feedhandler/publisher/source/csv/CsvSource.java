package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.source.UpdateSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Replays a tick file (see {@code docs/csv-format.md}): at recorded pace, at a multiple of it, or flat out. Each
 * update keeps the file's timestamp as its source timestamp. The first update is due at the first
 * {@link #poll}; each next one when {@code (timestamp - first timestamp) / speed} has elapsed since, so a timestamp
 * that goes back is simply due at once. A malformed line either stops the source with a
 * {@link PriceSource.SourceException} naming file and line, or is counted, logged (the first few) and skipped.
 * <p>
 * Reading and parsing work on bytes in one reused buffer and allocate nothing per line on valid input (except with
 * a {@code --time-pattern} that needs {@link java.time.format.DateTimeFormatter}, and when an instrument is seen
 * for the first time). Single-threaded: the publisher's thread.
 */
public final class CsvSource implements PriceSource
{
    private static final Logger LOG = LoggerFactory.getLogger(CsvSource.class);
    private static final int MAX_LOGGED_BAD_LINES = 5;
    private static final int MAX_HEADER_COLUMNS = 256;
    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    private final String fileName;
    private final LineReader reader;
    private final TickParser parser;
    private final boolean paced;
    private final double speed;
    private final long maxUpdates;
    private final boolean failOnBadLine;

    private boolean started;
    private long startNs;
    private boolean haveFirstTimestamp;
    private long firstTimestampNs;
    private boolean pending;
    private long pendingDueNs;
    private boolean endOfFile;
    private long emitted;
    private long badLines;
    private String firstBadLine;
    private long firstBadLineNumber;
    private String firstBadLineReason;
    private boolean closed;

    /**
     * Opens the file and reads its header (or takes the columns from the settings).
     *
     * @param configuration settings.
     * @param registry      where instruments are registered as they first appear.
     * @throws IllegalArgumentException with a one-line message naming the file or flag: the file is missing or
     *                                  unreadable, a column unknown or missing, the time pattern invalid.
     */
    public CsvSource(final CsvConfiguration configuration, final InstrumentRegistry registry)
    {
        this.fileName = configuration.file().toString();
        this.speed = configuration.speed();
        this.paced = speed != CsvConfiguration.MAX_SPEED;
        this.maxUpdates = configuration.maxUpdates();
        this.failOnBadLine = configuration.onBadLine() == CsvConfiguration.OnBadLine.FAIL;

        final TimestampParser timestamps = TimestampParser.create(
            configuration.timePattern(), configuration.timeZone(), configuration.epochUnit());
        if (timestamps.allocates())
        {
            LOG.info("--time-pattern '{}' is read with java.time's DateTimeFormatter, which allocates per line",
                configuration.timePattern());
        }
        ColumnLayout layout = configuration.columns() == null ? null :
            ColumnLayout.of(configuration.columns(), "--columns");

        reader = new LineReader(open(configuration.file()), configuration.bufferBytes());
        try
        {
            if (layout == null)
            {
                layout = readHeader(configuration.delimiter());
            }
            else if (configuration.headerLine())
            {
                reader.next();
            }
        }
        catch (final IOException ex)
        {
            closeQuietly();
            throw new IllegalArgumentException("--file " + fileName + ": cannot be read: " + ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            closeQuietly();
            throw ex;
        }
        parser = new TickParser(
            layout, timestamps, new SymbolTable(registry, configuration.normalizeSymbols()), configuration.delimiter());
        LOG.info("replaying {} {}", fileName, paced ? (speed == 1 ? "at recorded pace" : "at " + speed +
            " times recorded pace") : "flat out");
    }

    private ReadableByteChannel open(final Path file)
    {
        if (!Files.exists(file))
        {
            throw new IllegalArgumentException("--file " + fileName + ": no such file");
        }
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("--file " + fileName + ": not a regular file");
        }
        if (!Files.isReadable(file))
        {
            throw new IllegalArgumentException("--file " + fileName + ": not readable (permission denied)");
        }
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            if (fileName.endsWith(".gz"))
            {
                return Channels.newChannel(new GZIPInputStream(Channels.newInputStream(channel), GZIP_BUFFER_BYTES));
            }
            return channel;
        }
        catch (final IOException ex)
        {
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
            }
            throw new IllegalArgumentException("--file " + fileName + ": cannot be read: " + ex.getMessage());
        }
    }

    private ColumnLayout readHeader(final byte delimiter) throws IOException
    {
        while (reader.next())
        {
            if (reader.tooLong())
            {
                throw new IllegalArgumentException(fileName + ":" + reader.lineNumber() + ": header is longer " +
                    "than the read buffer (" + reader.capacity() + " bytes)");
            }
            final byte[] bytes = reader.buffer();
            final int start = reader.lineStart();
            final int end = reader.lineEnd();
            if (isBlankOrComment(bytes, start, end))
            {
                continue;
            }
            final String where = fileName + ":" + reader.lineNumber() + ": header";
            final int[] starts = new int[MAX_HEADER_COLUMNS];
            final int[] ends = new int[MAX_HEADER_COLUMNS];
            final int count;
            try
            {
                count = TickParser.split(bytes, start, end, delimiter, starts, ends);
            }
            catch (final BadLineException ex)
            {
                throw new IllegalArgumentException(where + ": " + ex.getMessage());
            }
            if (count < 0)
            {
                throw new IllegalArgumentException(where + ": more than " + MAX_HEADER_COLUMNS + " columns");
            }
            final List<String> names = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                names.add(new String(bytes, starts[i], ends[i] - starts[i], StandardCharsets.ISO_8859_1));
            }
            try
            {
                return ColumnLayout.of(names, where);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(ex.getMessage() + "; a file without a header line needs " +
                    "--columns");
            }
        }
        throw new IllegalArgumentException("--file " + fileName + ": no header line (the file is empty); a file " +
            "without a header line needs --columns");
    }

    private static boolean isBlankOrComment(final byte[] bytes, final int start, final int end)
    {
        if (start < end && bytes[start] == '#')
        {
            return true;
        }
        for (int i = start; i < end; i++)
        {
            if (bytes[i] != ' ' && bytes[i] != '\t')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int poll(final UpdateSink sink, final int limit, final long nowNs)
    {
        if (!started)
        {
            started = true;
            startNs = nowNs;
        }
        int budget = limit;
        if (maxUpdates > 0)
        {
            budget = (int)Math.min(budget, maxUpdates - emitted);
        }
        final long elapsedNs = nowNs - startNs;
        int count = 0;
        while (count < budget)
        {
            if (!pending && !readTick())
            {
                break;
            }
            if (paced && elapsedNs < pendingDueNs)
            {
                break;
            }
            emit(sink);
            pending = false;
            emitted++;
            count++;
        }
        return count;
    }

    private void emit(final UpdateSink sink)
    {
        final TickParser tick = parser;
        if (tick.trade())
        {
            sink.onTrade(tick.instrumentId(), tick.side(), tick.price(), tick.size(), tick.tradeId(),
                tick.timestampNs());
        }
        else
        {
            sink.onQuote(tick.instrumentId(), tick.bidPrice(), tick.bidSize(), tick.askPrice(), tick.askSize(),
                tick.timestampNs());
        }
    }

    /** Reads lines up to the next valid tick, which becomes pending; false at the end of the file. */
    private boolean readTick()
    {
        final LineReader reader = this.reader;
        while (true)
        {
            if (!nextLine())
            {
                endOfFile = true;
                return false;
            }
            if (reader.tooLong())
            {
                badLine("line is longer than the read buffer (" + reader.capacity() + " bytes)");
                continue;
            }
            final byte[] bytes = reader.buffer();
            final int start = reader.lineStart();
            final int end = reader.lineEnd();
            if (isBlankOrComment(bytes, start, end))
            {
                continue;
            }
            try
            {
                parser.parse(bytes, start, end);
            }
            catch (final BadLineException ex)
            {
                badLine(ex.getMessage());
                continue;
            }
            schedule(parser.timestampNs());
            pending = true;
            return true;
        }
    }

    private boolean nextLine()
    {
        if (endOfFile || closed)
        {
            return false;
        }
        try
        {
            return reader.next();
        }
        catch (final IOException ex)
        {
            throw new SourceException(fileName + ":" + (reader.lineNumber() + 1) + ": read failed: " + ex, ex);
        }
    }

    private void schedule(final long timestampNs)
    {
        if (!haveFirstTimestamp)
        {
            haveFirstTimestamp = true;
            firstTimestampNs = timestampNs;
        }
        if (!paced)
        {
            pendingDueNs = 0;
            return;
        }
        // Both timestamps are in [0, Long.MAX_VALUE], so the difference cannot overflow.
        final long sinceFirstNs = timestampNs - firstTimestampNs;
        if (sinceFirstNs <= 0)
        {
            pendingDueNs = 0;
        }
        else
        {
            pendingDueNs = speed == 1 ? sinceFirstNs : (long)(sinceFirstNs / speed);
        }
    }

    private void badLine(final String reason)
    {
        badLines++;
        final long line = reader.lineNumber();
        final String message = fileName + ":" + line + ": " + reason;
        if (firstBadLine == null)
        {
            firstBadLine = message;
            firstBadLineNumber = line;
            firstBadLineReason = reason;
        }
        if (failOnBadLine)
        {
            throw new SourceException(message);
        }
        if (badLines <= MAX_LOGGED_BAD_LINES)
        {
            LOG.warn("{} (line skipped{})", message,
                badLines == MAX_LOGGED_BAD_LINES ? "; further bad lines are counted, not logged" : "");
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean isExhausted()
    {
        return (maxUpdates > 0 && emitted >= maxUpdates) || (endOfFile && !pending) || closed;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return "csv";
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code file}, {@code speed} (a number, or {@code max}), {@code linesRead} (every line so far: header,
     * comments and blank lines included), {@code badLines}, and {@code firstBadLine} (file:line: reason) when
     * there was one.
     */
    @Override
    public Map<String, Object> statistics()
    {
        final Map<String, Object> statistics = new LinkedHashMap<>();
        statistics.put("file", fileName);
        statistics.put("speed", paced ? (Object)speed : "max");
        statistics.put("linesRead", reader.lineNumber());
        statistics.put("badLines", badLines);
        if (firstBadLine != null)
        {
            statistics.put("firstBadLine", firstBadLine);
        }
        return statistics;
    }

    /**
     * Updates handed over so far.
     *
     * @return the count.
     */
    public long emitted()
    {
        return emitted;
    }

    /**
     * Malformed lines met so far (skipped, or the one that stopped the source).
     *
     * @return the count.
     */
    public long badLines()
    {
        return badLines;
    }

    /**
     * Lines read so far, header, comments and blank lines included.
     *
     * @return the count.
     */
    public long linesRead()
    {
        return reader.lineNumber();
    }

    /**
     * The first malformed line, as {@code file:line: reason}.
     *
     * @return the message, or null if every line was good.
     */
    public String firstBadLine()
    {
        return firstBadLine;
    }

    /**
     * Closes the file and, if lines were skipped, logs how many and the first. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeQuietly();
        if (badLines > 0 && !failOnBadLine)
        {
            LOG.warn("skipped {} bad line{} in {} (first: line {}: {})", badLines, badLines == 1 ? "" : "s",
                fileName, firstBadLineNumber, firstBadLineReason);
        }
    }

    private void closeQuietly()
    {
        try
        {
            reader.close();
        }
        catch (final IOException ex)
        {
            LOG.debug("closing {}", fileName, ex);
        }
    }
}
