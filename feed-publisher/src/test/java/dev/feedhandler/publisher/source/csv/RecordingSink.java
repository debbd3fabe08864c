package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.publisher.source.UpdateSink;

import java.util.ArrayList;
import java.util.List;

/**
 * Records what a source hands over, as values to compare.
 */
final class RecordingSink implements UpdateSink
{
    /** One update as received: a quote leaves the trade fields at 0/null and the other way round. */
    record Update(
        boolean trade,
        int instrumentId,
        long bidPrice,
        long bidSize,
        long askPrice,
        long askSize,
        AggressorSide side,
        long price,
        long size,
        long tradeId,
        long timestampNs)
    {
        static Update quote(
            final int id, final long bid, final long bidSize, final long ask, final long askSize, final long ts)
        {
            return new Update(false, id, bid, bidSize, ask, askSize, null, 0, 0, 0, ts);
        }

        static Update trade(
            final int id, final AggressorSide side, final long price, final long size, final long tradeId,
            final long ts)
        {
            return new Update(true, id, 0, 0, 0, 0, side, price, size, tradeId, ts);
        }
    }

    final List<Update> updates = new ArrayList<>();

    @Override
    public void onQuote(
        final int instrumentId,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long sourceTimestampNs)
    {
        updates.add(Update.quote(instrumentId, bidPrice, bidSize, askPrice, askSize, sourceTimestampNs));
    }

    @Override
    public void onTrade(
        final int instrumentId,
        final AggressorSide side,
        final long price,
        final long size,
        final long tradeId,
        final long sourceTimestampNs)
    {
        updates.add(Update.trade(instrumentId, side, price, size, tradeId, sourceTimestampNs));
    }
}
