package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.ConflatedEncoder;
import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.QuoteEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the frame 1 of a conflated stream's message: a {@code Conflated} message (a topic's updates
 * {@code fromSequence..toSequence} of an interval, counted), followed by the newest quote among them when there is
 * one. Flyweight over a caller's buffer; allocation-free.
 * <pre>
 *   0        8                                        64               120
 *   +--------+----------------------------------------+----------------+
 *   | header | Conflated: epoch, from, to, quoteSeq,  | header + Quote |  (the Quote only when quotes &gt; 0)
 *   |        | sendTs, quotes, trades                 |                |
 *   +--------+----------------------------------------+----------------+
 * </pre>
 */
public final class ConflatedWriter
{
    /** Length of a Conflated message with its quote. */
    public static final int CONFLATED_WITH_QUOTE_LENGTH = WireFormat.CONFLATED_LENGTH + WireFormat.QUOTE_LENGTH;

    private static final int QUOTE_PADDING_FROM =
        QuoteEncoder.instrumentIdEncodingOffset() + QuoteEncoder.instrumentIdEncodingLength();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConflatedEncoder conflatedEncoder = new ConflatedEncoder();
    private final QuoteEncoder quoteEncoder = new QuoteEncoder();

    /**
     * Writes a message that covers only trades: no quote follows.
     *
     * @param buffer          where to write.
     * @param offset          where frame 1 starts.
     * @param sessionEpoch    the publisher session.
     * @param fromSequence    first update covered.
     * @param toSequence      last update covered.
     * @param sendTimestampNs publisher send time, epoch nanoseconds.
     * @param trades          trades covered ({@code toSequence - fromSequence + 1}).
     * @return the frame's length.
     */
    public int tradesOnly(final MutableDirectBuffer buffer, final int offset, final long sessionEpoch,
        final long fromSequence, final long toSequence, final long sendTimestampNs, final long trades)
    {
        header(buffer, offset, sessionEpoch, fromSequence, toSequence, 0, sendTimestampNs, 0, trades);
        return WireFormat.CONFLATED_LENGTH;
    }

    /**
     * Writes a message with the newest quote covered.
     *
     * @param buffer            where to write.
     * @param offset            where frame 1 starts.
     * @param sessionEpoch      the publisher session.
     * @param fromSequence      first update covered.
     * @param toSequence        last update covered.
     * @param sendTimestampNs   publisher send time, epoch nanoseconds.
     * @param quotes            quotes covered, the one written included.
     * @param trades            trades covered.
     * @param quoteSequence     the sequence number of the quote written.
     * @param instrumentId      the quote's instrument id.
     * @param bidPrice          bid mantissa, or {@link WireFormat#NULL_PRICE}.
     * @param bidSize           bid size.
     * @param askPrice          ask mantissa, or {@link WireFormat#NULL_PRICE}.
     * @param askSize           ask size.
     * @param sourceTimestampNs when the source produced the quote, epoch nanoseconds.
     * @return the frame's length.
     */
    public int withQuote(final MutableDirectBuffer buffer, final int offset, final long sessionEpoch,
        final long fromSequence, final long toSequence, final long sendTimestampNs, final long quotes,
        final long trades, final long quoteSequence, final int instrumentId, final long bidPrice, final long bidSize,
        final long askPrice, final long askSize, final long sourceTimestampNs)
    {
        header(buffer, offset, sessionEpoch, fromSequence, toSequence, quoteSequence, sendTimestampNs, quotes, trades);
        final int quoteOffset = offset + WireFormat.CONFLATED_LENGTH;
        quoteEncoder.wrapAndApplyHeader(buffer, quoteOffset, headerEncoder)
            .instrumentId(instrumentId)
            .bidSize(bidSize)
            .askSize(askSize)
            .sourceTimestampNs(sourceTimestampNs);
        quoteEncoder.bidPrice().mantissa(bidPrice);
        quoteEncoder.askPrice().mantissa(askPrice);
        buffer.putInt(quoteOffset + WireFormat.HEADER_LENGTH + QUOTE_PADDING_FROM, 0);
        return CONFLATED_WITH_QUOTE_LENGTH;
    }

    private void header(final MutableDirectBuffer buffer, final int offset, final long sessionEpoch,
        final long fromSequence, final long toSequence, final long quoteSequence, final long sendTimestampNs,
        final long quotes, final long trades)
    {
        conflatedEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .sessionEpoch(sessionEpoch)
            .fromSequence(fromSequence)
            .toSequence(toSequence)
            .quoteSequence(quoteSequence)
            .sendTimestampNs(sendTimestampNs)
            .quotes(quotes)
            .trades(trades);
    }
}
