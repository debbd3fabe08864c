package dev.feedhandler.subscriber;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.TradeDecoder;

/**
 * A zero-copy view of a trade, valid only during the listener call that receives it. The price is a mantissa
 * with exponent -9.
 */
public final class TradeView
{
    private TradeDecoder decoder;

    /**
     * Points the view at a decoded trade.
     *
     * @param decoder positioned on the trade.
     * @return this.
     */
    public TradeView wrap(final TradeDecoder decoder)
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
     * Which side took liquidity.
     *
     * @return the side; {@code UNKNOWN} for a value this version does not know (a newer publisher).
     */
    public AggressorSide side()
    {
        switch (decoder.aggressorSideRaw())
        {
            case 1:
                return AggressorSide.BUY;
            case 2:
                return AggressorSide.SELL;
            default:
                return AggressorSide.UNKNOWN;
        }
    }

    /**
     * The aggressor side as encoded (0 unknown, 1 buy, 2 sell; newer versions may add values).
     *
     * @return the raw value.
     */
    public short sideRaw()
    {
        return decoder.aggressorSideRaw();
    }

    /**
     * Price mantissa.
     *
     * @return the mantissa.
     */
    public long price()
    {
        return decoder.price().mantissa();
    }

    /**
     * Traded size.
     *
     * @return the size.
     */
    public long size()
    {
        return decoder.size();
    }

    /**
     * Trade id from the source.
     *
     * @return the id.
     */
    public long tradeId()
    {
        return decoder.tradeId();
    }

    /**
     * When the source produced the trade.
     *
     * @return epoch nanoseconds.
     */
    public long sourceTimestampNs()
    {
        return decoder.sourceTimestampNs();
    }
}
