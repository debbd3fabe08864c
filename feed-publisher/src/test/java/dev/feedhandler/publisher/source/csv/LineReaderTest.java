package dev.feedhandler.publisher.source.csv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines out of a reused buffer: refills mid-line, CRLF, a missing last newline, lines too long for the buffer, a
 * buffer that grows, bytes that have not arrived yet.
 */
@Timeout(30)
class LineReaderTest
{
    private static final String TOO_LONG = "<too long>";

    private static List<String> read(final String content, final int bufferBytes, final int chunk) throws IOException
    {
        return read(content, bufferBytes, chunk, false);
    }

    /**
     * Reads every line, from a source that hands over at most {@code chunk} bytes per read, as a reader thread may;
     * with {@code stalls}, every other read has nothing yet, as when the reader thread is behind.
     */
    private static List<String> read(final String content, final int bufferBytes, final int chunk,
        final boolean stalls) throws IOException
    {
        final byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        final ByteSource source = new ByteSource()
        {
            private int position;
            private boolean stall;

            @Override
            public int read(final byte[] destination, final int offset, final int length)
            {
                stall = stalls && !stall;
                if (stall)
                {
                    return 0;
                }
                if (position == bytes.length)
                {
                    return END;
                }
                final int count = Math.min(Math.min(length, chunk), bytes.length - position);
                System.arraycopy(bytes, position, destination, offset, count);
                position += count;
                return count;
            }

            @Override
            public void close()
            {
            }
        };
        final List<String> lines = new ArrayList<>();
        try (LineReader reader = new LineReader(source, bufferBytes))
        {
            int next;
            while ((next = reader.next()) != LineReader.END)
            {
                if (next == LineReader.NOT_YET)
                {
                    continue;
                }
                lines.add(reader.tooLong() ? TOO_LONG : new String(reader.buffer(), reader.lineStart(),
                    reader.lineEnd() - reader.lineStart(), StandardCharsets.ISO_8859_1));
                assertThat(reader.lineNumber()).isEqualTo(lines.size());
            }
        }
        return lines;
    }

    @Test
    void shouldSplitLinesAcrossRefillsWithCrLfAndWithoutALastNewline() throws IOException
    {
        final String content = "alpha\r\nbeta\n\ngamma delta epsilon\r\n\r\nz";
        // The longest line with its terminator is 21 bytes: the least buffer that holds it.
        for (int buffer = 21; buffer < 40; buffer++)
        {
            for (int chunk = 1; chunk < 12; chunk++)
            {
                assertThat(read(content, buffer, chunk)).as("buffer %d, chunk %d", buffer, chunk)
                    .containsExactly("alpha", "beta", "", "gamma delta epsilon", "", "z");
            }
        }
    }

    @Test
    void shouldReportLinesLongerThanTheBufferAndGoOn() throws IOException
    {
        final String content = "short\n" + "x".repeat(50) + "\nafter\n" + "y".repeat(17) + "\r\nlast\n" +
            "z".repeat(40);

        assertThat(read(content, 16, 7)).containsExactly("short", TOO_LONG, "after", TOO_LONG, "last", TOO_LONG);
        assertThat(read("a\n" + "b".repeat(16) + "\n", 16, 16)).containsExactly("a", TOO_LONG);
        assertThat(read("a\n" + "b".repeat(15) + "\n", 16, 16)).containsExactly("a", "b".repeat(15));
    }

    @Test
    void shouldDropAByteOrderMarkOnlyAtTheStart() throws IOException
    {
        final String bom = new String(new byte[]{(byte)0xEF, (byte)0xBB, (byte)0xBF}, StandardCharsets.ISO_8859_1);

        assertThat(read(bom + "a\n" + bom + "b\n", 64, 64)).containsExactly("a", bom + "b");
    }

    @Test
    void shouldFindTheSameLinesWhenBytesArriveLate() throws IOException
    {
        final String content = "alpha\r\nbeta\n\ngamma delta epsilon\r\n" + "x".repeat(30) + "\nz";
        for (int chunk = 1; chunk < 12; chunk++)
        {
            assertThat(read(content, 21, chunk, true)).as("chunk %d", chunk)
                .containsExactly("alpha", "beta", "", "gamma delta epsilon", TOO_LONG, "z");
        }
    }

    @Test
    void shouldGrowItsBufferForLongLinesUpToTheLimit() throws IOException
    {
        final String line = "y".repeat(3 * LineReader.INITIAL_BUFFER_BYTES);
        final int limit = 4 * LineReader.INITIAL_BUFFER_BYTES;

        assertThat(read("a\n" + line + "\nb\n" + line + line + "\nc", limit, 50_000))
            .containsExactly("a", line, "b", TOO_LONG, "c");
    }

    @Test
    void shouldReturnNothingForAnEmptyStream() throws IOException
    {
        assertThat(read("", 16, 16)).isEmpty();
    }

    @Test
    void shouldMatchStringSplittingOnRandomContent() throws IOException
    {
        final long seed = Long.getLong("csv.seed", System.nanoTime());
        System.out.println("LineReaderTest seed: " + seed + " (rerun with -Dcsv.seed=" + seed + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++)
        {
            final int buffer = random.nextInt(16, 64);
            final StringBuilder content = new StringBuilder();
            final List<String> expected = new ArrayList<>();
            final int lines = random.nextInt(0, 40);
            for (int i = 0; i < lines; i++)
            {
                final int length = random.nextInt(0, buffer + 10);
                final String line = "abcdefghijklmnopqrstuvwxyz0123456789,.".repeat(3).substring(0, length);
                final boolean crlf = random.nextBoolean();
                content.append(line).append(crlf ? "\r\n" : "\n");
                expected.add(length + (crlf ? 2 : 1) > buffer ? TOO_LONG : line);
            }
            assertThat(read(content.toString(), buffer, random.nextInt(1, 100), random.nextBoolean()))
                .as("seed %d, round %d", seed, round).isEqualTo(expected);
        }
    }
}
