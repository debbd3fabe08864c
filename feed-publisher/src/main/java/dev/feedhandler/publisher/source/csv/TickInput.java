package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.PriceSource.SourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One input of a replay read tick by tick: its lines, its column layout (from its header, or shared), and its
 * parser, which holds the current tick until the next {@link #advance()}. Blank lines and comments are passed over,
 * bad lines reported to the shared {@link BadLines} rule. Allocates nothing per line on valid input.
 */
final class TickInput implements AutoCloseable
{
    /** Result of {@link #advance()}: a tick is ready in {@link #tick()}. */
    static final int TICK = 1;
    /** Result of {@link #advance()}: the next line has not arrived yet from the reader thread. */
    static final int NOT_YET = 0;
    /** Result of {@link #advance()}: the input has ended. */
    static final int END = -1;

    private static final Logger LOG = LoggerFactory.getLogger(CsvSource.class);
    private static final int MAX_HEADER_COLUMNS = 256;
    private static final long HEADER_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String name;
    private final LineReader reader;
    private final BadLines badLines;
    private final TickParser parser;
    private boolean skipHeaderLine;
    private long skipped;
    private long firstSkippedLine;
    private String firstSkippedReason;

    /**
     * Opens an input: reads its header unless the layout is given.
     *
     * @param input         the input.
     * @param configuration the settings.
     * @param layout        the columns given by {@code --columns} or a preset, or null to read the input's header.
     * @param timestamps    the timestamp parser (shared: inputs are read one at a time).
     * @param symbols       the symbol table (shared, so an instrument has one id in every input).
     * @param badLines      the bad-line rule.
     * @throws IllegalArgumentException with a one-line message if the header is missing or invalid, or the symbol
     *                                  is not valid.
     */
    TickInput(
        final CsvInputs.Input input,
        final CsvConfiguration configuration,
        final ColumnLayout layout,
        final TimestampParser timestamps,
        final SymbolTable symbols,
        final BadLines badLines)
    {
        this.name = input.name();
        this.badLines = badLines;
        this.reader = new LineReader(input.bytes(), configuration.bufferBytes());
        final boolean namedSymbol = input.symbol() != null;
        final ColumnLayout columns;
        try
        {
            columns = layout != null ? layout : readHeader(configuration.delimiter(), namedSymbol);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--file " + name + ": cannot be read: " + ex.getMessage());
        }
        if (namedSymbol)
        {
            final byte[] bytes = input.symbol().getBytes(StandardCharsets.ISO_8859_1);
            if (symbols.lookup(bytes, 0, bytes.length) == SymbolTable.INVALID)
            {
                throw new IllegalArgumentException((configuration.symbol() != null ? "--symbol '" :
                    "--symbol-from-name: " + name + " gives '") + Texts.printable(input.symbol()) + "', which is " +
                    "not 1 to 64 printable ASCII characters without spaces");
            }
        }
        this.parser = new TickParser(columns, timestamps, symbols, configuration.delimiter(), input.symbol(),
            configuration.sizeScale());
        this.skipHeaderLine = layout != null && configuration.headerLine();
    }

    /** Reads the header, waiting for the reader thread to deliver it (start-up, cold path). */
    private ColumnLayout readHeader(final byte delimiter, final boolean namedSymbol) throws IOException
    {
        while (true)
        {
            final int next = reader.next();
            if (next == LineReader.END)
            {
                break;
            }
            if (next == LineReader.NOT_YET)
            {
                LockSupport.parkNanos(HEADER_WAIT_NS);
                continue;
            }
            if (reader.tooLong())
            {
                throw new IllegalArgumentException(name + ":" + reader.lineNumber() + ": header is longer " +
                    "than the read buffer (" + reader.capacity() + " bytes)");
            }
            final byte[] bytes = reader.buffer();
            final int start = reader.lineStart();
            final int end = reader.lineEnd();
            if (isBlankOrComment(bytes, start, end))
            {
                continue;
            }
            final String where = name + ":" + reader.lineNumber() + ": header";
            final int[] starts = new int[MAX_HEADER_COLUMNS];
            final int[] ends = new int[MAX_HEADER_COLUMNS];
            final int count;
            try
            {
                count = FieldSplitter.split(bytes, start, end, delimiter, starts, ends);
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
                return ColumnLayout.of(names, where, namedSymbol);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(ex.getMessage() + (Column.of(names.get(0)) == null ?
                    "; a file without a header line needs --columns or a --format" : ""));
            }
        }
        throw new IllegalArgumentException("--file " + name + ": no header line (" +
            (reader.lineNumber() == 0 ? "the input is empty" : "only blank lines and comments") +
            "); a file without a header line needs --columns or a --format");
    }

    static boolean isBlankOrComment(final byte[] bytes, final int start, final int end)
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
     * Reads lines up to the next valid tick.
     *
     * @return {@link #TICK}, {@link #NOT_YET} or {@link #END}.
     * @throws SourceException for a bad line under {@code fail}, or a read error.
     */
    int advance()
    {
        final LineReader reader = this.reader;
        while (true)
        {
            final int next;
            try
            {
                next = reader.next();
            }
            catch (final IOException ex)
            {
                throw new SourceException(name + ":" + (reader.lineNumber() + 1) + ": read failed: " + ex, ex);
            }
            if (next != LineReader.LINE)
            {
                return next == LineReader.END ? END : NOT_YET;
            }
            if (reader.tooLong())
            {
                skipHeaderLine = false;
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
                if (skipHeaderLine)
                {
                    // A vendor header; a first line that is a valid tick is read as one instead.
                    skipHeaderLine = false;
                    continue;
                }
                badLine(ex.getMessage());
                continue;
            }
            skipHeaderLine = false;
            return TICK;
        }
    }

    private void badLine(final String reason)
    {
        skipped++;
        if (skipped == 1)
        {
            firstSkippedLine = reader.lineNumber();
            firstSkippedReason = reason;
        }
        badLines.report(name, reader.lineNumber(), reason);
    }

    /**
     * The current tick, valid until the next {@link #advance()}.
     *
     * @return the parser holding it.
     */
    TickParser tick()
    {
        return parser;
    }

    /**
     * The input's name in messages.
     *
     * @return such as {@code ticks.csv}, {@code archive.zip!EURUSD.csv} or {@code stdin}.
     */
    String name()
    {
        return name;
    }

    /**
     * Lines read so far, header, comments and blank lines included.
     *
     * @return the count.
     */
    long linesRead()
    {
        return reader.lineNumber();
    }

    /**
     * Closes the input and, if lines were skipped, logs how many and the first. Idempotent through the reader.
     */
    @Override
    public void close()
    {
        try
        {
            reader.close();
        }
        catch (final IOException ex)
        {
            LOG.debug("closing {}", name, ex);
        }
        if (skipped > 0 && !badLines.fails())
        {
            LOG.warn("skipped {} bad line{} in {} (first: line {}: {})", skipped, skipped == 1 ? "" : "s",
                name, firstSkippedLine, firstSkippedReason);
        }
        skipped = 0;
    }
}
