package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Malformed lines under both {@code --on-bad-line} policies.
 */
@Timeout(30)
class CsvBadLineTest
{
    private static final String HEADER = "timestamp,symbol,type,bid,ask,price,size,side,trade_id";
    private static final String GOOD = "2024-01-02T00:00:00Z,EURUSD,Q,1.1,1.2,,,,";

    @TempDir
    Path dir;

    private final InstrumentRegistry registry = new InstrumentRegistry();

    static Stream<Arguments> badLines()
    {
        return Stream.of(
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,Q,1.1x,1.2,,,,", "bid '1.1x' is not a decimal number"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,Q,1.1,1.0000000001,,,,",
                "ask '1.0000000001' has more than 9 decimal places"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,Q,99999999999,1,,,,", "bid '99999999999' is out of range"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,Q,1.1,1.2,,", "has 7 fields, expected 9"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,Q,1.1,1.2,,,,,", "has more than 9 fields"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,Q,,,,,,", "quote has neither bid nor ask"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,X,1.1,1.2,,,,", "type 'X' is not Q, quote, T or trade"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,T,,,,5,B,", "trade has no price"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,T,,,1.1,,B,", "trade has no size"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,T,,,1.1,1.5,B,", "size '1.5' is not a whole number"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,T,,,1.1,5,B,A7", "trade_id 'A7' is not a whole number"),
            Arguments.of("2024-13-02T00:00:01Z,EURUSD,Q,1.1,1.2,,,,",
                "timestamp '2024-13-02T00:00:01Z' is not a valid date and time"),
            Arguments.of("1969-12-31T23:59:59Z,EURUSD,Q,1.1,1.2,,,,",
                "timestamp '1969-12-31T23:59:59Z' is before 1970 or after 2262"),
            Arguments.of("yesterday,EURUSD,Q,1.1,1.2,,,,", "timestamp 'yesterday' is not ISO-8601 " +
                "(such as 2024-01-02T00:00:00.123Z) or a number of epoch ns"),
            Arguments.of(",EURUSD,Q,1.1,1.2,,,,", "timestamp is empty"),
            Arguments.of("2024-01-02T00:00:01Z,,Q,1.1,1.2,,,,", "symbol is empty"),
            Arguments.of("2024-01-02T00:00:01Z,EUR USD,Q,1.1,1.2,,,,",
                "symbol 'EUR USD' is not 1 to 64 printable ASCII characters without spaces"),
            Arguments.of("2024-01-02T00:00:01Z,\"EURUSD,Q,1.1,1.2,,,,", "field 2 has no closing quote"),
            Arguments.of("2024-01-02T00:00:01Z,EURUSD,Q,1.1,1.2\u0007,,,,", "ask '1.2?' is not a decimal number"));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void shouldFailWithFileLineAndReasonOnOneLine(final String line, final String reason)
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv", HEADER, GOOD, line, GOOD);

        try (CsvSource source = new CsvSource(CsvConfiguration.defaults(file), registry))
        {
            final RecordingSink sink = new RecordingSink();
            assertThatThrownBy(() -> source.poll(sink, 1024, 0))
                .isInstanceOf(PriceSource.SourceException.class)
                .hasMessage(file + ":3: " + reason);
            assertThat(sink.updates).as("the good line before").hasSize(1);
            assertThat(source.badLines()).isEqualTo(1);
            assertThat(source.statistics()).containsEntry("firstBadLine", file + ":3: " + reason);
            assertThat(registry.size()).as("nothing registered from a bad line").isEqualTo(1);
        }
    }

    @Test
    void shouldSkipBadLinesCountThemAndStillDeliverTheGoodOnes()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            HEADER,
            GOOD,
            "2024-01-02T00:00:01Z,EURUSD,Q,1.1x,1.2,,,,",
            "2024-01-02T00:00:02Z,GBPUSD,Q,1.3,,,,,",
            "garbage",
            "2024-01-02T00:00:03Z,EUR USD,Q,1.1,1.2,,,,",
            "2024-01-02T00:00:04Z,USDJPY,T,,,141.5,1000,S,12");
        final CsvConfiguration skip = CsvConfiguration.defaults(file)
            .withOnBadLine(CsvConfiguration.OnBadLine.SKIP);

        try (CsvSource source = new CsvSource(skip, registry))
        {
            final RecordingSink sink = new RecordingSink();
            CsvFiles.drain(source, sink);

            assertThat(sink.updates).extracting(Update::instrumentId).containsExactly(0, 1, 2);
            assertThat(registry.instruments()).extracting(i -> i.symbol())
                .containsExactly("EURUSD", "GBPUSD", "USDJPY");
            assertThat(source.badLines()).isEqualTo(3);
            assertThat(source.linesRead()).isEqualTo(7);
            assertThat(source.statistics())
                .containsEntry("linesRead", 7L)
                .containsEntry("badLines", 3L)
                .containsEntry("firstBadLine", file + ":3: bid '1.1x' is not a decimal number");
        }
    }

    @Test
    void shouldTreatALineLongerThanTheBufferAsBadAndKeepCountingLines()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            HEADER,
            GOOD,
            "2024-01-02T00:00:01Z,EURUSD,Q,1.1,1.2,,,," + "x".repeat(300),
            GOOD,
            "2024-01-02T00:00:01Z,EURUSD,Q,bad,1.2,,,,");
        final CsvConfiguration skip = CsvConfiguration.defaults(file).withBufferBytes(64)
            .withOnBadLine(CsvConfiguration.OnBadLine.SKIP);

        try (CsvSource source = new CsvSource(skip, registry))
        {
            final RecordingSink sink = new RecordingSink();
            CsvFiles.drain(source, sink);

            assertThat(sink.updates).hasSize(2);
            assertThat(source.badLines()).isEqualTo(2);
            assertThat(source.firstBadLine()).isEqualTo(file + ":3: line is longer than the read buffer (64 bytes)");
            assertThat(source.linesRead()).isEqualTo(5);
        }
        try (CsvSource source = new CsvSource(skip.withOnBadLine(CsvConfiguration.OnBadLine.FAIL), registry))
        {
            final RecordingSink sink = new RecordingSink();
            assertThatThrownBy(() -> CsvFiles.drain(source, sink))
                .hasMessage(file + ":3: line is longer than the read buffer (64 bytes)");
        }
    }

    @Test
    void shouldKeepLongValuesOutOfTheMessage()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv", HEADER, "2024-01-02T00:00:01Z,EURUSD,Q," +
            "x" + "1".repeat(100) + ",1.2,,,,");

        try (CsvSource source = new CsvSource(CsvConfiguration.defaults(file), registry))
        {
            assertThatThrownBy(() -> source.poll(new RecordingSink(), 1024, 0))
                .hasMessage(file + ":2: bid 'x" + "1".repeat(39) + "...' is not a decimal number");
        }
    }
}
