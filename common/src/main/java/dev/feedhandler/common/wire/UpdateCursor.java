package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.MessageHeaderDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.TradeDecoder;
import org.agrona.DirectBuffer;

/**
 * Walks the updates of a batch that {@link FrameReader} has validated, wrapping a quote or trade decoder over
 * each in place (no copy, no allocation). One instance per thread.
 */
public final class UpdateCursor
{
    /** {@link #next()} result for a quote. */
    public static final int QUOTE = QuoteDecoder.TEMPLATE_ID;

    /** {@link #next()} result for a trade. */
    public static final int TRADE = TradeDecoder.TEMPLATE_ID;

    /** {@link #next()} result when the batch has no more updates. */
    public static final int END = 0;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final QuoteDecoder quoteDecoder = new QuoteDecoder();
    private final TradeDecoder tradeDecoder = new TradeDecoder();

    private DirectBuffer buffer;
    private int position;
    private int remaining;

    /**
     * Positions the cursor before the first update.
     *
     * @param buffer        holding the batch.
     * @param updatesOffset offset of the first update's header ({@link FrameReader#updatesOffset()}).
     * @param updateCount   number of updates in the batch.
     * @return this.
     */
    public UpdateCursor wrap(final DirectBuffer buffer, final int updatesOffset, final int updateCount)
    {
        this.buffer = buffer;
        this.position = updatesOffset;
        this.remaining = updateCount;
        return this;
    }

    /**
     * Moves to the next update.
     *
     * @return {@link #QUOTE} or {@link #TRADE}, and the matching decoder is positioned on it; {@link #END} when
     * the batch is exhausted.
     */
    public int next()
    {
        if (remaining == 0)
        {
            return END;
        }
        remaining--;
        headerDecoder.wrap(buffer, position);
        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int bodyOffset = position + WireFormat.HEADER_LENGTH;
        position = bodyOffset + blockLength;
        if (templateId == QUOTE)
        {
            quoteDecoder.wrap(buffer, bodyOffset, blockLength, version);
        }
        else
        {
            tradeDecoder.wrap(buffer, bodyOffset, blockLength, version);
        }
        return templateId;
    }

    /**
     * Skips updates without decoding them (already delivered duplicates).
     *
     * @param updates how many to skip.
     */
    public void skip(final int updates)
    {
        for (int i = 0; i < updates && remaining > 0; i++)
        {
            remaining--;
            headerDecoder.wrap(buffer, position);
            position += WireFormat.HEADER_LENGTH + headerDecoder.blockLength();
        }
    }

    /**
     * The current update if {@link #next()} returned {@link #QUOTE}.
     *
     * @return the positioned decoder.
     */
    public QuoteDecoder quote()
    {
        return quoteDecoder;
    }

    /**
     * The current update if {@link #next()} returned {@link #TRADE}.
     *
     * @return the positioned decoder.
     */
    public TradeDecoder trade()
    {
        return tradeDecoder;
    }
}
