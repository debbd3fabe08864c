package dev.feedhandler.publisher.source;

import dev.feedhandler.common.codec.AggressorSide;

/**
 * Receives the updates a {@link PriceSource} produces, already normalized: instrument ids from the
 * {@link InstrumentRegistry}, prices as mantissas with exponent -9, timestamps in epoch nanoseconds.
 */
public interface UpdateSink
{
    /**
     * A new top of book.
     *
     * @param instrumentId      registry id of the instrument.
     * @param bidPrice          bid mantissa, or {@code WireFormat.NULL_PRICE} for none.
     * @param bidSize           bid size.
     * @param askPrice          ask mantissa, or {@code WireFormat.NULL_PRICE} for none.
     * @param askSize           ask size.
     * @param sourceTimestampNs when the source produced it.
     */
    void onQuote(
        int instrumentId, long bidPrice, long bidSize, long askPrice, long askSize, long sourceTimestampNs);

    /**
     * A trade.
     *
     * @param instrumentId      registry id of the instrument.
     * @param side              aggressor side.
     * @param price             price mantissa.
     * @param size              traded size.
     * @param tradeId           trade id.
     * @param sourceTimestampNs when the source produced it.
     */
    void onTrade(int instrumentId, AggressorSide side, long price, long size, long tradeId, long sourceTimestampNs);
}
