package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Headerless vendor exports read through {@code --columns} and {@code --time-pattern}.
 */
@Timeout(30)
class CsvVendorFormatTest
{
    private static final long JAN_2_2024_NS = 1_704_153_600_000_000_000L;
    private static final ZoneId UTC = ZoneId.of("UTC");

    @TempDir
    Path dir;

    private final InstrumentRegistry registry = new InstrumentRegistry();

    private Path trueFxStyleFile()
    {
        return CsvFiles.lines(dir, "EURUSD-2024-01.csv",
            "EUR/USD,20240102 00:00:00.123,1.10415,1.10421",
            "EUR/USD,20240102 00:00:00.124,1.10416,1.10421",
            "USD/JPY,20240102 23:59:59.999,141.501,141.512");
    }

    private CsvConfiguration vendor(final Path file)
    {
        return CsvConfiguration.defaults(file)
            .withColumns(CsvConfiguration.parseColumns("symbol,time,bid,ask"), false)
            .withTime("yyyyMMdd HH:mm:ss.SSS", UTC);
    }

    @Test
    void shouldReadAHeaderlessVendorFileThroughTheColumnMappingAndTimePattern()
    {
        final List<Update> updates = CsvFiles.replay(vendor(trueFxStyleFile()), registry);

        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EUR/USD", "USD/JPY");
        assertThat(updates).containsExactly(
            Update.quote(0, 1_104_150_000L, 0, 1_104_210_000L, 0, JAN_2_2024_NS + 123_000_000L),
            Update.quote(0, 1_104_160_000L, 0, 1_104_210_000L, 0, JAN_2_2024_NS + 124_000_000L),
            Update.quote(1, 141_501_000_000L, 0, 141_512_000_000L, 0, JAN_2_2024_NS + 86_399_999_000_000L));
    }

    @Test
    void shouldNormalizeSymbolsWhenAsked()
    {
        final CsvConfiguration configuration = vendor(trueFxStyleFile()).withFields((byte)',', true);

        CsvFiles.replay(configuration, registry);

        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD", "USDJPY");
    }

    @Test
    void shouldNormalizeDifferentSpellingsToOneInstrument()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "eur/usd,20240102 00:00:00.000,1,2",
            "EUR-USD,20240102 00:00:00.000,1,2",
            "Eur_Usd,20240102 00:00:00.000,1,2",
            "EUR.USD,20240102 00:00:00.000,1,2");

        assertThat(CsvFiles.replay(vendor(file).withFields((byte)',', true), registry))
            .extracting(Update::instrumentId).containsExactly(0, 0, 0, 0);
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD");
    }

    @Test
    void shouldReadLocalTimesInTheGivenZone()
    {
        final CsvConfiguration newYork = vendor(trueFxStyleFile()).withTime("yyyyMMdd HH:mm:ss.SSS",
            ZoneId.of("America/New_York"));

        assertThat(CsvFiles.replay(newYork, registry)).extracting(Update::timestampNs)
            .first().isEqualTo(JAN_2_2024_NS + 5 * 3_600_000_000_000L + 123_000_000L);
    }

    @Test
    void shouldSkipAVendorHeaderIgnoreColumnsAndUseAnotherDelimiter()
    {
        final Path file = CsvFiles.lines(dir, "export.tsv",
            "Pair\tVenue\tTime\tBid\tAsk\tBidVolume",
            "GBPUSD\tLMAX\t02.01.2024 00:00:01\t1.27\t1.28\t1500000.00",
            "GBPUSD\tLMAX\t02.01.2024 00:00:02\t1.26\t\t2");
        final CsvConfiguration configuration = CsvConfiguration.defaults(file)
            .withColumns(CsvConfiguration.parseColumns("symbol,-,time,bid,ask,bid_size"), true)
            .withTime("dd.MM.yyyy HH:mm:ss", UTC)
            .withFields((byte)'\t', false);

        assertThat(CsvFiles.replay(configuration, registry)).containsExactly(
            Update.quote(0, 1_270_000_000L, 1_500_000, 1_280_000_000L, 0, JAN_2_2024_NS + 1_000_000_000L),
            Update.quote(0, 1_260_000_000L, 2, WireFormat.NULL_PRICE, 0, JAN_2_2024_NS + 2_000_000_000L));
    }

    @Test
    void shouldFallBackToDateTimeFormatterForOtherPatterns()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "EURUSD,02 Jan 2024 00:00:01.5 +0100,1.1,1.2");
        final CsvConfiguration configuration = CsvConfiguration.defaults(file)
            .withColumns(CsvConfiguration.parseColumns("symbol,time,bid,ask"), false)
            .withTime("dd MMM yyyy HH:mm:ss.S Z", UTC);

        assertThat(CsvFiles.replay(configuration, registry)).extracting(Update::timestampNs)
            .containsExactly(JAN_2_2024_NS - 3_600_000_000_000L + 1_500_000_000L);
    }

    @Test
    void shouldRejectBadMappingsAndPatternsNamingTheFlag()
    {
        final Path file = trueFxStyleFile();
        assertThatThrownBy(() -> new CsvSource(CsvConfiguration.defaults(file)
            .withColumns(CsvConfiguration.parseColumns("symbol,when,bid,ask"), false), registry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("--columns: unknown column 'when'");
        assertThatThrownBy(() -> new CsvSource(CsvConfiguration.defaults(file)
            .withColumns(CsvConfiguration.parseColumns("symbol,bid,ask"), false), registry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--columns: no 'timestamp' column");
        assertThatThrownBy(() -> new CsvSource(vendor(file).withTime("yyyyMMdd HH:mm:ss.SSS{", UTC), registry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("--time-pattern 'yyyyMMdd HH:mm:ss.SSS{' is not a java.time pattern: ");
        assertThatThrownBy(() -> new CsvSource(vendor(file).withTime("HH:mm:ss", UTC), registry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("--time-pattern 'HH:mm:ss' has no date");
    }

    @Test
    void shouldReportATimeThatDoesNotMatchThePattern()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv", "EUR/USD,2024-01-02 00:00:00.123,1.10415,1.10421");

        try (CsvSource source = new CsvSource(vendor(file), registry))
        {
            assertThatThrownBy(() -> source.poll(new RecordingSink(), 10, 0))
                .hasMessage(file + ":1: time '2024-01-02 00:00:00.123' does not match --time-pattern " +
                    "'yyyyMMdd HH:mm:ss.SSS'");
        }
    }
}
