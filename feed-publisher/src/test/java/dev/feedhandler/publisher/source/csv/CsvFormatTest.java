package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code --format} presets on small generated files named as their vendors name them, and the rules that give
 * a file without a symbol column its instrument ({@code --symbol}, {@code --symbol-from-name}).
 */
@Timeout(30)
class CsvFormatTest
{
    /** 2026-01-02T00:00:00Z. */
    private static final long JAN_2_2026_NS = 1_767_312_000_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long EURUSD_BID = 1_104_150_000L;
    private static final long EURUSD_ASK = 1_104_210_000L;

    /** The file name each vendor gives a file of EURUSD ticks. */
    private static final Map<CsvFormat, String> VENDOR_FILE_NAMES = Map.of(
        CsvFormat.FEED, "ticks.csv",
        CsvFormat.TRUEFX, "EURUSD-2026-01.csv",
        CsvFormat.DUKASCOPY, "EURUSD_Ticks_2026.01.02-2026.01.02.csv",
        CsvFormat.HISTDATA, "DAT_ASCII_EURUSD_T_202601.csv",
        CsvFormat.FEED_REPLAY, "replayed.csv");

    @TempDir
    Path dir;

    private final InstrumentRegistry registry = new InstrumentRegistry();

    private List<Update> replay(final CsvFormat format, final Path file, final boolean symbolFromName)
    {
        final CsvConfiguration.Builder builder = CsvConfiguration.builder().format(format).file(file.toString())
            .speed(CsvConfiguration.MAX_SPEED);
        if (symbolFromName)
        {
            builder.symbolFromName(CsvConfiguration.DEFAULT_SYMBOL_PATTERN);
        }
        return CsvFiles.replay(builder.build(), registry);
    }

    private static boolean hasSymbolColumn(final CsvFormat format)
    {
        return format.columns() == null || format.columns().contains("symbol");
    }

    @ParameterizedTest
    @EnumSource(CsvFormat.class)
    void shouldReadEachPresetsExampleAsTheSameEurUsdQuote(final CsvFormat format)
    {
        final Path file = CsvFiles.lines(dir, VENDOR_FILE_NAMES.get(format), format.example().split("\n"));

        final List<Update> updates = replay(format, file, !hasSymbolColumn(format));

        // Sizes as each vendor gives them: none (TrueFX, HistData), whole units, or Dukascopy's millions.
        final long bidSize = switch (format)
        {
            case FEED, FEED_REPLAY -> 1_000_000L;
            case DUKASCOPY -> 2_250_000L;
            default -> 0L;
        };
        final long askSize = switch (format)
        {
            case FEED, FEED_REPLAY -> 2_000_000L;
            case DUKASCOPY -> 1_500_000L;
            default -> 0L;
        };
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD");
        assertThat(updates).containsExactly(
            Update.quote(0, EURUSD_BID, bidSize, EURUSD_ASK, askSize, JAN_2_2026_NS + 123 * MS));
    }

    @Test
    void shouldReadATrueFxFileWithSeveralInstrumentsAsNormalizedSymbols()
    {
        final Path file = CsvFiles.lines(dir, "2026-01.csv",
            "EUR/USD,20260102 00:00:00.123,1.10415,1.10421",
            "USD/JPY,20260102 00:00:00.124,157.101,157.112",
            "EUR/USD,20260102 23:59:59.999,1.10416,1.10422");

        assertThat(replay(CsvFormat.TRUEFX, file, false)).containsExactly(
            Update.quote(0, EURUSD_BID, 0, EURUSD_ASK, 0, JAN_2_2026_NS + 123 * MS),
            Update.quote(1, 157_101_000_000L, 0, 157_112_000_000L, 0, JAN_2_2026_NS + 124 * MS),
            Update.quote(0, 1_104_160_000L, 0, 1_104_220_000L, 0, JAN_2_2026_NS + 86_399_999 * MS));
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD", "USDJPY");
    }

    @Test
    void shouldReadDukascopyVolumesInMillionsAndAFileWithoutItsHeaderLine()
    {
        final Path withHeader = CsvFiles.lines(dir, "GBPUSD_Ticks_2026.01.02-2026.01.02.csv",
            "Time (UTC),Ask,Bid,AskVolume,BidVolume",
            "2026.01.02 00:00:00.123,1.27008,1.27000,0.75,1.2",
            "2026.01.02 00:00:01.000,1.27009,1.27001,0.000001,12.123456");
        final Path withoutHeader = CsvFiles.lines(dir, "USDJPY_Ticks_2026.01.02-2026.01.02.csv",
            "2026.01.02 00:00:00.500,157.112,157.101,3,4");

        assertThat(replay(CsvFormat.DUKASCOPY, withHeader, true)).containsExactly(
            Update.quote(0, 1_270_000_000L, 1_200_000, 1_270_080_000L, 750_000, JAN_2_2026_NS + 123 * MS),
            Update.quote(0, 1_270_010_000L, 12_123_456, 1_270_090_000L, 1, JAN_2_2026_NS + 1_000 * MS));
        assertThat(replay(CsvFormat.DUKASCOPY, withoutHeader, true)).as("a first line that is a tick is read")
            .containsExactly(Update.quote(1, 157_101_000_000L, 4_000_000, 157_112_000_000L, 3_000_000,
                JAN_2_2026_NS + 500 * MS));
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("GBPUSD", "USDJPY");
    }

    @Test
    void shouldReadHistDataTimesAsEasternStandardTimeAllYear()
    {
        // 1 July: EDT (UTC-4) in New York, but HistData keeps EST (UTC-5) all year.
        final Path file = CsvFiles.lines(dir, "DAT_ASCII_USDCHF_T_202607.csv",
            "20260701 120000000,0.88001,0.88012,0");

        assertThat(replay(CsvFormat.HISTDATA, file, true)).extracting(Update::timestampNs)
            .containsExactly(java.time.Instant.parse("2026-07-01T17:00:00Z").getEpochSecond() * 1_000_000_000L);
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("USDCHF");
    }

    @Test
    void shouldLetFlagsOverrideAPreset()
    {
        final Path file = CsvFiles.lines(dir, "EURUSD_Ticks.csv",
            "Time (UTC),Ask,Bid,AskVolume,BidVolume",
            "2026.01.02 00:00:00.123,1.10421,1.10415,1.5,2.25");
        final CsvConfiguration configuration = CsvConfiguration.builder().format(CsvFormat.DUKASCOPY)
            .file(file.toString()).symbol("EURUSD.DUKA").sizeScale(100L).timeZone(java.time.ZoneId.of("+01:00"))
            .speed(CsvConfiguration.MAX_SPEED).build();

        assertThat(CsvFiles.replay(configuration, registry)).containsExactly(
            Update.quote(0, EURUSD_BID, 225, EURUSD_ASK, 150, JAN_2_2026_NS - 3_600_000 * MS + 123 * MS));
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD.DUKA");
    }

    @Test
    void shouldTakeTheSymbolFromTheFirstRunOfSixLettersInTheName()
    {
        for (final String name : List.of("EURUSD-2026-01.csv", "EURUSD_Ticks_2026.01.02-2026.01.02.csv",
            "DAT_ASCII_EURUSD_T_202601.csv", "2026 01 EURUSD ticks.csv"))
        {
            final Path file = CsvFiles.lines(dir, name, "20260101 190000123,1.10415,1.10421,0");
            assertThat(replay(CsvFormat.HISTDATA, file, true)).as(name).extracting(Update::instrumentId)
                .containsExactly(0);
        }
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD");
    }

    @Test
    void shouldTakeTheSymbolFromTheNameWithAGivenPattern()
    {
        final Path file = CsvFiles.lines(dir, "AAPL.XNAS_2026-01-02.csv", "20260101 190000123,187.5,187.51,0");
        final CsvConfiguration configuration = CsvConfiguration.builder().format(CsvFormat.HISTDATA)
            .file(file.toString()).symbolFromName("^([A-Z]+)\\.").speed(CsvConfiguration.MAX_SPEED).build();

        CsvFiles.replay(configuration, registry);

        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("AAPL");
    }

    @Test
    void shouldNameEveryLineOfAFileWithTheSymbolFlag()
    {
        final Path file = CsvFiles.lines(dir, "ticks.csv",
            "timestamp,bid,ask",
            "2026-01-02T00:00:00Z,1.1,1.2",
            "2026-01-02T00:00:01Z,1.1,1.2");
        final CsvConfiguration configuration = CsvConfiguration.defaults(file).toBuilder().symbol("eur/usd")
            .normalizeSymbols(true).build();

        assertThat(CsvFiles.replay(configuration, registry)).extracting(Update::instrumentId).containsExactly(0, 0);
        assertThat(registry.instruments()).extracting(i -> i.symbol()).containsExactly("EURUSD");
    }

    @Test
    void shouldRejectSymbolRulesThatDoNotFitTheFilesWithOneLine()
    {
        final Path noSymbol = CsvFiles.lines(dir, "ticks.csv", "timestamp,bid,ask", "2026-01-02T00:00:00Z,1,2");
        final Path withSymbol = CsvFiles.lines(dir, "EURUSD.csv", "timestamp,symbol,bid,ask",
            "2026-01-02T00:00:00Z,EURUSD,1,2");
        final CsvConfiguration.Builder histData = CsvConfiguration.builder().format(CsvFormat.HISTDATA)
            .speed(CsvConfiguration.MAX_SPEED);

        assertRejected(CsvConfiguration.defaults(noSymbol), noSymbol + ":1: header: no 'symbol' column: name the " +
            "instrument with --symbol SYMBOL or take it from the file name with --symbol-from-name");
        assertRejected(CsvConfiguration.defaults(withSymbol).toBuilder().symbol("X").build(), withSymbol +
            ":1: header: has a 'symbol' column, so --symbol and --symbol-from-name do not apply (they name the " +
            "instrument of a file without one)");
        assertRejected(histData.file(noSymbol.toString()).symbolFromName(CsvConfiguration.DEFAULT_SYMBOL_PATTERN)
            .build(), "--symbol-from-name: no symbol in the name of " + noSymbol + " (the rule: the first run of " +
            "exactly six letters); give a pattern, --symbol-from-name 'REGEX', or --symbol");
        assertRejected(histData.file(noSymbol.toString()).symbolFromName(null).symbol("EUR USD").build(),
            "--symbol 'EUR USD', which is not 1 to 64 printable ASCII characters without spaces");
        assertRejected(histData.file(CsvConfiguration.STDIN).symbol(null)
            .symbolFromName(CsvConfiguration.DEFAULT_SYMBOL_PATTERN).build(), "--symbol-from-name: standard input " +
            "(--file -) has no name to take a symbol from; use --symbol");
        assertThatThrownBy(() -> histData.symbol("A").symbolFromName("B").build())
            .hasMessage("--symbol and --symbol-from-name cannot be used together");
        assertThatThrownBy(() -> histData.symbol(null).symbolFromName("(").build())
            .hasMessageStartingWith("--symbol-from-name '(' is not a regular expression: ")
            .hasMessageNotContaining("\n");
        assertThat(registry.size()).isZero();
    }

    private void assertRejected(final CsvConfiguration configuration, final String message)
    {
        assertThatThrownBy(() -> new CsvSource(configuration, registry, java.io.InputStream.nullInputStream()).close())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

    @Test
    void shouldParseFormatNamesAndRejectOthersNamingTheFlag()
    {
        for (final CsvFormat format : CsvFormat.values())
        {
            assertThat(CsvFormat.parse(format.label().toUpperCase(java.util.Locale.ROOT))).isEqualTo(format);
        }
        assertThatThrownBy(() -> CsvFormat.parse("metastock"))
            .hasMessage("--format must be one of feed, truefx, dukascopy, histdata, feed-replay, was 'metastock'");
    }
}
