package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.BatchHeaderEncoder;
import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.QuoteEncoder;
import dev.feedhandler.common.codec.TradeEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Writes one data batch (frame 1) into a buffer: the batch header slot first, then updates appended one by one,
 * then {@link #finish} fills the header in. Allocation-free; one instance per writing thread.
 * <pre>
 *   offset 0                     40                  40 + n * 56 (quotes) or 48 (trades)
 *   | header | BatchHeader       | header | Quote     | header | Trade | ...
 * </pre>
 */
public final class BatchWriter
{
    private static final int BATCH_HEADER_RESERVED_FROM =
        BatchHeaderEncoder.flagsEncodingOffset() + BatchHeaderEncoder.flagsEncodingLength();
    private static final int QUOTE_PADDING_FROM =
        QuoteEncoder.instrumentIdEncodingOffset() + QuoteEncoder.instrumentIdEncodingLength();
    private static final int TRADE_PADDING_FROM =
        TradeEncoder.aggressorSideEncodingOffset() + TradeEncoder.aggressorSideEncodingLength();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final BatchHeaderEncoder batchHeaderEncoder = new BatchHeaderEncoder();
    private final QuoteEncoder quoteEncoder = new QuoteEncoder();
    private final TradeEncoder tradeEncoder = new TradeEncoder();

    private MutableDirectBuffer buffer;
    private int offset;
    private int limit;
    private int count;

    /**
     * Starts a new, empty batch at {@code offset} of {@code buffer}.
     *
     * @param buffer to write into.
     * @param offset where the batch starts.
     * @return this.
     */
    public BatchWriter wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.limit = offset + WireFormat.BATCH_HEADER_LENGTH;
        this.count = 0;
        return this;
    }

    /**
     * Forgets the updates written so far, keeping the same buffer and offset.
     */
    public void reset()
    {
        limit = offset + WireFormat.BATCH_HEADER_LENGTH;
        count = 0;
    }

    /**
     * Number of updates appended since the batch started.
     *
     * @return updates in the batch.
     */
    public int count()
    {
        return count;
    }

    /**
     * Length of the batch so far, header included.
     *
     * @return encoded length in bytes.
     */
    public int length()
    {
        return limit - offset;
    }

    /**
     * Appends a quote.
     *
     * @param instrumentId      instrument id.
     * @param bidPrice          bid mantissa, or {@link WireFormat#NULL_PRICE}.
     * @param bidSize           bid size.
     * @param askPrice          ask mantissa, or {@link WireFormat#NULL_PRICE}.
     * @param askSize           ask size.
     * @param sourceTimestampNs when the source produced it, epoch nanoseconds.
     * @return the batch length after the append.
     */
    public int appendQuote(
        final int instrumentId,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long sourceTimestampNs)
    {
        buffer.boundsCheck(limit, WireFormat.QUOTE_LENGTH);
        quoteEncoder.wrapAndApplyHeader(buffer, limit, headerEncoder)
            .instrumentId(instrumentId)
            .bidSize(bidSize)
            .askSize(askSize)
            .sourceTimestampNs(sourceTimestampNs);
        quoteEncoder.bidPrice().mantissa(bidPrice);
        quoteEncoder.askPrice().mantissa(askPrice);
        // The 4 padding bytes after the instrument id: buffers are reused, stale bytes must not go out.
        buffer.putInt(limit + WireFormat.HEADER_LENGTH + QUOTE_PADDING_FROM, 0);
        limit += WireFormat.QUOTE_LENGTH;
        count++;
        return limit - offset;
    }

    /**
     * Appends a trade.
     *
     * @param instrumentId      instrument id.
     * @param side              aggressor side.
     * @param price             price mantissa.
     * @param size              traded size.
     * @param tradeId           trade id from the source.
     * @param sourceTimestampNs when the source produced it, epoch nanoseconds.
     * @return the batch length after the append.
     */
    public int appendTrade(
        final int instrumentId,
        final AggressorSide side,
        final long price,
        final long size,
        final long tradeId,
        final long sourceTimestampNs)
    {
        buffer.boundsCheck(limit, WireFormat.TRADE_LENGTH);
        tradeEncoder.wrapAndApplyHeader(buffer, limit, headerEncoder)
            .instrumentId(instrumentId)
            .aggressorSide(side)
            .size(size)
            .tradeId(tradeId)
            .sourceTimestampNs(sourceTimestampNs);
        tradeEncoder.price().mantissa(price);
        // The 3 padding bytes after the side.
        final int padding = limit + WireFormat.HEADER_LENGTH + TRADE_PADDING_FROM;
        buffer.putByte(padding, (byte)0);
        buffer.putShort(padding + 1, (short)0);
        limit += WireFormat.TRADE_LENGTH;
        count++;
        return limit - offset;
    }

    /**
     * Fills in the batch header. The batch stays in the buffer; call {@link #wrap} or {@link #reset} to start the
     * next one.
     *
     * @param sessionEpoch    publisher session epoch.
     * @param firstSequence   topic sequence number of the first update.
     * @param sendTimestampNs publisher send time, epoch nanoseconds.
     * @param replay          whether this batch is re-published from a journal.
     * @return the total length of the batch.
     */
    public int finish(final long sessionEpoch, final long firstSequence, final long sendTimestampNs,
        final boolean replay)
    {
        buffer.boundsCheck(offset, WireFormat.BATCH_HEADER_LENGTH);
        batchHeaderEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .sessionEpoch(sessionEpoch)
            .firstSequence(firstSequence)
            .sendTimestampNs(sendTimestampNs)
            .updateCount(count);
        batchHeaderEncoder.flags().clear().replay(replay);
        final int body = offset + WireFormat.HEADER_LENGTH;
        WireFormat.zero(buffer, body + BATCH_HEADER_RESERVED_FROM, body + BatchHeaderEncoder.BLOCK_LENGTH);
        return limit - offset;
    }

    /**
     * Rewrites only the send timestamp of a finished batch (used just before the send call).
     *
     * @param buffer          holding the batch.
     * @param offset          where the batch starts.
     * @param sendTimestampNs publisher send time, epoch nanoseconds.
     */
    public static void sendTimestampNs(final MutableDirectBuffer buffer, final int offset, final long sendTimestampNs)
    {
        buffer.boundsCheck(offset, WireFormat.BATCH_HEADER_LENGTH);
        buffer.putLong(
            offset + WireFormat.HEADER_LENGTH + BatchHeaderEncoder.sendTimestampNsEncodingOffset(),
            sendTimestampNs,
            BatchHeaderEncoder.BYTE_ORDER);
    }
}
