package dev.feedhandler.publisher.source.csv;

import java.io.IOException;
import java.util.Arrays;

/**
 * Lines of a byte stream, found in one reused buffer: no {@code String} per line, no allocation per line. A line
 * is a range of {@link #buffer()} that is valid until the next call to {@link #next()}; its {@code \n} or
 * {@code \r\n} is not part of it, and a UTF-8 byte order mark at the start of the stream is dropped. A line that
 * spans the end of the buffered data is moved to the front before the next read. The buffer starts small and
 * doubles (a cold path) while a line does not fit, up to its largest size; a line longer than that is skipped up
 * to its end and reported as {@link #tooLong()}.
 * <p>
 * The bytes come from a reader thread, so {@link #next()} may find that the rest of a line has not arrived yet: it
 * then says {@link #NOT_YET} and finds the line at a later call, never waiting.
 */
final class LineReader implements AutoCloseable
{
    /** Result of {@link #next()}: a line is ready. */
    static final int LINE = 1;
    /** Result of {@link #next()}: the next line has not arrived yet. */
    static final int NOT_YET = 0;
    /** Result of {@link #next()}: the stream has ended. */
    static final int END = -1;

    /** First size of the buffer: enough for over a thousand lines between reads. */
    static final int INITIAL_BUFFER_BYTES = 64 * 1024;

    private final ByteSource source;
    private final int maxBytes;
    private byte[] buffer;

    private int start;
    private int scan;
    private int limit;
    private boolean endOfStream;
    private boolean discarding;

    private int lineStart;
    private int lineEnd;
    private boolean tooLong;
    private long lineNumber;

    /**
     * Reads from a source.
     *
     * @param source   the bytes; closed by {@link #close()}.
     * @param maxBytes the largest the buffer grows to, which is also the longest line (its end included).
     */
    LineReader(final ByteSource source, final int maxBytes)
    {
        this.source = source;
        this.maxBytes = maxBytes;
        this.buffer = new byte[Math.min(maxBytes, INITIAL_BUFFER_BYTES)];
    }

    /**
     * Moves to the next line.
     *
     * @return {@link #LINE}, {@link #NOT_YET} or {@link #END}.
     * @throws IOException if reading fails.
     */
    int next() throws IOException
    {
        while (true)
        {
            final byte[] bytes = buffer;
            int i = scan;
            final int end = limit;
            while (i < end && bytes[i] != '\n')
            {
                i++;
            }
            if (i < end)
            {
                line(i, i + 1);
                return LINE;
            }
            scan = end;
            if (endOfStream)
            {
                if (discarding || start < end)
                {
                    line(end, end);
                    return LINE;
                }
                return END;
            }
            if (!fill())
            {
                return NOT_YET;
            }
        }
    }

    private void line(final int end, final int nextStart)
    {
        lineNumber++;
        tooLong = discarding;
        discarding = false;
        if (tooLong)
        {
            lineStart = end;
            lineEnd = end;
        }
        else
        {
            lineStart = start;
            lineEnd = end > start && buffer[end - 1] == '\r' ? end - 1 : end;
            if (lineNumber == 1 && lineEnd - lineStart >= 3 &&
                buffer[lineStart] == (byte)0xEF && buffer[lineStart + 1] == (byte)0xBB &&
                buffer[lineStart + 2] == (byte)0xBF)
            {
                lineStart += 3;
            }
        }
        start = nextStart;
        scan = nextStart;
    }

    /** Makes room and reads; false if no byte has arrived yet. */
    private boolean fill() throws IOException
    {
        if (discarding)
        {
            start = 0;
            scan = 0;
            limit = 0;
        }
        else if (start > 0)
        {
            final int remaining = limit - start;
            System.arraycopy(buffer, start, buffer, 0, remaining);
            start = 0;
            scan = remaining;
            limit = remaining;
        }
        else if (limit == buffer.length)
        {
            if (buffer.length < maxBytes)
            {
                buffer = Arrays.copyOf(buffer, (int)Math.min(maxBytes, 2L * buffer.length));
            }
            else
            {
                discarding = true;
                scan = 0;
                limit = 0;
            }
        }
        final int read = source.read(buffer, limit, buffer.length - limit);
        if (read == ByteSource.END)
        {
            endOfStream = true;
            return true;
        }
        limit += read;
        return read > 0;
    }

    /**
     * The buffer that holds the current line.
     *
     * @return the buffer; a new array after the buffer grew.
     */
    byte[] buffer()
    {
        return buffer;
    }

    /**
     * Where the current line starts.
     *
     * @return the index of its first byte in {@link #buffer()}.
     */
    int lineStart()
    {
        return lineStart;
    }

    /**
     * Where the current line ends.
     *
     * @return the index after its last byte, line terminator excluded.
     */
    int lineEnd()
    {
        return lineEnd;
    }

    /**
     * Whether the current line did not fit in the buffer; its content is then empty.
     *
     * @return true if it was skipped as too long.
     */
    boolean tooLong()
    {
        return tooLong;
    }

    /**
     * The number of the current line, from 1; after the end, the number of lines in the stream.
     *
     * @return the line number.
     */
    long lineNumber()
    {
        return lineNumber;
    }

    /**
     * The longest line, its end included.
     *
     * @return bytes.
     */
    int capacity()
    {
        return maxBytes;
    }

    /**
     * Closes the source.
     *
     * @throws IOException if closing fails.
     */
    @Override
    public void close() throws IOException
    {
        source.close();
    }
}
