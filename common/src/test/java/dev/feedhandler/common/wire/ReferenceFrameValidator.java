package dev.feedhandler.common.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The validation algorithm of {@code docs/wire-format.md} ("Decoding robustly"), written from the page alone with
 * a plain {@link ByteBuffer} and literal numbers, not with the SBE codecs. Tests compare {@link FrameReader} with
 * it on random input: where they agree, the page describes what the code does.
 */
final class ReferenceFrameValidator
{
    private static final int HEADER = 8;
    private static final int SCHEMA_ID = 4242;
    private static final int BATCH_HEADER = 1;
    private static final int QUOTE = 2;
    private static final int TRADE = 3;
    private static final int HEARTBEAT = 4;
    private static final int SESSION_STATUS = 5;
    private static final int CONFLATED = 12;
    private static final int UPDATE_COUNT_OFFSET = 24;

    private ReferenceFrameValidator()
    {
    }

    /**
     * What a frame is, and why not if it is invalid.
     *
     * @param kind  the frame kind, {@link FrameKind#INVALID} if rejected.
     * @param error why it was rejected, null if valid.
     */
    record Verdict(FrameKind kind, DecodeError error)
    {
        static Verdict invalid(final DecodeError error)
        {
            return new Verdict(FrameKind.INVALID, error);
        }
    }

    /**
     * Classifies frame 1 as the page says a decoder must.
     *
     * @param frame the payload.
     * @return the verdict.
     */
    static Verdict classify(final byte[] frame)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        final int end = frame.length;
        final DecodeError first = checkHeader(bytes, 0, end);
        if (first != null)
        {
            return Verdict.invalid(first);
        }
        final int template = u16(bytes, 2);
        final int blockLength = u16(bytes, 0);
        switch (template)
        {
            case BATCH_HEADER:
            {
                final int count = u16(bytes, HEADER + UPDATE_COUNT_OFFSET);
                int position = HEADER + blockLength;
                for (int i = 0; i < count; i++)
                {
                    final DecodeError error = checkHeader(bytes, position, end);
                    if (error != null)
                    {
                        return Verdict.invalid(error);
                    }
                    final int updateTemplate = u16(bytes, position + 2);
                    if (updateTemplate != QUOTE && updateTemplate != TRADE)
                    {
                        return Verdict.invalid(DecodeError.UNEXPECTED_MESSAGE);
                    }
                    position += HEADER + u16(bytes, position);
                }
                return position == end ?
                    new Verdict(FrameKind.BATCH, null) : Verdict.invalid(DecodeError.TRAILING_BYTES);
            }
            case HEARTBEAT:
                return HEADER + blockLength == end ?
                    new Verdict(FrameKind.HEARTBEAT, null) : Verdict.invalid(DecodeError.TRAILING_BYTES);
            case SESSION_STATUS:
                return HEADER + blockLength == end ?
                    new Verdict(FrameKind.SESSION_STATUS, null) : Verdict.invalid(DecodeError.TRAILING_BYTES);
            case CONFLATED:
                return conflated(bytes, blockLength, end);
            default:
                return Verdict.invalid(DecodeError.UNEXPECTED_MESSAGE);
        }
    }

    private static Verdict conflated(final ByteBuffer bytes, final int blockLength, final int end)
    {
        final long from = bytes.getLong(HEADER + 8);
        final long to = bytes.getLong(HEADER + 16);
        final long quoteSequence = bytes.getLong(HEADER + 24);
        final long quotes = bytes.getLong(HEADER + 40);
        final long trades = bytes.getLong(HEADER + 48);
        final boolean rangeOk =
            from >= 1 && to >= from && quotes >= 0 && trades >= 0 && quotes + trades == to - from + 1;
        final boolean quoteOk = quotes == 0 ? quoteSequence == 0 : quoteSequence >= from && quoteSequence <= to;
        if (!rangeOk || !quoteOk)
        {
            return Verdict.invalid(DecodeError.INCONSISTENT);
        }
        int position = HEADER + blockLength;
        if (quotes > 0)
        {
            final DecodeError error = checkHeader(bytes, position, end);
            if (error != null)
            {
                return Verdict.invalid(error);
            }
            if (u16(bytes, position + 2) != QUOTE)
            {
                return Verdict.invalid(DecodeError.UNEXPECTED_MESSAGE);
            }
            position += HEADER + u16(bytes, position);
        }
        return position == end ? new Verdict(FrameKind.CONFLATED, null) : Verdict.invalid(DecodeError.TRAILING_BYTES);
    }

    private static DecodeError checkHeader(final ByteBuffer bytes, final int position, final int end)
    {
        if (end - position < HEADER)
        {
            return DecodeError.TRUNCATED;
        }
        final int blockLength = u16(bytes, position);
        final int template = u16(bytes, position + 2);
        final int schema = u16(bytes, position + 4);
        final int version = u16(bytes, position + 6);
        if (schema != SCHEMA_ID)
        {
            return DecodeError.WRONG_SCHEMA;
        }
        if (version < 1)
        {
            return DecodeError.UNSUPPORTED_VERSION;
        }
        final int minBlockLength = minBlockLength(template);
        if (minBlockLength < 0)
        {
            return DecodeError.UNKNOWN_TEMPLATE;
        }
        if (blockLength < minBlockLength)
        {
            return DecodeError.BAD_BLOCK_LENGTH;
        }
        if (end - position - HEADER < blockLength)
        {
            return DecodeError.TRUNCATED;
        }
        return null;
    }

    private static int minBlockLength(final int template)
    {
        switch (template)
        {
            case BATCH_HEADER:
                return 32;
            case QUOTE:
                return 48;
            case TRADE:
                return 40;
            case HEARTBEAT:
                return 32;
            case SESSION_STATUS:
                return 40;
            case CONFLATED:
                return 56;
            default:
                return -1;
        }
    }

    private static int u16(final ByteBuffer bytes, final int index)
    {
        return bytes.getShort(index) & 0xFFFF;
    }
}
