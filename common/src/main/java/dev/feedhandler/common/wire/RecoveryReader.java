package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.CatchUpCreditDecoder;
import dev.feedhandler.common.codec.CatchUpRequestDecoder;
import dev.feedhandler.common.codec.GapFillRequestDecoder;
import dev.feedhandler.common.codec.MessageHeaderDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.codec.SnapshotEntryDecoder;
import dev.feedhandler.common.codec.SnapshotRequestDecoder;
import org.agrona.DirectBuffer;

/**
 * Validates one frame of the recovery protocol completely (a request, a response or a snapshot entry) before
 * anyone reads it, with the same rules as {@link FrameReader}: our schema id, a version of at least 1, a block
 * length at least as long as ours, nothing after the message (after the quote, for a snapshot entry that carries
 * one). Allocation-free; one instance per thread.
 */
public final class RecoveryReader
{
    /** {@link #read} result for a frame that is not valid: see {@link #error()}. */
    public static final int INVALID = -1;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final GapFillRequestDecoder gapFillDecoder = new GapFillRequestDecoder();
    private final SnapshotRequestDecoder snapshotRequestDecoder = new SnapshotRequestDecoder();
    private final CatchUpRequestDecoder catchUpDecoder = new CatchUpRequestDecoder();
    private final CatchUpCreditDecoder creditDecoder = new CatchUpCreditDecoder();
    private final RecoveryResponseDecoder responseDecoder = new RecoveryResponseDecoder();
    private final SnapshotEntryDecoder entryDecoder = new SnapshotEntryDecoder();
    private final QuoteDecoder quoteDecoder = new QuoteDecoder();

    private DecodeError error;
    private int quoteOffset = -1;

    /**
     * Validates a frame.
     *
     * @param buffer holding the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return the template id ({@link GapFillRequestDecoder#TEMPLATE_ID}, {@link SnapshotRequestDecoder#TEMPLATE_ID},
     * {@link CatchUpRequestDecoder#TEMPLATE_ID}, {@link CatchUpCreditDecoder#TEMPLATE_ID},
     * {@link RecoveryResponseDecoder#TEMPLATE_ID} or {@link SnapshotEntryDecoder#TEMPLATE_ID}) with its decoder
     * positioned, or {@link #INVALID} with {@link #error()} set.
     */
    public int read(final DirectBuffer buffer, final int offset, final int length)
    {
        error = null;
        quoteOffset = -1;
        final int end = offset + length;
        final int templateId = checkHeader(buffer, offset, end);
        if (templateId < 0)
        {
            return INVALID;
        }
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int body = offset + WireFormat.HEADER_LENGTH;
        final int next = body + blockLength;
        switch (templateId)
        {
            case GapFillRequestDecoder.TEMPLATE_ID:
                gapFillDecoder.wrap(buffer, body, blockLength, version);
                return single(next, end, templateId);
            case SnapshotRequestDecoder.TEMPLATE_ID:
                snapshotRequestDecoder.wrap(buffer, body, blockLength, version);
                return single(next, end, templateId);
            case CatchUpRequestDecoder.TEMPLATE_ID:
                catchUpDecoder.wrap(buffer, body, blockLength, version);
                return single(next, end, templateId);
            case CatchUpCreditDecoder.TEMPLATE_ID:
                creditDecoder.wrap(buffer, body, blockLength, version);
                return single(next, end, templateId);
            case RecoveryResponseDecoder.TEMPLATE_ID:
                responseDecoder.wrap(buffer, body, blockLength, version);
                return single(next, end, templateId);
            case SnapshotEntryDecoder.TEMPLATE_ID:
                entryDecoder.wrap(buffer, body, blockLength, version);
                return entry(buffer, next, end);
            default:
                return fail(DecodeError.UNEXPECTED_MESSAGE);
        }
    }

    private int entry(final DirectBuffer buffer, final int next, final int end)
    {
        if (entryDecoder.quoteSequence() == 0)
        {
            return single(next, end, SnapshotEntryDecoder.TEMPLATE_ID);
        }
        final int templateId = checkHeader(buffer, next, end);
        if (templateId < 0)
        {
            return INVALID;
        }
        if (templateId != QuoteDecoder.TEMPLATE_ID)
        {
            return fail(DecodeError.UNEXPECTED_MESSAGE);
        }
        final int blockLength = headerDecoder.blockLength();
        quoteDecoder.wrap(buffer, next + WireFormat.HEADER_LENGTH, blockLength, headerDecoder.version());
        final int result = single(next + WireFormat.HEADER_LENGTH + blockLength, end, SnapshotEntryDecoder.TEMPLATE_ID);
        if (result != INVALID)
        {
            quoteOffset = next;
        }
        return result;
    }

    /**
     * Why the last frame read was invalid.
     *
     * @return the error, or null after a valid frame.
     */
    public DecodeError error()
    {
        return error;
    }

    /**
     * The last gap fill request read.
     *
     * @return the positioned decoder.
     */
    public GapFillRequestDecoder gapFillRequest()
    {
        return gapFillDecoder;
    }

    /**
     * The last snapshot request read.
     *
     * @return the positioned decoder.
     */
    public SnapshotRequestDecoder snapshotRequest()
    {
        return snapshotRequestDecoder;
    }

    /**
     * The last catch-up request read.
     *
     * @return the positioned decoder.
     */
    public CatchUpRequestDecoder catchUpRequest()
    {
        return catchUpDecoder;
    }

    /**
     * The last catch-up credit read.
     *
     * @return the positioned decoder.
     */
    public CatchUpCreditDecoder catchUpCredit()
    {
        return creditDecoder;
    }

    /**
     * The last response read.
     *
     * @return the positioned decoder.
     */
    public RecoveryResponseDecoder response()
    {
        return responseDecoder;
    }

    /**
     * The last snapshot entry read.
     *
     * @return the positioned decoder.
     */
    public SnapshotEntryDecoder snapshotEntry()
    {
        return entryDecoder;
    }

    /**
     * The quote that follows the last snapshot entry read, if it had one.
     *
     * @return the positioned decoder; valid only when {@link #quoteOffset()} is not negative.
     */
    public QuoteDecoder quote()
    {
        return quoteDecoder;
    }

    /**
     * Where the quote of the last snapshot entry read starts (its message header), in the buffer read.
     *
     * @return the offset, or -1 if the entry carries no quote.
     */
    public int quoteOffset()
    {
        return quoteOffset;
    }

    private int checkHeader(final DirectBuffer buffer, final int offset, final int end)
    {
        if (end - offset < WireFormat.HEADER_LENGTH)
        {
            return fail(DecodeError.TRUNCATED);
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != WireFormat.SCHEMA_ID)
        {
            return fail(DecodeError.WRONG_SCHEMA);
        }
        if (headerDecoder.version() < 1)
        {
            return fail(DecodeError.UNSUPPORTED_VERSION);
        }
        final int templateId = headerDecoder.templateId();
        final int minBlockLength = minBlockLength(templateId);
        if (minBlockLength < 0)
        {
            return fail(DecodeError.UNKNOWN_TEMPLATE);
        }
        if (headerDecoder.blockLength() < minBlockLength)
        {
            return fail(DecodeError.BAD_BLOCK_LENGTH);
        }
        if (end - offset - WireFormat.HEADER_LENGTH < headerDecoder.blockLength())
        {
            return fail(DecodeError.TRUNCATED);
        }
        return templateId;
    }

    private int single(final int position, final int end, final int templateId)
    {
        if (position != end)
        {
            return fail(DecodeError.TRAILING_BYTES);
        }
        return templateId;
    }

    private int fail(final DecodeError decodeError)
    {
        error = decodeError;
        return INVALID;
    }

    private static int minBlockLength(final int templateId)
    {
        switch (templateId)
        {
            case GapFillRequestDecoder.TEMPLATE_ID:
                return GapFillRequestDecoder.BLOCK_LENGTH;
            case SnapshotRequestDecoder.TEMPLATE_ID:
                return SnapshotRequestDecoder.BLOCK_LENGTH;
            case CatchUpRequestDecoder.TEMPLATE_ID:
                return CatchUpRequestDecoder.BLOCK_LENGTH;
            case CatchUpCreditDecoder.TEMPLATE_ID:
                return CatchUpCreditDecoder.BLOCK_LENGTH;
            case RecoveryResponseDecoder.TEMPLATE_ID:
                return RecoveryResponseDecoder.BLOCK_LENGTH;
            case SnapshotEntryDecoder.TEMPLATE_ID:
                return SnapshotEntryDecoder.BLOCK_LENGTH;
            default:
                // The feed's own messages travel inside recovery replies.
                return FrameReader.feedBlockLength(templateId);
        }
    }
}
