package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.CatchUpCreditEncoder;
import dev.feedhandler.common.codec.CatchUpRequestEncoder;
import dev.feedhandler.common.codec.GapFillRequestEncoder;
import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.RecoveryResponseEncoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.codec.SnapshotEntryEncoder;
import dev.feedhandler.common.codec.SnapshotRequestEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the frames of the recovery protocol: the requests a client sends, the response that starts every
 * reply, and the snapshot entries of a snapshot reply. Reserved bytes are written as zero. Allocation-free; one
 * instance per writing thread.
 * <pre>
 *   request:          [topic or prefix][GapFillRequest | SnapshotRequest | CatchUpRequest | CatchUpCredit]
 *   gap fill reply:   [topic][RecoveryResponse][batch]...              (frameCount batches, frame 1s as sent)
 *   snapshot reply:   [prefix][RecoveryResponse]([topic][SnapshotEntry (+ Quote)])...  (frameCount frames)
 *   catch-up page:    [topic][RecoveryResponse][page]                   (frameCount 0 or 1)
 *   page frame:       | int32 length | batch | int32 length | batch | ...   (little-endian, frame 1s as sent)
 * </pre>
 */
public final class RecoveryWriter
{
    private static final int RESPONSE_RESERVED_FROM =
        RecoveryResponseEncoder.statusEncodingOffset() + RecoveryResponseEncoder.statusEncodingLength();

    private static final int CATCH_UP_RESERVED_FROM =
        CatchUpRequestEncoder.creditEncodingOffset() + CatchUpRequestEncoder.creditEncodingLength();
    private static final int CREDIT_RESERVED_FROM =
        CatchUpCreditEncoder.flagsEncodingOffset() + CatchUpCreditEncoder.flagsEncodingLength();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CatchUpRequestEncoder catchUpEncoder = new CatchUpRequestEncoder();
    private final CatchUpCreditEncoder creditEncoder = new CatchUpCreditEncoder();
    private final GapFillRequestEncoder gapFillEncoder = new GapFillRequestEncoder();
    private final SnapshotRequestEncoder snapshotRequestEncoder = new SnapshotRequestEncoder();
    private final RecoveryResponseEncoder responseEncoder = new RecoveryResponseEncoder();
    private final SnapshotEntryEncoder entryEncoder = new SnapshotEntryEncoder();

    /**
     * Writes a gap fill request.
     *
     * @param buffer       to write into.
     * @param offset       where the frame starts.
     * @param requestId    chosen by the client, echoed in the reply.
     * @param sessionEpoch the session of the sequence numbers.
     * @param fromSequence first update wanted.
     * @param toSequence   last update wanted, or {@link WireFormat#SEQUENCE_TO_END}.
     * @return the frame length.
     */
    public int gapFillRequest(
        final MutableDirectBuffer buffer,
        final int offset,
        final long requestId,
        final long sessionEpoch,
        final long fromSequence,
        final long toSequence)
    {
        gapFillEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .requestId(requestId)
            .sessionEpoch(sessionEpoch)
            .fromSequence(fromSequence)
            .toSequence(toSequence);
        return WireFormat.GAP_FILL_REQUEST_LENGTH;
    }

    /**
     * Writes a snapshot request.
     *
     * @param buffer    to write into.
     * @param offset    where the frame starts.
     * @param requestId chosen by the client, echoed in the reply.
     * @param cursor    0 for the first page, then the {@code nextSequence} of the previous reply.
     * @return the frame length.
     */
    public int snapshotRequest(final MutableDirectBuffer buffer, final int offset, final long requestId,
        final long cursor)
    {
        snapshotRequestEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .requestId(requestId)
            .cursor(cursor);
        return WireFormat.SNAPSHOT_REQUEST_LENGTH;
    }

    /**
     * Writes a catch-up request: open a stream of a topic's batches.
     *
     * @param buffer       to write into.
     * @param offset       where the frame starts.
     * @param requestId    chosen by the client, echoed in every page.
     * @param sessionEpoch the session of the sequence numbers.
     * @param fromSequence first update wanted.
     * @param toSequence   last update wanted, or {@link WireFormat#SEQUENCE_TO_END} to follow the topic.
     * @param credit       pages the client can take now.
     * @return the frame length.
     */
    public int catchUpRequest(
        final MutableDirectBuffer buffer,
        final int offset,
        final long requestId,
        final long sessionEpoch,
        final long fromSequence,
        final long toSequence,
        final int credit)
    {
        catchUpEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .requestId(requestId)
            .sessionEpoch(sessionEpoch)
            .fromSequence(fromSequence)
            .toSequence(toSequence)
            .credit(credit);
        final int body = offset + WireFormat.HEADER_LENGTH;
        WireFormat.zero(buffer, body + CATCH_UP_RESERVED_FROM, body + CatchUpRequestEncoder.BLOCK_LENGTH);
        return WireFormat.CATCH_UP_REQUEST_LENGTH;
    }

    /**
     * Writes a catch-up credit: further pages for a stream, or its end.
     *
     * @param buffer    to write into.
     * @param offset    where the frame starts.
     * @param requestId of the stream's request.
     * @param credit    further pages the client can take.
     * @param cancel    whether the stream ends.
     * @return the frame length.
     */
    public int catchUpCredit(final MutableDirectBuffer buffer, final int offset, final long requestId,
        final int credit, final boolean cancel)
    {
        creditEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .requestId(requestId)
            .credit(credit)
            .flags().clear().cancel(cancel);
        final int body = offset + WireFormat.HEADER_LENGTH;
        WireFormat.zero(buffer, body + CREDIT_RESERVED_FROM, body + CatchUpCreditEncoder.BLOCK_LENGTH);
        return WireFormat.CATCH_UP_CREDIT_LENGTH;
    }

    /**
     * Writes the response frame that starts every reply.
     *
     * @param buffer       to write into.
     * @param offset       where the frame starts.
     * @param requestId    of the request answered, 0 if it could not be read.
     * @param status       the outcome.
     * @param sessionEpoch the session the reply is about.
     * @param fromSequence first sequence covered (gap fill), 0 otherwise.
     * @param toSequence   last sequence covered (gap fill), 0 otherwise.
     * @param nextSequence 0 when complete, otherwise where to ask again from.
     * @param frameCount   frames that follow.
     * @return the frame length.
     */
    public int response(
        final MutableDirectBuffer buffer,
        final int offset,
        final long requestId,
        final RecoveryStatus status,
        final long sessionEpoch,
        final long fromSequence,
        final long toSequence,
        final long nextSequence,
        final int frameCount)
    {
        responseEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .requestId(requestId)
            .sessionEpoch(sessionEpoch)
            .fromSequence(fromSequence)
            .toSequence(toSequence)
            .nextSequence(nextSequence)
            .frameCount(frameCount)
            .status(status);
        final int body = offset + WireFormat.HEADER_LENGTH;
        WireFormat.zero(buffer, body + RESPONSE_RESERVED_FROM, body + RecoveryResponseEncoder.BLOCK_LENGTH);
        return WireFormat.RECOVERY_RESPONSE_LENGTH;
    }

    /**
     * Writes a snapshot entry frame: the entry, then the topic's last quote (header included) if there is one.
     *
     * @param buffer        to write into.
     * @param offset        where the frame starts.
     * @param sessionEpoch  the session.
     * @param lastSequence  the topic's last sequence number.
     * @param quoteSequence sequence number of the quote, 0 if there is none.
     * @param quote         holds the quote as sent ({@link WireFormat#QUOTE_LENGTH} bytes, header included), or
     *                      null.
     * @param quoteOffset   where the quote starts in {@code quote}.
     * @return the frame length.
     */
    public int snapshotEntry(
        final MutableDirectBuffer buffer,
        final int offset,
        final long sessionEpoch,
        final long lastSequence,
        final long quoteSequence,
        final DirectBuffer quote,
        final int quoteOffset)
    {
        entryEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .sessionEpoch(sessionEpoch)
            .lastSequence(lastSequence)
            .quoteSequence(quote == null ? 0 : quoteSequence);
        if (quote == null)
        {
            return WireFormat.SNAPSHOT_ENTRY_LENGTH;
        }
        buffer.putBytes(offset + WireFormat.SNAPSHOT_ENTRY_LENGTH, quote, quoteOffset, WireFormat.QUOTE_LENGTH);
        return WireFormat.SNAPSHOT_ENTRY_LENGTH + WireFormat.QUOTE_LENGTH;
    }
}
