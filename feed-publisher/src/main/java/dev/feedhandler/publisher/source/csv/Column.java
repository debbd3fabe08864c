package dev.feedhandler.publisher.source.csv;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The vocabulary of column names, shared by the header of the documented format and by {@code --columns}.
 */
enum Column
{
    /** When the source saw the update: ISO-8601, an epoch number, or {@code --time-pattern}. */
    TIMESTAMP("timestamp", "time"),
    /** Instrument symbol, the topic. */
    SYMBOL("symbol"),
    /** Q or quote, T or trade; a quote when empty or when the column is absent. */
    TYPE("type"),
    /** Best bid price; empty for none. */
    BID("bid"),
    /** Size at the bid; empty for 0. */
    BID_SIZE("bid_size"),
    /** Best ask price; empty for none. */
    ASK("ask"),
    /** Size at the ask; empty for 0. */
    ASK_SIZE("ask_size"),
    /** Trade price. */
    PRICE("price"),
    /** Trade size. */
    SIZE("size"),
    /** Aggressor side of a trade: B or buy, S or sell; anything else is unknown. */
    SIDE("side"),
    /** Trade id, an integer; a running count per instrument when absent or empty. */
    TRADE_ID("trade_id"),
    /** A column to ignore. */
    IGNORE("-", "skip");

    private final String[] names;

    Column(final String... names)
    {
        this.names = names;
    }

    /**
     * The column a name stands for.
     *
     * @param name a name of the vocabulary, any case.
     * @return the column, or null if the name is unknown.
     */
    static Column of(final String name)
    {
        final String lower = name.trim().toLowerCase(Locale.ROOT);
        for (final Column column : values())
        {
            for (final String candidate : column.names)
            {
                if (candidate.equals(lower))
                {
                    return column;
                }
            }
        }
        return null;
    }

    /**
     * The main name.
     *
     * @return the name as documented.
     */
    String label()
    {
        return names[0];
    }

    /**
     * The names a header or {@code --columns} may use, for error messages.
     *
     * @return the names, comma-separated.
     */
    static String vocabulary()
    {
        return Arrays.stream(values()).flatMap(c -> Arrays.stream(c.names)).collect(Collectors.joining(", "));
    }
}
