package dev.feedhandler.publisher.source.csv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines out of a reused buffer: refills mid-line, CRLF, a missing last newline, lines too long for the buffer.
 */
@Timeout(30)
class LineReaderTest
{
    private static final String TOO_LONG = "<too long>";

    private static List<String> read(final String content, final int bufferBytes, final int chunk) throws IOException
    {
        // A stream that returns at most chunk bytes per read, as a pipe or gzip stream may.
        final ByteArrayInputStream in = new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1))
        {
            @Override
            public synchronized int read(final byte[] b, final int off, final int len)
            {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        final List<String> lines = new ArrayList<>();
        try (LineReader reader = new LineReader(Channels.newChannel(in), bufferBytes))
        {
            while (reader.next() == LineReader.LINE)
            {
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
            assertThat(read(content.toString(), buffer, random.nextInt(1, 100)))
                .as("seed %d, round %d", seed, round).isEqualTo(expected);
        }
    }
}
