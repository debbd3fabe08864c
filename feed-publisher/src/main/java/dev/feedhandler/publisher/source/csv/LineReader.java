package dev.feedhandler.publisher.source.csv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Lines of a byte stream, found in one large reused buffer: no {@code String} per line, no allocation after
 * construction. A line is a range of {@link #buffer()} that is valid until the next call to {@link #next()}; its
 * {@code \n} or {@code \r\n} is not part of it, and a UTF-8 byte order mark at the start of the stream is
 * dropped. A line that spans the end of the buffered data is moved to the front before the next read; a line
 * longer than the whole buffer is skipped up to its end and reported as {@link #tooLong()}.
 */
final class LineReader implements AutoCloseable
{
    private final ReadableByteChannel channel;
    private final byte[] buffer;
    private final ByteBuffer readView;

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
     * Reads from a channel.
     *
     * @param channel     the bytes; closed by {@link #close()}.
     * @param bufferBytes the buffer size, which is also the longest line.
     */
    LineReader(final ReadableByteChannel channel, final int bufferBytes)
    {
        this.channel = channel;
        this.buffer = new byte[bufferBytes];
        this.readView = ByteBuffer.wrap(buffer);
    }

    /**
     * Moves to the next line.
     *
     * @return false at the end of the stream.
     * @throws IOException if reading fails.
     */
    boolean next() throws IOException
    {
        final byte[] bytes = buffer;
        while (true)
        {
            int i = scan;
            final int end = limit;
            while (i < end && bytes[i] != '\n')
            {
                i++;
            }
            if (i < end)
            {
                return line(i, i + 1);
            }
            scan = end;
            if (endOfStream)
            {
                if (discarding || start < end)
                {
                    return line(end, end);
                }
                return false;
            }
            fill();
        }
    }

    private boolean line(final int end, final int nextStart)
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
        return true;
    }

    private void fill() throws IOException
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
            discarding = true;
            scan = 0;
            limit = 0;
        }
        readView.limit(buffer.length).position(limit);
        final int read = channel.read(readView);
        if (read < 0)
        {
            endOfStream = true;
        }
        else
        {
            limit += read;
        }
    }

    /**
     * The buffer that holds the current line.
     *
     * @return the buffer, the same array for the reader's life.
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
     * Size of the buffer: the longest line.
     *
     * @return bytes.
     */
    int capacity()
    {
        return buffer.length;
    }

    /**
     * Closes the channel.
     *
     * @throws IOException if closing fails.
     */
    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
