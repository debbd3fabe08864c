package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The documented header-based format, read flat out.
 */
@Timeout(30)
class CsvSourceTest
{
    private static final long JAN_2_2024_NS = 1_704_153_600_000_000_000L;

    @TempDir
    Path dir;

    private final InstrumentRegistry registry = new InstrumentRegistry();

    private static long ns(final String iso)
    {
        final Instant instant = Instant.parse(iso);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    @Test
    void shouldReadQuotesAndTradesWithValuesExactlyAsInTheFile()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "# recorded 2024-01-02",
            "timestamp,symbol,type,bid,bid_size,ask,ask_size,price,size,side,trade_id",
            "2024-01-02T00:00:00.123456789Z,EURUSD,Q,1.10415,1000000,1.10421,2000000,,,,",
            "2024-01-02T00:00:00.2Z,EURUSD,T,,,,,1.10418,500000,B,77",
            "",
            "2024-01-02T01:00:00.000000001+01:00,USDJPY,quote,141.5,3,141.512,4,,,,",
            "2024-01-02T00:00:01-05:30,USDJPY,trade,,,,,141.506,1,sell,",
            "2024-01-02T00:00:02Z,EURUSD,t,,,,,0.000000001,9223372036854775807,x,");

        final List<Update> updates = CsvFiles.replay(CsvConfiguration.defaults(file), registry);

        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD", "USDJPY");
        assertThat(updates).containsExactly(
            Update.quote(0, 1_104_150_000L, 1_000_000, 1_104_210_000L, 2_000_000, JAN_2_2024_NS + 123_456_789),
            Update.trade(0, AggressorSide.BUY, 1_104_180_000L, 500_000, 77, JAN_2_2024_NS + 200_000_000),
            Update.quote(1, 141_500_000_000L, 3, 141_512_000_000L, 4, JAN_2_2024_NS + 1),
            Update.trade(1, AggressorSide.SELL, 141_506_000_000L, 1, 1, ns("2024-01-02T05:30:01Z")),
            Update.trade(0, AggressorSide.UNKNOWN, 1, Long.MAX_VALUE, 78, ns("2024-01-02T00:00:02Z")));
    }

    @Test
    void shouldReadOneSidedQuotesWithEmptySizesAsZero()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "timestamp,symbol,bid,bid_size,ask,ask_size",
            "2024-01-02T00:00:00Z,EURUSD,1.1,5,,",
            "2024-01-02T00:00:00Z,EURUSD,,,1.2,",
            "2024-01-02T00:00:00Z,EURUSD,1.1,,1.2,7");

        final List<Update> updates = CsvFiles.replay(CsvConfiguration.defaults(file), registry);

        assertThat(updates).containsExactly(
            Update.quote(0, 1_100_000_000L, 5, WireFormat.NULL_PRICE, 0, JAN_2_2024_NS),
            Update.quote(0, WireFormat.NULL_PRICE, 0, 1_200_000_000L, 0, JAN_2_2024_NS),
            Update.quote(0, 1_100_000_000L, 0, 1_200_000_000L, 7, JAN_2_2024_NS));
    }

    @Test
    void shouldTakeColumnsInAnyOrderAndAnyCase()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "Ask, SYMBOL ,TimeStamp,Bid",
            "1.2,EURUSD,2024-01-02T00:00:00Z,1.1");

        assertThat(CsvFiles.replay(CsvConfiguration.defaults(file), registry)).containsExactly(
            Update.quote(0, 1_100_000_000L, 0, 1_200_000_000L, 0, JAN_2_2024_NS));
    }

    @Test
    void shouldReadTradeOnlyFilesAndNumberMissingTradeIdsPerInstrument()
    {
        final Path file = CsvFiles.lines(dir, "trades.csv",
            "timestamp,symbol,price,size,side",
            "2024-01-02T00:00:00Z,AAA,10,1,B",
            "2024-01-02T00:00:00Z,BBB,20,2,S",
            "2024-01-02T00:00:00Z,AAA,11,3,");

        assertThat(CsvFiles.replay(CsvConfiguration.defaults(file), registry)).containsExactly(
            Update.trade(0, AggressorSide.BUY, 10_000_000_000L, 1, 1, JAN_2_2024_NS),
            Update.trade(1, AggressorSide.SELL, 20_000_000_000L, 2, 1, JAN_2_2024_NS),
            Update.trade(0, AggressorSide.UNKNOWN, 11_000_000_000L, 3, 2, JAN_2_2024_NS));
    }

    @Test
    void shouldReadEpochTimestampsInTheConfiguredUnit()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "timestamp,symbol,bid,ask",
            "1704153600123,EURUSD,1.1,1.2",
            "1704153600123.456789,EURUSD,1.1,1.2");

        final CsvConfiguration ms = CsvConfiguration.defaults(file).withEpochUnit(CsvConfiguration.EpochUnit.MS);

        assertThat(CsvFiles.replay(ms, registry)).extracting(Update::timestampNs)
            .containsExactly(JAN_2_2024_NS + 123_000_000, JAN_2_2024_NS + 123_456_789);
    }

    @Test
    void shouldReadEpochNanosecondsByDefault()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "timestamp,symbol,bid,ask",
            "1704153600123456789,EURUSD,1.1,1.2");

        assertThat(CsvFiles.replay(CsvConfiguration.defaults(file), registry)).extracting(Update::timestampNs)
            .containsExactly(JAN_2_2024_NS + 123_456_789);
    }

    @Test
    void shouldStopAfterTheCount()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "timestamp,symbol,bid,ask",
            "2024-01-02T00:00:00Z,A,1,2",
            "2024-01-02T00:00:01Z,B,1,2",
            "2024-01-02T00:00:02Z,C,1,2");

        try (CsvSource source = new CsvSource(CsvConfiguration.defaults(file).withMaxUpdates(2), registry))
        {
            final RecordingSink sink = new RecordingSink();
            assertThat(source.poll(sink, 1024, 0)).isEqualTo(2);
            assertThat(source.isExhausted()).isTrue();
            assertThat(source.poll(sink, 1024, 0)).isZero();
            assertThat(sink.updates).extracting(Update::instrumentId).containsExactly(0, 1);
        }
    }

    @Test
    void shouldHonourThePollLimit()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "timestamp,symbol,bid,ask",
            "2024-01-02T00:00:00Z,A,1,2",
            "2024-01-02T00:00:01Z,A,1,2",
            "2024-01-02T00:00:02Z,A,1,2");

        try (CsvSource source = new CsvSource(CsvConfiguration.defaults(file), registry))
        {
            final RecordingSink sink = new RecordingSink();
            assertThat(source.poll(sink, 2, 0)).isEqualTo(2);
            assertThat(source.isExhausted()).isFalse();
            assertThat(source.poll(sink, 2, 0)).isEqualTo(1);
            assertThat(source.poll(sink, 2, 0)).isZero();
            assertThat(source.isExhausted()).isTrue();
        }
    }

    @Test
    void shouldReadCrLfLinesAndALastLineWithoutNewline()
    {
        final Path lf = CsvFiles.write(dir, "lf.csv",
            "timestamp,symbol,bid,ask\n2024-01-02T00:00:00Z,A,1,2\n2024-01-02T00:00:01Z,B,3,\n");
        final Path crlf = CsvFiles.write(dir, "crlf.csv",
            "timestamp,symbol,bid,ask\r\n2024-01-02T00:00:00Z,A,1,2\r\n\r\n2024-01-02T00:00:01Z,B,3,");

        final List<Update> expected = CsvFiles.replay(CsvConfiguration.defaults(lf), new InstrumentRegistry());

        assertThat(expected).hasSize(2);
        assertThat(CsvFiles.replay(CsvConfiguration.defaults(crlf), registry)).isEqualTo(expected);
    }

    @Test
    void shouldReadLinesThatSpanBufferRefills()
    {
        final StringBuilder content = new StringBuilder("timestamp,symbol,bid,bid_size,ask,ask_size\n");
        for (int i = 0; i < 500; i++)
        {
            content.append("2024-01-02T00:00:").append(String.format("%02d", i % 60)).append('.').append(i)
                .append("Z,SYM").append(i % 7).append(',').append(i).append('.').append(i % 10).append(',')
                .append(i * 3).append(',').append(i + 1).append(".5,").append(i % 2 == 0 ? "" : "9").append('\n');
        }
        final Path file = CsvFiles.write(dir, "ticks.csv", content.toString());
        final List<Update> expected = CsvFiles.replay(CsvConfiguration.defaults(file), new InstrumentRegistry());

        for (int bufferBytes = 60; bufferBytes < 140; bufferBytes += 7)
        {
            assertThat(CsvFiles.replay(CsvConfiguration.defaults(file).withBufferBytes(bufferBytes),
                new InstrumentRegistry())).as("buffer of %d bytes", bufferBytes).isEqualTo(expected);
        }
        assertThat(expected).hasSize(500);
    }

    @Test
    void shouldReadQuotedFieldsAndSkipAByteOrderMark()
    {
        final Path file = CsvFiles.write(dir, "ticks.csv",
            "\uFEFF\"timestamp\",\"symbol\",\"bid\",\"ask\"\n\"2024-01-02T00:00:00Z\", \"EUR,USD\" ,\"1.1\",\"\"\n"
                .replace("\uFEFF", new String(new byte[]{(byte)0xEF, (byte)0xBB, (byte)0xBF},
                    StandardCharsets.ISO_8859_1)));

        assertThat(CsvFiles.replay(CsvConfiguration.defaults(file), registry)).containsExactly(
            Update.quote(0, 1_100_000_000L, 0, WireFormat.NULL_PRICE, 0, JAN_2_2024_NS));
        assertThat(registry.get(0).symbol()).isEqualTo("EUR,USD");
    }

    @Test
    void shouldReadGzipFiles() throws IOException
    {
        final Path file = dir.resolve("ticks.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            out.write("timestamp,symbol,bid,ask\n2024-01-02T00:00:00Z,EURUSD,1.1,1.2\n"
                .getBytes(StandardCharsets.US_ASCII));
        }

        assertThat(CsvFiles.replay(CsvConfiguration.defaults(file), registry)).containsExactly(
            Update.quote(0, 1_100_000_000L, 0, 1_200_000_000L, 0, JAN_2_2024_NS));
    }

    @Test
    void shouldRegisterSymbolsInOrderOfFirstAppearance()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "timestamp,symbol,bid,ask",
            "2024-01-02T00:00:00Z,GBPUSD,1,2",
            "2024-01-02T00:00:00Z,EUR/USD,1,2",
            "2024-01-02T00:00:00Z,GBPUSD,1,2",
            "2024-01-02T00:00:00Z,AUDUSD,1,2");

        assertThat(CsvFiles.replay(CsvConfiguration.defaults(file), registry)).extracting(Update::instrumentId)
            .containsExactly(0, 1, 0, 2);
        assertThat(registry.instruments()).extracting(i -> i.symbol())
            .containsExactly("GBPUSD", "EUR/USD", "AUDUSD");
    }

    @Test
    void shouldReportLinesReadAndNoBadLinesInStatistics()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "timestamp,symbol,bid,ask",
            "# a comment",
            "2024-01-02T00:00:00Z,EURUSD,1.1,1.2");

        try (CsvSource source = new CsvSource(CsvConfiguration.defaults(file), registry))
        {
            CsvFiles.drain(source, new RecordingSink());
            final Map<String, Object> statistics = source.statistics();
            assertThat(statistics).containsEntry("linesRead", 3L).containsEntry("badLines", 0L)
                .containsEntry("speed", "max").doesNotContainKey("firstBadLine");
            assertThat(source.name()).isEqualTo("csv");
        }
    }

    @Test
    void shouldRejectAnUnknownColumnNamingFileAndLine()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "# comment first",
            "timestamp,symbol,bid,venue",
            "2024-01-02T00:00:00Z,EURUSD,1.1,X");

        assertThatThrownBy(() -> new CsvSource(CsvConfiguration.defaults(file), registry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(file + ":2: header: unknown column 'venue' (known: timestamp, time, symbol")
            .hasMessageNotContaining("\n");
    }

    @Test
    void shouldRejectAHeaderWithoutRequiredColumns()
    {
        assertHeaderRejected("symbol,bid,ask", "no 'timestamp' column");
        assertHeaderRejected("timestamp,bid,ask", "no 'symbol' column");
        assertHeaderRejected("timestamp,symbol,bid_size", "column 'bid_size' needs a 'bid' column");
        assertHeaderRejected("timestamp,symbol,price", "column 'price' needs a 'size' column");
        assertHeaderRejected("timestamp,symbol,side", "column 'side' needs a 'price' column");
        assertHeaderRejected("timestamp,symbol", "no price columns");
        assertHeaderRejected("timestamp,symbol,bid,price,size", "no 'type' column to tell quotes from trades");
        assertHeaderRejected("timestamp,symbol,bid,BID", "column 'bid' appears twice");
        assertHeaderRejected("timestamp,symbol,,bid", "column 3 has no name");
    }

    private void assertHeaderRejected(final String header, final String reason)
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv", header);
        assertThatThrownBy(() -> new CsvSource(CsvConfiguration.defaults(file), new InstrumentRegistry()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith(file + ":1: header: ")
            .hasMessageContaining(reason);
    }

    @Test
    void shouldRejectAMissingEmptyOrUnreadableFile()
    {
        final Path missing = dir.resolve("missing.csv");
        assertThatThrownBy(() -> new CsvSource(CsvConfiguration.defaults(missing), registry))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("--file " + missing + ": no such file");
        assertThatThrownBy(() -> new CsvSource(CsvConfiguration.defaults(dir), registry))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("--file " + dir + ": not a regular file");
        final Path empty = CsvFiles.write(dir, "empty.csv", "");
        assertThatThrownBy(() -> new CsvSource(CsvConfiguration.defaults(empty), registry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("--file " + empty + ": no header line");
        final Path notGzip = CsvFiles.write(dir, "plain.csv.gz", "timestamp,symbol,bid\n");
        assertThatThrownBy(() -> new CsvSource(CsvConfiguration.defaults(notGzip), registry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("--file " + notGzip + ": cannot be read: ");
    }

    @Test
    void shouldBeExhaustedAtOnceForAFileWithOnlyAHeader()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv", "timestamp,symbol,bid,ask");

        try (CsvSource source = new CsvSource(CsvConfiguration.defaults(file), registry))
        {
            assertThat(source.poll(new RecordingSink(), 1024, 0)).isZero();
            assertThat(source.isExhausted()).isTrue();
        }
    }
}
