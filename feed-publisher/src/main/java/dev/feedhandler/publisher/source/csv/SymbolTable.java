package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.common.wire.TopicKey;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import org.agrona.collections.Object2IntHashMap;


/**
 * Symbol bytes of a line to instrument ids, without allocation for a symbol seen before: the lookup key is a
 * reused {@link TopicKey} wrapped over the bytes (it hashes and compares by content). A new
 * symbol is a cold path: it is checked, registered in the {@link InstrumentRegistry} (ids in order of first
 * appearance) and its bytes copied as a key. With normalization, {@code / - _ .} are dropped and letters
 * upper-cased first ({@code EUR/USD} and {@code eur_usd} are both {@code EURUSD}).
 */
final class SymbolTable
{
    /** Result of {@link #lookup}: the symbol is not registered yet. */
    static final int UNKNOWN = -1;

    /** Result of {@link #lookup}: the symbol cannot be a topic. */
    static final int INVALID = -2;

    private final InstrumentRegistry registry;
    private final boolean normalize;
    private final Object2IntHashMap<TopicKey> ids = new Object2IntHashMap<>(UNKNOWN);
    private final TopicKey key = new TopicKey();
    private final byte[] normalized = new byte[WireFormat.MAX_TOPIC_LENGTH];

    /**
     * A table registering into a registry.
     *
     * @param registry  where new symbols are registered.
     * @param normalize whether to normalize symbols.
     */
    SymbolTable(final InstrumentRegistry registry, final boolean normalize)
    {
        this.registry = registry;
        this.normalize = normalize;
    }

    /**
     * Looks a symbol up; after it returns {@link #UNKNOWN}, {@link #register()} adds it.
     *
     * @param bytes the line's buffer.
     * @param start first index of the symbol.
     * @param end   index after it.
     * @return the id, {@link #UNKNOWN}, or {@link #INVALID} if it is empty, longer than
     *         {@link WireFormat#MAX_TOPIC_LENGTH} or not printable ASCII without spaces.
     */
    int lookup(final byte[] bytes, final int start, final int end)
    {
        if (normalize)
        {
            int length = 0;
            for (int i = start; i < end; i++)
            {
                final byte b = bytes[i];
                if (b == '/' || b == '-' || b == '_' || b == '.')
                {
                    continue;
                }
                if (length == normalized.length)
                {
                    return INVALID;
                }
                normalized[length++] = b >= 'a' && b <= 'z' ? (byte)(b - ('a' - 'A')) : b;
            }
            key.wrap(normalized, 0, length);
        }
        else
        {
            if (end - start > WireFormat.MAX_TOPIC_LENGTH)
            {
                return INVALID;
            }
            key.wrap(bytes, start, end - start);
        }
        final int id = ids.getValue(key);
        if (id != UNKNOWN)
        {
            return id;
        }
        final int length = key.bytes().capacity();
        if (length == 0)
        {
            return INVALID;
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = key.bytes().getByte(i);
            if (b <= ' ' || b > '~')
            {
                return INVALID;
            }
        }
        return UNKNOWN;
    }

    /**
     * Registers the symbol of the last {@link #lookup} that returned {@link #UNKNOWN}. Cold path.
     *
     * @return its new id.
     */
    int register()
    {
        final TopicKey copy = TopicKey.copyOf(key.bytes(), 0, key.bytes().capacity());
        final int id = registry.register(copy.toString());
        ids.put(copy, id);
        return id;
    }
}
