package dev.feedhandler.subscriber;

import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.wire.WireFormat;

/**
 * A zero-copy view of a quote, valid only during the listener call that receives it. Prices are mantissas with
 * exponent -9 ({@code dev.feedhandler.common.price.Prices} converts them).
 */
public final class QuoteView
{
    private QuoteDecoder decoder;

    /**
     * Points the view at a decoded quote.
     *
     * @param decoder positioned on the quote.
     * @return this.
     */
    public QuoteView wrap(final QuoteDecoder decoder)
    {
        this.decoder = decoder;
        return this;
    }

    /**
     * Instrument id assigned by the publisher.
     *
     * @return the id.
     */
    public int instrumentId()
    {
        return decoder.instrumentId();
    }

    /**
     * Bid price mantissa, {@link WireFormat#NULL_PRICE} when there is no bid.
     *
     * @return the mantissa.
     */
    public long bidPrice()
    {
        return decoder.bidPrice().mantissa();
    }

    /**
     * Bid size.
     *
     * @return the size.
     */
    public long bidSize()
    {
        return decoder.bidSize();
    }

    /**
     * Ask price mantissa, {@link WireFormat#NULL_PRICE} when there is no ask.
     *
     * @return the mantissa.
     */
    public long askPrice()
    {
        return decoder.askPrice().mantissa();
    }

    /**
     * Ask size.
     *
     * @return the size.
     */
    public long askSize()
    {
        return decoder.askSize();
    }

    /**
     * Whether the quote has a bid.
     *
     * @return true if the bid price is not null.
     */
    public boolean hasBid()
    {
        return bidPrice() != WireFormat.NULL_PRICE;
    }

    /**
     * Whether the quote has an ask.
     *
     * @return true if the ask price is not null.
     */
    public boolean hasAsk()
    {
        return askPrice() != WireFormat.NULL_PRICE;
    }

    /**
     * When the source produced the quote.
     *
     * @return epoch nanoseconds.
     */
    public long sourceTimestampNs()
    {
        return decoder.sourceTimestampNs();
    }
}
