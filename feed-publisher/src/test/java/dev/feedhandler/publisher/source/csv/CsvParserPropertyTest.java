package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random tick files (layouts, delimiters, timestamp forms, quoting, spacing, line endings, blank, comment and
 * bad lines, buffer sizes) written from known values and read back: what comes out must be exactly what went in.
 * The seed is printed; rerun with {@code -Dcsv.seed=...}.
 */
@Timeout(120)
class CsvParserPropertyTest
{
    private static final int ROUNDS = 150;
    private static final long MIN_SECOND = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECOND = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
    private static final byte[] DELIMITERS = {',', ';', '|', '\t'};
    private static final String SYMBOL_CHARS = "ABCDEFXYZabz0189/._-";
    private static final String[] QUOTE_TYPES = {"Q", "q", "quote", "QUOTE", ""};
    private static final String[] TRADE_TYPES = {"T", "t", "trade", "Trade"};
    private static final String[] SIDES = {"B", "b", "buy", "BUY", "S", "s", "sell", "Sell", "", "X", "unknown"};

    @TempDir
    Path dir;

    private SplittableRandom random;

    /** One generated round: the settings, the text of the file, and what a replay must produce. */
    private static final class Round
    {
        final List<Column> columns = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        final List<Update> expected = new ArrayList<>();
        final Map<String, Integer> ids = new LinkedHashMap<>();
        final Map<Integer, Long> lastTradeIds = new HashMap<>();
        boolean quotes;
        boolean trades;
        boolean header;
        boolean headerLine;
        boolean normalize;
        byte delimiter;
        int timeForm;
        EpochUnit unit = EpochUnit.NS;
        String pattern;
        long lines;
        long badLines;
        long firstBadLine;
        List<String> symbols;
    }

    @Test
    void shouldReadBackExactlyWhatWasWritten()
    {
        final long seed = Long.getLong("csv.seed", System.nanoTime());
        System.out.println("CsvParserPropertyTest seed: " + seed + " (rerun with -Dcsv.seed=" + seed + ")");
        random = new SplittableRandom(seed);
        for (int round = 0; round < ROUNDS; round++)
        {
            final Round r = generate();
            final Path file = CsvFiles.write(dir, "round" + round + ".csv", r.text.toString());
            CsvConfiguration configuration = CsvConfiguration.defaults(file)
                .withFields(r.delimiter, r.normalize)
                .withEpochUnit(r.unit)
                .withTime(r.pattern, ZoneId.of("UTC"))
                .withOnBadLine(CsvConfiguration.OnBadLine.SKIP)
                .withBufferBytes(random.nextInt(256, 2048));
            if (!r.header)
            {
                configuration = configuration.withColumns(
                    r.columns.stream().map(c -> c == Column.TIMESTAMP && random.nextBoolean() ? "time" :
                        c.label()).toList(), r.headerLine);
            }
            final InstrumentRegistry registry = new InstrumentRegistry();
            try (CsvSource source = new CsvSource(configuration, registry))
            {
                final List<Update> updates = CsvFiles.drain(source, new RecordingSink());
                final String where = "seed " + seed + ", round " + round + ", file:\n" + r.text;
                assertThat(updates).as(where).isEqualTo(r.expected);
                assertThat(registry.instruments()).as(where).extracting(i -> i.symbol())
                    .containsExactlyElementsOf(r.ids.keySet());
                assertThat(source.badLines()).as(where).isEqualTo(r.badLines);
                assertThat(source.linesRead()).as(where).isEqualTo(r.lines);
                if (r.badLines > 0)
                {
                    assertThat(source.firstBadLine()).as(where).startsWith(file + ":" + r.firstBadLine + ": ");
                }
            }
        }
    }

    private Round generate()
    {
        final Round r = new Round();
        final int mode = random.nextInt(3);
        r.quotes = mode != 1;
        r.trades = mode != 0;
        r.columns.add(Column.TIMESTAMP);
        r.columns.add(Column.SYMBOL);
        if (mode == 2 || random.nextBoolean())
        {
            r.columns.add(Column.TYPE);
        }
        if (r.quotes)
        {
            final int sides = random.nextInt(3);
            if (sides != 1)
            {
                r.columns.add(Column.BID);
                if (random.nextBoolean())
                {
                    r.columns.add(Column.BID_SIZE);
                }
            }
            if (sides != 0)
            {
                r.columns.add(Column.ASK);
                if (random.nextBoolean())
                {
                    r.columns.add(Column.ASK_SIZE);
                }
            }
        }
        if (r.trades)
        {
            r.columns.add(Column.PRICE);
            r.columns.add(Column.SIZE);
            if (random.nextBoolean())
            {
                r.columns.add(Column.SIDE);
            }
            if (random.nextBoolean())
            {
                r.columns.add(Column.TRADE_ID);
            }
        }
        for (int i = random.nextInt(3); i > 0; i--)
        {
            r.columns.add(Column.IGNORE);
        }
        shuffle(r.columns);

        r.delimiter = DELIMITERS[random.nextInt(DELIMITERS.length)];
        r.normalize = random.nextBoolean();
        r.header = random.nextBoolean();
        r.headerLine = !r.header && random.nextBoolean();
        r.timeForm = random.nextInt(4);
        if (r.timeForm == 1)
        {
            r.unit = EpochUnit.values()[random.nextInt(4)];
        }
        else if (r.timeForm == 2)
        {
            r.pattern = "yyyyMMdd HH:mm:ss.SSS";
        }
        else if (r.timeForm == 3)
        {
            r.pattern = "dd/MM/yyyy HH:mm:ss.SSSSSS";
        }
        r.symbols = new ArrayList<>();
        for (int i = random.nextInt(1, 6); i > 0; i--)
        {
            r.symbols.add(symbol());
        }

        final String newline = random.nextBoolean() ? "\r\n" : "\n";
        final char d = (char)r.delimiter;
        if (r.header)
        {
            comments(r, newline);
            final List<String> names = new ArrayList<>();
            for (final Column column : r.columns)
            {
                names.add(column == Column.IGNORE ? "-" : random.nextBoolean() ? column.label() :
                    column.label().toUpperCase(Locale.ROOT));
            }
            line(r, String.join(String.valueOf(d), names), newline);
        }
        else if (r.headerLine)
        {
            line(r, "Vendor Header" + d + "# not a comment", newline);
        }

        final int ticks = random.nextInt(0, 60);
        for (int i = 0; i < ticks; i++)
        {
            if (!r.header || i > 0)
            {
                comments(r, newline);
            }
            tick(r, newline);
        }
        if (r.text.length() > 0 && random.nextInt(4) == 0)
        {
            // No newline after the last line.
            r.text.setLength(r.text.length() - newline.length());
        }
        return r;
    }

    private void comments(final Round r, final String newline)
    {
        if (random.nextInt(8) == 0)
        {
            line(r, random.nextBoolean() ? "" : random.nextBoolean() ? "  " : "# comment, with; delimiters|",
                newline);
        }
    }

    private void line(final Round r, final String line, final String newline)
    {
        r.text.append(line).append(newline);
        r.lines++;
    }

    private void tick(final Round r, final String newline)
    {
        final boolean trade = r.trades && (!r.quotes || random.nextBoolean());
        final long second = random.nextLong(MIN_SECOND, MAX_SECOND);
        final int nano = random.nextInt(1_000_000_000);
        final String symbol = r.symbols.get(random.nextInt(r.symbols.size()));
        final String key = r.normalize ? symbol.replaceAll("[/._-]", "").toUpperCase(Locale.ROOT) : symbol;

        final String[] fields = new String[r.columns.size()];
        long timestampNs = 0;
        long bid = WireFormat.NULL_PRICE;
        long ask = WireFormat.NULL_PRICE;
        long bidSize = 0;
        long askSize = 0;
        long price = 0;
        long size = 0;
        AggressorSide side = AggressorSide.UNKNOWN;
        long tradeId = Long.MIN_VALUE;
        final boolean hasBid = r.columns.contains(Column.BID);
        final boolean hasAsk = r.columns.contains(Column.ASK);
        final int emptySide = hasBid && hasAsk ? random.nextInt(4) : 3;
        for (int i = 0; i < fields.length; i++)
        {
            final Column column = r.columns.get(i);
            String value = "";
            switch (column)
            {
                case TIMESTAMP:
                {
                    final long[] ns = new long[1];
                    value = timestamp(r, second, nano, ns);
                    timestampNs = ns[0];
                    break;
                }
                case SYMBOL:
                    value = symbol;
                    break;
                case TYPE:
                    value = trade ? TRADE_TYPES[random.nextInt(TRADE_TYPES.length)] :
                        QUOTE_TYPES[random.nextInt(QUOTE_TYPES.length)];
                    break;
                case BID:
                    if (!trade && emptySide != 0)
                    {
                        bid = randomPrice();
                        value = render(bid);
                    }
                    break;
                case ASK:
                    if (!trade && emptySide != 1)
                    {
                        ask = randomPrice();
                        value = render(ask);
                    }
                    break;
                case BID_SIZE:
                    if (!trade && random.nextInt(4) != 0)
                    {
                        bidSize = random.nextLong(0, 1_000_000_000_000L);
                        value = renderSize(bidSize);
                    }
                    break;
                case ASK_SIZE:
                    if (!trade && random.nextInt(4) != 0)
                    {
                        askSize = random.nextLong(0, 1_000_000_000_000L);
                        value = renderSize(askSize);
                    }
                    break;
                case PRICE:
                    if (trade)
                    {
                        price = randomPrice();
                        value = render(price);
                    }
                    break;
                case SIZE:
                    if (trade)
                    {
                        size = random.nextLong(0, 1_000_000_000_000L);
                        value = renderSize(size);
                    }
                    break;
                case SIDE:
                    if (trade)
                    {
                        value = SIDES[random.nextInt(SIDES.length)];
                        side = value.equalsIgnoreCase("b") || value.equalsIgnoreCase("buy") ? AggressorSide.BUY :
                            value.equalsIgnoreCase("s") || value.equalsIgnoreCase("sell") ? AggressorSide.SELL :
                            AggressorSide.UNKNOWN;
                    }
                    break;
                case TRADE_ID:
                    if (trade && random.nextBoolean())
                    {
                        tradeId = random.nextLong(0, 1_000_000_000_000_000L);
                        value = Long.toString(tradeId);
                    }
                    break;
                default:
                    value = random.nextBoolean() ? "" : "ignored";
                    break;
            }
            fields[i] = decorate(value);
        }

        final int corruption = random.nextInt(12);
        if (corruption == 0)
        {
            fields[r.columns.indexOf(Column.TIMESTAMP)] = "x";
        }
        final String delimiter = String.valueOf((char)r.delimiter);
        String text = String.join(delimiter, fields);
        if (corruption == 1)
        {
            text = String.join(delimiter, Arrays.copyOf(fields, fields.length - 1));
        }
        else if (corruption == 2)
        {
            text = text + delimiter;
        }
        line(r, text, newline);
        if (corruption <= 2)
        {
            r.badLines++;
            if (r.firstBadLine == 0)
            {
                r.firstBadLine = r.lines;
            }
            return;
        }

        Integer id = r.ids.get(key);
        if (id == null)
        {
            id = r.ids.size();
            r.ids.put(key, id);
        }
        if (trade)
        {
            if (tradeId == Long.MIN_VALUE)
            {
                tradeId = r.lastTradeIds.getOrDefault(id, 0L) + 1;
            }
            r.lastTradeIds.put(id, tradeId);
            r.expected.add(Update.trade(id, side, price, size, tradeId, timestampNs));
        }
        else
        {
            r.expected.add(Update.quote(id, bid, bidSize, ask, askSize, timestampNs));
        }
    }

    private String timestamp(final Round r, final long second, final int nano, final long[] ns)
    {
        switch (r.timeForm)
        {
            case 0:
            {
                final int digits = random.nextInt(10);
                final long kept = truncate(nano, digits);
                ns[0] = second * 1_000_000_000L + kept;
                final ZoneOffset offset = random.nextBoolean() ? ZoneOffset.UTC :
                    ZoneOffset.ofTotalSeconds(random.nextInt(-14 * 4, 14 * 4 + 1) * 15 * 60);
                final String local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
                    .format(Instant.ofEpochSecond(second).atOffset(offset));
                final String fraction = digits == 0 ? "" : "." + String.format("%09d", nano).substring(0, digits);
                return local + fraction + (offset.getTotalSeconds() == 0 ? "Z" : offset.getId());
            }
            case 1:
            {
                final long unitNs = r.unit.nanos();
                final long totalNs = second * 1_000_000_000L + nano;
                final long units = totalNs / unitNs;
                final int digits = random.nextInt(r.unit.fractionDigits() + 1);
                final long fraction = truncate(totalNs % unitNs * (1_000_000_000L / unitNs), digits) /
                    (1_000_000_000L / unitNs);
                ns[0] = units * unitNs + fraction;
                final String fractionText = digits == 0 ? "" : "." + String.format("%0" +
                    r.unit.fractionDigits() + "d", fraction).substring(0, digits);
                return units + fractionText;
            }
            case 2:
            {
                final long kept = truncate(nano, 3);
                ns[0] = second * 1_000_000_000L + kept;
                return DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss.SSS").withZone(ZoneOffset.UTC)
                    .format(Instant.ofEpochSecond(second, kept));
            }
            default:
            {
                final long kept = truncate(nano, 6);
                ns[0] = second * 1_000_000_000L + kept;
                return DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC)
                    .format(Instant.ofEpochSecond(second, kept));
            }
        }
    }

    /** Keeps the first digits of a 9-digit nanosecond fraction. */
    private static long truncate(final long nano, final int digits)
    {
        long scale = 1;
        for (int k = digits; k < 9; k++)
        {
            scale *= 10;
        }
        return nano / scale * scale;
    }

    private long randomPrice()
    {
        final int decimals = random.nextInt(10);
        long scale = 1;
        for (int k = decimals; k < 9; k++)
        {
            scale *= 10;
        }
        return random.nextLong(0, 1_000_000L) * 1_000_000_000L + random.nextLong(0, 1_000_000_000L) / scale * scale;
    }

    private String render(final long mantissa)
    {
        String fraction = String.format("%09d", mantissa % 1_000_000_000L);
        final int keep = random.nextInt(10);
        while (fraction.length() > keep && fraction.endsWith("0"))
        {
            fraction = fraction.substring(0, fraction.length() - 1);
        }
        final long units = mantissa / 1_000_000_000L;
        final String whole = (random.nextInt(8) == 0 ? "0" : "") + (units == 0 && !fraction.isEmpty() &&
            random.nextBoolean() ? "" : Long.toString(units));
        return fraction.isEmpty() ? whole : whole + "." + fraction;
    }

    private String renderSize(final long size)
    {
        return size + (random.nextInt(5) == 0 ? "." + "0".repeat(random.nextInt(1, 4)) : "");
    }

    private String decorate(final String value)
    {
        final String quoted = random.nextInt(6) == 0 ? "\"" + value + "\"" : value;
        return (random.nextInt(6) == 0 ? " " : "") + quoted + (random.nextInt(6) == 0 ? " " : "");
    }

    private String symbol()
    {
        final StringBuilder symbol = new StringBuilder();
        symbol.append((char)('A' + random.nextInt(26)));
        for (int i = random.nextInt(0, 10); i > 0; i--)
        {
            symbol.append(SYMBOL_CHARS.charAt(random.nextInt(SYMBOL_CHARS.length())));
        }
        return symbol.toString();
    }

    private <T> void shuffle(final List<T> list)
    {
        for (int i = list.size() - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
