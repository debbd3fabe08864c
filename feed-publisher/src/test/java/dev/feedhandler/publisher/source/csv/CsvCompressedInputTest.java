package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Compressed and piped input read as streams: gzip files, the entries of a zip archive (each an input of the merge,
 * named {@code archive.zip!entry}), standard input (plain or gzip) that delivers lines while the replay runs; and
 * errors in them: a malformed line inside a zip entry under both policies, a truncated gzip file.
 */
@Timeout(60)
class CsvCompressedInputTest
{
    private static final long BASE_NS = 1_767_312_000_000_000_000L;
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final InstrumentRegistry registry = new InstrumentRegistry();

    private static byte[] ascii(final String... lines)
    {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(final byte[] content) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes))
        {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private Path zip(final String name, final Map<String, byte[]> entries) throws IOException
    {
        final Path file = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file)))
        {
            for (final Map.Entry<String, byte[]> entry : entries.entrySet())
            {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    private static CsvConfiguration.Builder histData(final String... files)
    {
        return CsvConfiguration.builder().format(CsvFormat.HISTDATA).files(Arrays.asList(files))
            .symbolFromName(CsvConfiguration.DEFAULT_SYMBOL_PATTERN).speed(CsvConfiguration.MAX_SPEED);
    }

    @Test
    void shouldReadAGzipFileAsTheSameTicksAsThePlainFile() throws IOException
    {
        final byte[] content = ascii("20260101 190000000,1.10001,1.10002,0", "20260101 190000001,1.10003,1.10004,0");
        final Path plain = Files.write(dir.resolve("EURUSD.csv"), content);
        final Path compressed = Files.write(dir.resolve("GBPUSD.csv.gz"), gzip(content));

        final List<Update> fromPlain = CsvFiles.replay(histData(plain.toString()).build(), registry);
        final List<Update> fromGzip = CsvFiles.replay(histData(compressed.toString()).build(), registry);

        assertThat(fromPlain).hasSize(2);
        assertThat(fromGzip).extracting(Update::timestampNs, Update::bidPrice)
            .isEqualTo(fromPlain.stream().map(u -> org.assertj.core.groups.Tuple.tuple(u.timestampNs(), u.bidPrice()))
                .toList());
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD", "GBPUSD");
    }

    @Test
    void shouldMergeTheCsvEntriesOfAZipArchiveAndSkipTheOthers() throws IOException
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("DAT_ASCII_EURUSD_T_202601.csv", ascii("20260101 190000000,1.1,1.2,0",
            "20260101 190000002,1.1,1.2,0"));
        entries.put("DAT_ASCII_EURUSD_T_202601.txt", ascii("HistData.com (c) 2026", "Gap of 125s found"));
        entries.put("2026/GBPUSD.csv", ascii("20260101 190000001,1.3,1.4,0"));
        final Path archive = zip("HISTDATA_COM_ASCII_T202601.zip", entries);

        try (CsvSource source = new CsvSource(histData(archive.toString()).build(), registry))
        {
            assertThat(source.inputNames()).containsExactly(archive + "!DAT_ASCII_EURUSD_T_202601.csv",
                archive + "!2026/GBPUSD.csv");
            assertThat(CsvFiles.drain(source, new RecordingSink())).extracting(Update::instrumentId,
                Update::timestampNs).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(0, BASE_NS),
                    org.assertj.core.groups.Tuple.tuple(1, BASE_NS + MS),
                    org.assertj.core.groups.Tuple.tuple(0, BASE_NS + 2 * MS));
        }
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD", "GBPUSD");
    }

    @Test
    void shouldTakeTheSymbolFromTheArchiveNameWhenTheEntryNameHasNone() throws IOException
    {
        final Path archive = zip("USDJPY_2026.zip", Map.of("ticks.csv", ascii("20260101 190000000,157.1,157.2,0")));

        CsvFiles.replay(histData(archive.toString()).build(), registry);

        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("USDJPY");
    }

    @Test
    void shouldRejectAZipWithoutAMatchingEntryListingWhatItHolds() throws IOException
    {
        final Path archive = zip("EURUSD.zip", Map.of("readme.txt", ascii("hello")));

        assertThatThrownBy(() -> new CsvSource(histData(archive.toString()).build(), registry).close())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--file " + archive + ": no entry matches --zip-entries '*.csv' (it holds readme.txt)");
        assertThat(CsvFiles.replay(histData(archive.toString()).zipEntries("*.txt").onBadLine(
            CsvConfiguration.OnBadLine.SKIP).build(), registry)).isEmpty();
    }

    @Test
    void shouldNameArchiveEntryAndLineOfABadLineInsideAZipUnderBothPolicies() throws IOException
    {
        final Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("EURUSD.csv", ascii("20260101 190000000,1.1,1.2,0", "20260101 190000002,1.1,1.2,0"));
        entries.put("GBPUSD.csv", ascii("20260101 190000001,1.3,1.4,0", "", "20260101 190000003,1.3x,1.4,0",
            "20260101 190000004,1.3,1.4,0"));
        final Path archive = zip("ticks.zip", entries);
        final String where = archive + "!GBPUSD.csv:3: ";
        final String reason = "bid '1.3x' is not a decimal number";

        try (CsvSource source = new CsvSource(histData(archive.toString()).build(), registry))
        {
            final RecordingSink sink = new RecordingSink();
            assertThatThrownBy(() -> CsvFiles.drain(source, sink))
                .isInstanceOf(PriceSource.SourceException.class)
                .hasMessage(where + reason);
            assertThat(sink.updates).extracting(Update::timestampNs).as("what came before it")
                .containsExactly(BASE_NS, BASE_NS + MS);
            assertThat(source.statistics()).containsEntry("badLines", 1L).containsEntry("firstBadLine", where + reason);
        }

        try (CsvSource source = new CsvSource(histData(archive.toString()).onBadLine(CsvConfiguration.OnBadLine.SKIP)
            .build(), registry))
        {
            assertThat(CsvFiles.drain(source, new RecordingSink())).extracting(Update::timestampNs)
                .containsExactly(BASE_NS, BASE_NS + MS, BASE_NS + 2 * MS, BASE_NS + 4 * MS);
            assertThat(source.statistics()).containsEntry("badLines", 1L).containsEntry("firstBadLine", where + reason)
                .containsEntry("files", 2).containsEntry("linesRead", 6L);
        }
    }

    @Test
    void shouldReportATruncatedGzipFileWithItsNameWhenTheReplayReachesTheDamage() throws IOException
    {
        final StringBuilder content = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            content.append("20260101 19").append(String.format("%07d", i)).append(",1.1,1.2,0\n");
        }
        final byte[] whole = gzip(content.toString().getBytes(StandardCharsets.US_ASCII));
        final Path truncated = Files.write(dir.resolve("EURUSD.csv.gz"), Arrays.copyOf(whole, whole.length / 2));
        final Path notGzip = Files.write(dir.resolve("GBPUSD.csv.gz"), ascii("20260101 190000000,1.1,1.2,0"));

        try (CsvSource source = new CsvSource(histData(truncated.toString()).build(), registry))
        {
            final RecordingSink sink = new RecordingSink();
            assertThatThrownBy(() -> CsvFiles.drain(source, sink))
                .isInstanceOf(PriceSource.SourceException.class)
                .hasMessageStartingWith(truncated + ":")
                .hasMessageContaining(": read failed: java.io.EOFException: Unexpected end of ZLIB input stream")
                .hasMessageNotContaining("\n");
            assertThat(sink.updates).isNotEmpty();
        }
        assertThatThrownBy(() -> new CsvSource(histData(notGzip.toString()).build(), registry).close())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--file " + notGzip + ": cannot be read: Not in GZIP format");
    }

    @Test
    void shouldPublishLinesFromStandardInputAsTheyArriveAndEndAtTheEndOfInput() throws IOException
    {
        final PipedOutputStream writer = new PipedOutputStream();
        final InputStream stdin = new PipedInputStream(writer, 1 << 16);
        final CsvConfiguration configuration = CsvConfiguration.builder().format(CsvFormat.TRUEFX)
            .file(CsvConfiguration.STDIN).speed(CsvConfiguration.MAX_SPEED).build();
        final RecordingSink sink = new RecordingSink();
        try (CsvSource source = new CsvSource(configuration, registry, stdin))
        {
            assertThat(source.inputNames()).containsExactly("stdin");
            // Nothing has arrived: poll hands over nothing and returns, it does not wait on the pipe.
            assertThat(source.poll(sink, 100, 0)).isZero();

            writer.write(ascii("EUR/USD,20260102 00:00:00.000,1.1,1.2"));
            writer.flush();
            await().until(() -> source.poll(sink, 100, 0) >= 0 && sink.updates.size() == 1);
            assertThat(source.isExhausted()).isFalse();

            writer.write(ascii("USD/JPY,20260102 00:00:00.001,157.1,157.2", "EUR/USD,20260102 00:00:00.002,1.1,1.2"));
            writer.close();
            await().until(() -> source.poll(sink, 100, 0) >= 0 && source.isExhausted());
            assertThat(sink.updates).extracting(Update::instrumentId, Update::timestampNs).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, BASE_NS),
                org.assertj.core.groups.Tuple.tuple(1, BASE_NS + MS),
                org.assertj.core.groups.Tuple.tuple(0, BASE_NS + 2 * MS));
            assertThat(source.statistics()).containsEntry("file", "stdin").containsEntry("linesRead", 3L);
        }
    }

    @Test
    void shouldInflateGzipOnStandardInputAndNameItStdinInErrors() throws IOException
    {
        final InputStream stdin = new java.io.ByteArrayInputStream(gzip(ascii(
            "EUR/USD,20260102 00:00:00.000,1.1,1.2", "EUR/USD,20260102 00:00:00.001,1.1,oops")));
        final CsvConfiguration configuration = CsvConfiguration.builder().format(CsvFormat.TRUEFX)
            .file(CsvConfiguration.STDIN).speed(CsvConfiguration.MAX_SPEED).build();

        try (CsvSource source = new CsvSource(configuration, registry, stdin))
        {
            final RecordingSink sink = new RecordingSink();
            assertThatThrownBy(() -> CsvFiles.drain(source, sink))
                .hasMessage("stdin:2: ask 'oops' is not a decimal number");
            assertThat(sink.updates).hasSize(1);
        }
    }
}
