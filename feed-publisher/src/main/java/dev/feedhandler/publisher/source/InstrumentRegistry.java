package dev.feedhandler.publisher.source;

import dev.feedhandler.common.wire.WireFormat;
import org.agrona.collections.Object2IntHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The instruments of one publisher session, with dense ids in order of registration. Sources register instruments
 * as they learn of them (up front for the synthetic source, on first sight for a tick file); registering is a cold
 * path, looking up by id is not. Single-threaded: the publisher's thread.
 */
public final class InstrumentRegistry
{
    private final List<Instrument> instruments = new ArrayList<>();
    private final Object2IntHashMap<String> idsBySymbol = new Object2IntHashMap<>(-1);

    /**
     * The id of a symbol, registering it if it is new.
     *
     * @param symbol the instrument symbol.
     * @return its id.
     * @throws IllegalArgumentException if the symbol cannot be a topic (empty, too long, not printable ASCII).
     */
    public int register(final String symbol)
    {
        final int existing = idsBySymbol.getValue(symbol);
        if (existing >= 0)
        {
            return existing;
        }
        if (!WireFormat.isValidSymbol(symbol))
        {
            throw new IllegalArgumentException("symbol '" + symbol + "' is not 1 to " + WireFormat.MAX_TOPIC_LENGTH +
                " printable ASCII characters without spaces");
        }
        final int id = instruments.size();
        instruments.add(new Instrument(id, symbol));
        idsBySymbol.put(symbol, id);
        return id;
    }

    /**
     * The id of a registered symbol.
     *
     * @param symbol the instrument symbol.
     * @return its id, or -1 if it is not registered.
     */
    public int idOf(final String symbol)
    {
        return idsBySymbol.getValue(symbol);
    }

    /**
     * The instrument with an id.
     *
     * @param id the id.
     * @return the instrument.
     */
    public Instrument get(final int id)
    {
        return instruments.get(id);
    }

    /**
     * Number of instruments registered.
     *
     * @return the count.
     */
    public int size()
    {
        return instruments.size();
    }

    /**
     * All instruments in id order.
     *
     * @return an unmodifiable view.
     */
    public List<Instrument> instruments()
    {
        return Collections.unmodifiableList(instruments);
    }
}
