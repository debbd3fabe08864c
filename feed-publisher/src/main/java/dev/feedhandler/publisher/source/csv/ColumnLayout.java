package dev.feedhandler.publisher.source.csv;

import java.util.Arrays;
import java.util.List;

/**
 * Which field of a line holds which column, from a header line or {@code --columns}, checked once: the names are
 * known, none twice, and the columns needed for quotes or trades are there. The symbol column is needed unless the
 * instrument is named another way ({@code --symbol}, {@code --symbol-from-name}), and then it must be absent.
 */
final class ColumnLayout
{
    private final int fieldCount;
    private final int[] positions = new int[Column.values().length];
    private final String[] labels = new String[Column.values().length];
    private boolean quotes;
    private boolean trades;

    private ColumnLayout(final int fieldCount)
    {
        this.fieldCount = fieldCount;
        Arrays.fill(positions, -1);
    }

    /**
     * Reads and checks column names.
     *
     * @param names       the names in field order.
     * @param where       what to name in a message, such as {@code --columns} or {@code ticks.csv:1: header}.
     * @param namedSymbol true if the symbol is given by {@code --symbol} or {@code --symbol-from-name}.
     * @return the layout.
     * @throws IllegalArgumentException with a one-line message naming {@code where}.
     */
    static ColumnLayout of(final List<String> names, final String where, final boolean namedSymbol)
    {
        final ColumnLayout layout = new ColumnLayout(names.size());
        for (int i = 0; i < names.size(); i++)
        {
            final String name = names.get(i).trim();
            if (name.isEmpty())
            {
                throw new IllegalArgumentException(where + ": column " + (i + 1) + " has no name (use - to ignore " +
                    "a column)");
            }
            final Column column = Column.of(name);
            if (column == null)
            {
                throw new IllegalArgumentException(where + ": unknown column '" + Texts.printable(name) +
                    "' (known: " + Column.vocabulary() + ")");
            }
            if (column == Column.IGNORE)
            {
                continue;
            }
            if (layout.positions[column.ordinal()] >= 0)
            {
                throw new IllegalArgumentException(where + ": column '" + column.label() + "' appears twice");
            }
            layout.positions[column.ordinal()] = i;
            layout.labels[column.ordinal()] = name;
        }
        return layout.checked(where, namedSymbol);
    }

    private ColumnLayout checked(final String where, final boolean namedSymbol)
    {
        require(Column.TIMESTAMP, where);
        if (namedSymbol && has(Column.SYMBOL))
        {
            throw new IllegalArgumentException(where + ": has a 'symbol' column, so --symbol and " +
                "--symbol-from-name do not apply (they name the instrument of a file without one)");
        }
        if (!namedSymbol && !has(Column.SYMBOL))
        {
            throw new IllegalArgumentException(where + ": no 'symbol' column: name the instrument with " +
                "--symbol SYMBOL or take it from the file name with --symbol-from-name");
        }
        final boolean quoteColumns = has(Column.BID) || has(Column.ASK);
        final boolean tradeColumns = has(Column.PRICE) || has(Column.SIZE);
        needs(Column.BID_SIZE, Column.BID, where);
        needs(Column.ASK_SIZE, Column.ASK, where);
        needs(Column.PRICE, Column.SIZE, where);
        needs(Column.SIZE, Column.PRICE, where);
        needs(Column.SIDE, Column.PRICE, where);
        needs(Column.TRADE_ID, Column.PRICE, where);
        if (!quoteColumns && !tradeColumns)
        {
            throw new IllegalArgumentException(where + ": no price columns: quotes need 'bid' and/or 'ask', " +
                "trades 'price' and 'size'");
        }
        if (quoteColumns && tradeColumns && !has(Column.TYPE))
        {
            throw new IllegalArgumentException(where + ": has quote columns (bid/ask) and trade columns " +
                "(price/size) but no 'type' column to tell quotes from trades");
        }
        quotes = quoteColumns;
        trades = tradeColumns;
        return this;
    }

    private void require(final Column column, final String where)
    {
        if (!has(column))
        {
            throw new IllegalArgumentException(where + ": no '" + column.label() + "' column");
        }
    }

    private void needs(final Column column, final Column other, final String where)
    {
        if (has(column) && !has(other))
        {
            throw new IllegalArgumentException(where + ": column '" + column.label() + "' needs a '" +
                other.label() + "' column");
        }
    }

    /**
     * Fields a line must have.
     *
     * @return the number of columns, ignored ones included.
     */
    int fieldCount()
    {
        return fieldCount;
    }

    /**
     * Whether a column is present.
     *
     * @param column the column.
     * @return true if some field holds it.
     */
    boolean has(final Column column)
    {
        return positions[column.ordinal()] >= 0;
    }

    /**
     * The field index of a column.
     *
     * @param column the column.
     * @return its index, -1 if absent.
     */
    int position(final Column column)
    {
        return positions[column.ordinal()];
    }

    /**
     * The name of a column as the file or flag wrote it, for messages.
     *
     * @param column the column.
     * @return the name, or the documented label if absent.
     */
    String label(final Column column)
    {
        final String label = labels[column.ordinal()];
        return label == null ? column.label() : label;
    }

    /**
     * Whether lines can be quotes.
     *
     * @return true if there is a bid or an ask column.
     */
    boolean quotes()
    {
        return quotes;
    }

    /**
     * Whether lines can be trades.
     *
     * @return true if there are price and size columns.
     */
    boolean trades()
    {
        return trades;
    }
}
