package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.ConflatedDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.codec.MessageHeaderDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.codec.SessionStatusDecoder;
import dev.feedhandler.common.codec.TradeDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Validates a received payload (frame 1) completely before anyone reads it, and then exposes its header fields.
 * A frame is accepted only if every message header in it carries our schema id, a known template and a block
 * length at least as long as ours, and the updates fill the frame exactly. Newer schema versions that append
 * fields are accepted and read by their declared block length. Allocation-free; one instance per thread.
 */
public final class FrameReader
{
    private static final int MIN_VERSION = 1;

    /**
     * The 8 header bytes of a version-1 quote and trade read as one little-endian long (blockLength, templateId,
     * schemaId, version): the common case is checked with one comparison per update.
     */
    private static final long QUOTE_HEADER_V1 = packedHeader(QuoteDecoder.BLOCK_LENGTH, QuoteDecoder.TEMPLATE_ID);
    private static final long TRADE_HEADER_V1 = packedHeader(TradeDecoder.BLOCK_LENGTH, TradeDecoder.TEMPLATE_ID);

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final BatchHeaderDecoder batchHeaderDecoder = new BatchHeaderDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final SessionStatusDecoder sessionStatusDecoder = new SessionStatusDecoder();
    private final ConflatedDecoder conflatedDecoder = new ConflatedDecoder();
    private final QuoteDecoder conflatedQuoteDecoder = new QuoteDecoder();

    private FrameKind kind = FrameKind.INVALID;
    private DecodeError error;
    private int updatesOffset;

    /**
     * Validates a payload and classifies it.
     *
     * @param buffer holding the payload.
     * @param offset where the payload starts.
     * @param length payload length in bytes.
     * @return what the frame holds, {@link FrameKind#INVALID} with {@link #error()} set if it is malformed.
     */
    public FrameKind read(final DirectBuffer buffer, final int offset, final int length)
    {
        error = null;
        kind = FrameKind.INVALID;
        final int end = offset + length;

        final int templateId = checkHeader(buffer, offset, end);
        if (templateId < 0)
        {
            return kind;
        }

        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int bodyOffset = offset + WireFormat.HEADER_LENGTH;
        switch (templateId)
        {
            case BatchHeaderDecoder.TEMPLATE_ID:
                batchHeaderDecoder.wrap(buffer, bodyOffset, blockLength, version);
                return checkUpdates(buffer, bodyOffset + blockLength, end, batchHeaderDecoder.updateCount());

            case HeartbeatDecoder.TEMPLATE_ID:
                heartbeatDecoder.wrap(buffer, bodyOffset, blockLength, version);
                return single(bodyOffset + blockLength, end, FrameKind.HEARTBEAT);

            case SessionStatusDecoder.TEMPLATE_ID:
                sessionStatusDecoder.wrap(buffer, bodyOffset, blockLength, version);
                return single(bodyOffset + blockLength, end, FrameKind.SESSION_STATUS);

            case ConflatedDecoder.TEMPLATE_ID:
                conflatedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                return checkConflated(buffer, bodyOffset + blockLength, end);

            default:
                return fail(DecodeError.UNEXPECTED_MESSAGE);
        }
    }

    /**
     * Why the last frame read was invalid.
     *
     * @return the error, or null if the last frame was valid.
     */
    public DecodeError error()
    {
        return error;
    }

    /**
     * The kind of the last frame read.
     *
     * @return the kind.
     */
    public FrameKind kind()
    {
        return kind;
    }

    /**
     * Offset of the first update's message header in a batch.
     *
     * @return buffer offset.
     */
    public int updatesOffset()
    {
        return updatesOffset;
    }

    /**
     * Session epoch of the last valid batch, heartbeat or session status.
     *
     * @return the epoch.
     */
    public long sessionEpoch()
    {
        switch (kind)
        {
            case BATCH:
                return batchHeaderDecoder.sessionEpoch();
            case HEARTBEAT:
                return heartbeatDecoder.sessionEpoch();
            case SESSION_STATUS:
                return sessionStatusDecoder.sessionEpoch();
            case CONFLATED:
                return conflatedDecoder.sessionEpoch();
            default:
                return 0;
        }
    }

    /**
     * Send timestamp of the last valid batch, heartbeat or session status.
     *
     * @return epoch nanoseconds.
     */
    public long sendTimestampNs()
    {
        switch (kind)
        {
            case BATCH:
                return batchHeaderDecoder.sendTimestampNs();
            case HEARTBEAT:
                return heartbeatDecoder.sendTimestampNs();
            case SESSION_STATUS:
                return sessionStatusDecoder.sendTimestampNs();
            case CONFLATED:
                return conflatedDecoder.sendTimestampNs();
            default:
                return 0;
        }
    }

    /**
     * The batch header of the last valid batch.
     *
     * @return the decoder, positioned on the header.
     */
    public BatchHeaderDecoder batchHeader()
    {
        return batchHeaderDecoder;
    }

    /**
     * The last valid heartbeat.
     *
     * @return the decoder.
     */
    public HeartbeatDecoder heartbeat()
    {
        return heartbeatDecoder;
    }

    /**
     * The last valid session status.
     *
     * @return the decoder.
     */
    public SessionStatusDecoder sessionStatus()
    {
        return sessionStatusDecoder;
    }

    /**
     * The last valid message of a conflated stream ({@link FrameKind#CONFLATED}).
     *
     * @return the decoder.
     */
    public ConflatedDecoder conflated()
    {
        return conflatedDecoder;
    }

    /**
     * The quote that follows the last valid {@link FrameKind#CONFLATED} message, when its {@code quoteSequence} is not
     * 0.
     *
     * @return the decoder, positioned on the quote.
     */
    public QuoteDecoder conflatedQuote()
    {
        return conflatedQuoteDecoder;
    }

    /**
     * Offset of the quote's message header in the last valid {@link FrameKind#CONFLATED} frame, or -1 without one.
     *
     * @return buffer offset, or -1.
     */
    public int conflatedQuoteOffset()
    {
        return updatesOffset;
    }

    /**
     * Whether the last session status says the publisher ended its session. A state this version does not know
     * (a newer publisher's, or a damaged byte) is not ENDED, and never an exception.
     *
     * @return true for a session status with state ENDED.
     */
    public boolean isSessionEnded()
    {
        return kind == FrameKind.SESSION_STATUS && sessionStatusDecoder.stateRaw() == SessionState.ENDED.value();
    }

    private int checkHeader(final DirectBuffer buffer, final int offset, final int end)
    {
        if (end - offset < WireFormat.HEADER_LENGTH)
        {
            fail(DecodeError.TRUNCATED);
            return -1;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != WireFormat.SCHEMA_ID)
        {
            fail(DecodeError.WRONG_SCHEMA);
            return -1;
        }
        if (headerDecoder.version() < MIN_VERSION)
        {
            fail(DecodeError.UNSUPPORTED_VERSION);
            return -1;
        }
        final int templateId = headerDecoder.templateId();
        final int minBlockLength = feedBlockLength(templateId);
        if (minBlockLength < 0)
        {
            fail(DecodeError.UNKNOWN_TEMPLATE);
            return -1;
        }
        if (headerDecoder.blockLength() < minBlockLength)
        {
            fail(DecodeError.BAD_BLOCK_LENGTH);
            return -1;
        }
        if (end - offset - WireFormat.HEADER_LENGTH < headerDecoder.blockLength())
        {
            fail(DecodeError.TRUNCATED);
            return -1;
        }
        return templateId;
    }

    private FrameKind checkUpdates(final DirectBuffer buffer, final int start, final int end, final int count)
    {
        int position = start;
        for (int i = 0; i < count; i++)
        {
            if (end - position >= WireFormat.QUOTE_LENGTH)
            {
                final long header = buffer.getLong(position, ByteOrder.LITTLE_ENDIAN);
                if (header == QUOTE_HEADER_V1)
                {
                    position += WireFormat.QUOTE_LENGTH;
                    continue;
                }
                if (header == TRADE_HEADER_V1)
                {
                    position += WireFormat.TRADE_LENGTH;
                    continue;
                }
            }
            final int templateId = checkHeader(buffer, position, end);
            if (templateId < 0)
            {
                return FrameKind.INVALID;
            }
            if (templateId != QuoteDecoder.TEMPLATE_ID && templateId != TradeDecoder.TEMPLATE_ID)
            {
                return fail(DecodeError.UNEXPECTED_MESSAGE);
            }
            position += WireFormat.HEADER_LENGTH + headerDecoder.blockLength();
        }
        if (position != end)
        {
            return fail(DecodeError.TRAILING_BYTES);
        }
        updatesOffset = start;
        kind = FrameKind.BATCH;
        return kind;
    }

    /**
     * A Conflated message: its range and counts must agree (quotes + trades = the updates of the range, a quote
     * sequence within the range exactly when quotes were covered), and exactly one Quote follows when it names one.
     */
    private FrameKind checkConflated(final DirectBuffer buffer, final int start, final int end)
    {
        final long from = conflatedDecoder.fromSequence();
        final long to = conflatedDecoder.toSequence();
        final long quotes = conflatedDecoder.quotes();
        final long trades = conflatedDecoder.trades();
        final long quoteSequence = conflatedDecoder.quoteSequence();
        if (from < 1 || to < from || quotes < 0 || trades < 0 || quotes + trades != to - from + 1 ||
            (quotes == 0) != (quoteSequence == 0) || (quotes > 0 && (quoteSequence < from || quoteSequence > to)))
        {
            return fail(DecodeError.INCONSISTENT);
        }
        updatesOffset = -1;
        int position = start;
        if (quotes > 0)
        {
            final int templateId = checkHeader(buffer, position, end);
            if (templateId < 0)
            {
                return FrameKind.INVALID;
            }
            if (templateId != QuoteDecoder.TEMPLATE_ID)
            {
                return fail(DecodeError.UNEXPECTED_MESSAGE);
            }
            conflatedQuoteDecoder.wrap(buffer, position + WireFormat.HEADER_LENGTH, headerDecoder.blockLength(),
                headerDecoder.version());
            updatesOffset = position;
            position += WireFormat.HEADER_LENGTH + headerDecoder.blockLength();
        }
        return single(position, end, FrameKind.CONFLATED);
    }

    private FrameKind single(final int position, final int end, final FrameKind frameKind)
    {
        if (position != end)
        {
            return fail(DecodeError.TRAILING_BYTES);
        }
        kind = frameKind;
        return kind;
    }

    private FrameKind fail(final DecodeError decodeError)
    {
        error = decodeError;
        kind = FrameKind.INVALID;
        return kind;
    }

    private static long packedHeader(final int blockLength, final int templateId)
    {
        return (blockLength & 0xFFFFL) | (templateId & 0xFFFFL) << 16 | (WireFormat.SCHEMA_ID & 0xFFFFL) << 32 |
            (WireFormat.SCHEMA_VERSION & 0xFFFFL) << 48;
    }

    /**
     * The smallest block length of a feed message, or -1 for a template that never appears on the feed.
     */
    static int feedBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case BatchHeaderDecoder.TEMPLATE_ID:
                return BatchHeaderDecoder.BLOCK_LENGTH;
            case QuoteDecoder.TEMPLATE_ID:
                return QuoteDecoder.BLOCK_LENGTH;
            case TradeDecoder.TEMPLATE_ID:
                return TradeDecoder.BLOCK_LENGTH;
            case HeartbeatDecoder.TEMPLATE_ID:
                return HeartbeatDecoder.BLOCK_LENGTH;
            case SessionStatusDecoder.TEMPLATE_ID:
                return SessionStatusDecoder.BLOCK_LENGTH;
            case ConflatedDecoder.TEMPLATE_ID:
                return ConflatedDecoder.BLOCK_LENGTH;
            default:
                return -1;
        }
    }
}
