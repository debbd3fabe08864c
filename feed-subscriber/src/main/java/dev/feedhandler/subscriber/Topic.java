package dev.feedhandler.subscriber;

/**
 * A topic the subscriber has seen: the instrument symbol (frame 0) and a dense id in order of first sight, handy
 * for arrays indexed by topic. One instance per topic for the life of the subscriber, so listeners may keep it.
 */
public final class Topic
{
    private final int id;
    private final String symbol;

    /**
     * A topic.
     *
     * @param id     dense id, 0 for the first topic seen.
     * @param symbol the symbol.
     */
    public Topic(final int id, final String symbol)
    {
        this.id = id;
        this.symbol = symbol;
    }

    /**
     * Dense id in order of first sight.
     *
     * @return the id.
     */
    public int id()
    {
        return id;
    }

    /**
     * The instrument symbol, which is the topic.
     *
     * @return the symbol.
     */
    public String symbol()
    {
        return symbol;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return symbol;
    }
}
