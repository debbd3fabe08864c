package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.price.Prices;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.AsciiSequenceView;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Reads one line of a tick file into a quote or a trade, from the bytes: fields split at the delimiter by the
 * {@link FieldSplitter}, prices through {@link Prices#parse} over an {@link AsciiSequenceView}, sizes and integers
 * by the {@link SizeParser}, timestamps by the {@link TimestampParser}, the symbol through the {@link SymbolTable}
 * (or the one symbol of an input without a symbol column). On valid input nothing is allocated; a malformed line
 * throws a {@link BadLineException} that says why. The symbol is looked at last, so that a bad line never registers
 * an instrument.
 */
final class TickParser
{
    /** {@link #tradeId()} of a trade whose line gives no id: the source numbers it. */
    static final long NO_TRADE_ID = Long.MIN_VALUE;

    private final ColumnLayout layout;
    private final TimestampParser timestamps;
    private final SymbolTable symbols;
    private final byte delimiter;
    private final byte[] fixedSymbol;
    private final SizeParser sizes;
    private final UnsafeBuffer bytesView = new UnsafeBuffer(new byte[0]);
    private final AsciiSequenceView text = new AsciiSequenceView();
    private final int[] fieldStarts;
    private final int[] fieldEnds;
    private final int timestampField;
    private final int symbolField;
    private final int typeField;
    private final int bidField;
    private final int bidSizeField;
    private final int askField;
    private final int askSizeField;
    private final int priceField;
    private final int sizeField;
    private final int sideField;
    private final int tradeIdField;
    private byte[] wrapped;
    private int fixedId = SymbolTable.UNKNOWN;

    private boolean trade;
    private long timestampNs;
    private int instrumentId;
    private long bidPrice;
    private long bidSize;
    private long askPrice;
    private long askSize;
    private long price;
    private long size;
    private AggressorSide side;
    private long tradeId;

    /**
     * A parser for one input's layout.
     *
     * @param layout      which field holds which column.
     * @param timestamps  reads the timestamp column.
     * @param symbols     resolves and registers symbols.
     * @param delimiter   the field delimiter.
     * @param fixedSymbol the symbol of every line when the layout has no symbol column, else null; checked by the
     *                    caller ({@link SymbolTable#lookup} is not {@link SymbolTable#INVALID}).
     * @param sizeScale   sizes are multiplied by this power of ten.
     */
    TickParser(
        final ColumnLayout layout,
        final TimestampParser timestamps,
        final SymbolTable symbols,
        final byte delimiter,
        final String fixedSymbol,
        final long sizeScale)
    {
        this.layout = layout;
        this.timestamps = timestamps;
        this.symbols = symbols;
        this.delimiter = delimiter;
        this.fixedSymbol = fixedSymbol == null ? null : fixedSymbol.getBytes(StandardCharsets.ISO_8859_1);
        this.sizes = new SizeParser(layout, sizeScale);
        if (layout.has(Column.SYMBOL) == (fixedSymbol != null))
        {
            throw new IllegalArgumentException("a layout needs a symbol column or a fixed symbol, not both");
        }
        fieldStarts = new int[layout.fieldCount()];
        fieldEnds = new int[layout.fieldCount()];
        timestampField = layout.position(Column.TIMESTAMP);
        symbolField = layout.position(Column.SYMBOL);
        typeField = layout.position(Column.TYPE);
        bidField = layout.position(Column.BID);
        bidSizeField = layout.position(Column.BID_SIZE);
        askField = layout.position(Column.ASK);
        askSizeField = layout.position(Column.ASK_SIZE);
        priceField = layout.position(Column.PRICE);
        sizeField = layout.position(Column.SIZE);
        sideField = layout.position(Column.SIDE);
        tradeIdField = layout.position(Column.TRADE_ID);
    }

    /**
     * Reads a line; the result is in the accessors until the next call.
     *
     * @param bytes the buffer.
     * @param start first index of the line.
     * @param end   index after it.
     * @throws BadLineException if the line is malformed.
     */
    void parse(final byte[] bytes, final int start, final int end)
    {
        if (bytes != wrapped)
        {
            bytesView.wrap(bytes);
            wrapped = bytes;
        }
        final int[] starts = fieldStarts;
        final int[] ends = fieldEnds;
        final int count = FieldSplitter.split(bytes, start, end, delimiter, starts, ends);
        if (count != starts.length)
        {
            throw new BadLineException(count < 0 ? "has more than " + starts.length + " fields" :
                "has " + count + (count == 1 ? " field" : " fields") + ", expected " + starts.length);
        }

        trade = typeField >= 0 ? isTrade(bytes, starts[typeField], ends[typeField]) : !layout.quotes();
        timestampNs = timestamp(bytes, starts[timestampField], ends[timestampField]);
        if (trade)
        {
            parseTrade(bytes, starts, ends);
        }
        else
        {
            parseQuote(bytes, starts, ends);
        }

        instrumentId = symbolField >= 0 ? symbol(bytes, starts[symbolField], ends[symbolField]) : fixedSymbol();
    }

    private int symbol(final byte[] bytes, final int symbolStart, final int symbolEnd)
    {
        final int id = symbols.lookup(bytes, symbolStart, symbolEnd);
        if (id == SymbolTable.INVALID)
        {
            throw new BadLineException(symbolEnd == symbolStart ? layout.label(Column.SYMBOL) + " is empty" :
                layout.label(Column.SYMBOL) + " '" + Texts.printable(bytes, symbolStart, symbolEnd) + "' is not 1 to " +
                WireFormat.MAX_TOPIC_LENGTH + " printable ASCII characters without spaces");
        }
        return id == SymbolTable.UNKNOWN ? symbols.register() : id;
    }

    /** The input's one symbol, registered with its first valid line. */
    private int fixedSymbol()
    {
        if (fixedId == SymbolTable.UNKNOWN)
        {
            fixedId = symbol(fixedSymbol, 0, fixedSymbol.length);
        }
        return fixedId;
    }

    private void parseQuote(final byte[] bytes, final int[] starts, final int[] ends)
    {
        if (!layout.quotes())
        {
            throw new BadLineException("is a quote but there is no bid or ask column");
        }
        bidPrice = bidField >= 0 ? price(Column.BID, starts[bidField], ends[bidField], true) : WireFormat.NULL_PRICE;
        askPrice = askField >= 0 ? price(Column.ASK, starts[askField], ends[askField], true) : WireFormat.NULL_PRICE;
        if (bidPrice == WireFormat.NULL_PRICE && askPrice == WireFormat.NULL_PRICE)
        {
            throw new BadLineException("quote has neither bid nor ask");
        }
        bidSize = bidSizeField >= 0 ? sizes.size(bytes, Column.BID_SIZE, starts[bidSizeField], ends[bidSizeField]) : 0;
        askSize = askSizeField >= 0 ? sizes.size(bytes, Column.ASK_SIZE, starts[askSizeField], ends[askSizeField]) : 0;
    }

    private void parseTrade(final byte[] bytes, final int[] starts, final int[] ends)
    {
        if (!layout.trades())
        {
            throw new BadLineException("is a trade but there are no price and size columns");
        }
        price = price(Column.PRICE, starts[priceField], ends[priceField], false);
        if (starts[sizeField] == ends[sizeField])
        {
            throw new BadLineException("trade has no " + layout.label(Column.SIZE));
        }
        size = sizes.size(bytes, Column.SIZE, starts[sizeField], ends[sizeField]);
        side = sideField >= 0 ? side(bytes, starts[sideField], ends[sideField]) : AggressorSide.UNKNOWN;
        tradeId = NO_TRADE_ID;
        if (tradeIdField >= 0 && starts[tradeIdField] != ends[tradeIdField])
        {
            tradeId = sizes.integer(bytes, Column.TRADE_ID, starts[tradeIdField], ends[tradeIdField]);
        }
    }

    private boolean isTrade(final byte[] bytes, final int start, final int end)
    {
        final int length = end - start;
        if (length == 0)
        {
            return false;
        }
        final byte first = (byte)(bytes[start] | 0x20);
        if (length == 1 && (first == 'q' || first == 't'))
        {
            return first == 't';
        }
        if (matches(bytes, start, end, "quote"))
        {
            return false;
        }
        if (matches(bytes, start, end, "trade"))
        {
            return true;
        }
        throw new BadLineException(layout.label(Column.TYPE) + " '" + Texts.printable(bytes, start, end) +
            "' is not Q, quote, T or trade");
    }

    private AggressorSide side(final byte[] bytes, final int start, final int end)
    {
        final int length = end - start;
        if (length == 0)
        {
            return AggressorSide.UNKNOWN;
        }
        final byte first = (byte)(bytes[start] | 0x20);
        if ((length == 1 && first == 'b') || matches(bytes, start, end, "buy"))
        {
            return AggressorSide.BUY;
        }
        if ((length == 1 && first == 's') || matches(bytes, start, end, "sell"))
        {
            return AggressorSide.SELL;
        }
        return AggressorSide.UNKNOWN;
    }

    /** Case-insensitive comparison with a lower-case ASCII word. */
    private static boolean matches(final byte[] bytes, final int start, final int end, final String lowerWord)
    {
        if (end - start != lowerWord.length())
        {
            return false;
        }
        for (int i = 0; i < lowerWord.length(); i++)
        {
            if ((bytes[start + i] | 0x20) != lowerWord.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    private long timestamp(final byte[] bytes, final int start, final int end)
    {
        final long nanos = timestamps.parse(bytes, start, end);
        if (nanos >= 0)
        {
            return nanos;
        }
        final String label = layout.label(Column.TIMESTAMP);
        if (start == end)
        {
            throw new BadLineException(label + " is empty");
        }
        final String quoted = label + " '" + Texts.printable(bytes, start, end) + "' ";
        if (nanos == TimestampParser.INVALID)
        {
            throw new BadLineException(quoted + "is not a valid date and time");
        }
        if (nanos == TimestampParser.OUT_OF_RANGE)
        {
            throw new BadLineException(quoted + "is before 1970 or after 2262");
        }
        throw new BadLineException(quoted + timestamps.expectation());
    }

    private long price(final Column column, final int start, final int end, final boolean optional)
    {
        if (start == end)
        {
            if (optional)
            {
                return WireFormat.NULL_PRICE;
            }
            throw new BadLineException("trade has no " + layout.label(column));
        }
        try
        {
            text.wrap(bytesView, start, end - start);
            return Prices.parse(text, 0, end - start);
        }
        catch (final NumberFormatException ex)
        {
            final String message = ex.getMessage() == null ? "" : ex.getMessage();
            final String reason = message.contains("decimal places") ? "has more than " +
                -WireFormat.PRICE_EXPONENT + " decimal places" :
                message.contains("out of range") ? "is out of range" : "is not a decimal number";
            throw new BadLineException(
                layout.label(column) + " '" + Texts.printable(wrapped, start, end) + "' " + reason);
        }
    }

    /**
     * Whether the line was a trade.
     *
     * @return true for a trade, false for a quote.
     */
    boolean trade()
    {
        return trade;
    }

    long timestampNs()
    {
        return timestampNs;
    }

    int instrumentId()
    {
        return instrumentId;
    }

    long bidPrice()
    {
        return bidPrice;
    }

    long bidSize()
    {
        return bidSize;
    }

    long askPrice()
    {
        return askPrice;
    }

    long askSize()
    {
        return askSize;
    }

    long price()
    {
        return price;
    }

    long size()
    {
        return size;
    }

    AggressorSide side()
    {
        return side;
    }

    /**
     * The trade id of the line.
     *
     * @return the id, or {@link #NO_TRADE_ID} when the line gives none.
     */
    long tradeId()
    {
        return tradeId;
    }
}
