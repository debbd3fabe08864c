package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.BatchHeaderEncoder;
import dev.feedhandler.common.codec.HeartbeatEncoder;
import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.QuoteEncoder;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.codec.SessionStatusEncoder;
import dev.feedhandler.common.codec.TradeEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames of a newer schema version, as the SBE rules allow it to evolve: fields appended to each message (a larger
 * blockLength, a higher version), new enum values, new flag bits. A reader of version 1 still decodes every field
 * it knows and skips the rest.
 */
class FrameReaderForwardCompatibilityTest
{
    private static final byte APPENDED = (byte)0xA5;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();

    @Test
    void shouldDecodeTheKnownFieldsOfABatchWhoseMessagesAppendFields()
    {
        int position = header(0, BatchHeaderEncoder.BLOCK_LENGTH + 8, BatchHeaderEncoder.TEMPLATE_ID, 2);
        new BatchHeaderEncoder().wrap(buffer, position)
            .sessionEpoch(77).firstSequence(1001).sendTimestampNs(123_456_789L).updateCount(3)
            .flags().clear().replay(true);
        position = appendBytes(position + BatchHeaderEncoder.BLOCK_LENGTH, 8);

        position = header(position, QuoteEncoder.BLOCK_LENGTH + 16, QuoteEncoder.TEMPLATE_ID, 2);
        final QuoteEncoder quote = new QuoteEncoder().wrap(buffer, position)
            .instrumentId(5).bidSize(100).askSize(200).sourceTimestampNs(1);
        quote.bidPrice().mantissa(1_084_120_000L);
        quote.askPrice().mantissa(WireFormat.NULL_PRICE);
        position = appendBytes(position + QuoteEncoder.BLOCK_LENGTH, 16);

        position = header(position, TradeEncoder.BLOCK_LENGTH + 24, TradeEncoder.TEMPLATE_ID, 3);
        new TradeEncoder().wrap(buffer, position)
            .instrumentId(5).aggressorSide(AggressorSide.SELL).size(300).tradeId(9001).sourceTimestampNs(2)
            .price().mantissa(1_084_130_000L);
        position = appendBytes(position + TradeEncoder.BLOCK_LENGTH, 24);

        position = header(position, QuoteEncoder.BLOCK_LENGTH, QuoteEncoder.TEMPLATE_ID, 1);
        final QuoteEncoder oldQuote = new QuoteEncoder().wrap(buffer, position)
            .instrumentId(5).bidSize(1).askSize(2).sourceTimestampNs(3);
        oldQuote.bidPrice().mantissa(4);
        oldQuote.askPrice().mantissa(5);
        final int end = position + QuoteEncoder.BLOCK_LENGTH;

        assertThat(reader.read(buffer, 0, end)).isEqualTo(FrameKind.BATCH);
        assertThat(reader.batchHeader().sessionEpoch()).isEqualTo(77);
        assertThat(reader.batchHeader().firstSequence()).isEqualTo(1001);
        assertThat(reader.batchHeader().sendTimestampNs()).isEqualTo(123_456_789L);
        assertThat(reader.batchHeader().updateCount()).isEqualTo(3);
        assertThat(reader.batchHeader().flags().replay()).isTrue();
        assertThat(reader.updatesOffset()).isEqualTo(WireFormat.HEADER_LENGTH + BatchHeaderEncoder.BLOCK_LENGTH + 8);

        cursor.wrap(buffer, reader.updatesOffset(), reader.batchHeader().updateCount());
        assertThat(cursor.next()).isEqualTo(UpdateCursor.QUOTE);
        assertThat(cursor.quote().instrumentId()).isEqualTo(5);
        assertThat(cursor.quote().bidPrice().mantissa()).isEqualTo(1_084_120_000L);
        assertThat(cursor.quote().bidSize()).isEqualTo(100);
        assertThat(cursor.quote().askPrice().mantissa()).isEqualTo(WireFormat.NULL_PRICE);
        assertThat(cursor.quote().askSize()).isEqualTo(200);
        assertThat(cursor.quote().sourceTimestampNs()).isEqualTo(1);
        assertThat(cursor.next()).isEqualTo(UpdateCursor.TRADE);
        assertThat(cursor.trade().aggressorSide()).isEqualTo(AggressorSide.SELL);
        assertThat(cursor.trade().price().mantissa()).isEqualTo(1_084_130_000L);
        assertThat(cursor.trade().size()).isEqualTo(300);
        assertThat(cursor.trade().tradeId()).isEqualTo(9001);
        assertThat(cursor.trade().sourceTimestampNs()).isEqualTo(2);
        assertThat(cursor.next()).isEqualTo(UpdateCursor.QUOTE);
        assertThat(cursor.quote().bidPrice().mantissa()).isEqualTo(4);
        assertThat(cursor.quote().sourceTimestampNs()).isEqualTo(3);
        assertThat(cursor.next()).isEqualTo(UpdateCursor.END);
    }

    @Test
    void shouldDecodeTheKnownFieldsOfAHeartbeatThatAppendsFields()
    {
        final int body = header(0, HeartbeatEncoder.BLOCK_LENGTH + 16, HeartbeatEncoder.TEMPLATE_ID, 2);
        new HeartbeatEncoder().wrap(buffer, body)
            .sessionEpoch(77).lastSequence(1003).sendTimestampNs(55).flags().clear().endOfSession(true);
        final int end = appendBytes(body + HeartbeatEncoder.BLOCK_LENGTH, 16);

        assertThat(reader.read(buffer, 0, end)).isEqualTo(FrameKind.HEARTBEAT);
        assertThat(reader.heartbeat().sessionEpoch()).isEqualTo(77);
        assertThat(reader.heartbeat().lastSequence()).isEqualTo(1003);
        assertThat(reader.heartbeat().sendTimestampNs()).isEqualTo(55);
        assertThat(reader.heartbeat().flags().endOfSession()).isTrue();
    }

    @Test
    void shouldDecodeTheKnownFieldsOfASessionStatusThatAppendsFields()
    {
        final int body = header(0, SessionStatusEncoder.BLOCK_LENGTH + 8, SessionStatusEncoder.TEMPLATE_ID, 7);
        new SessionStatusEncoder().wrap(buffer, body)
            .sessionEpoch(77).sendTimestampNs(66).publishedUpdates(1003).publishedBatches(500).topicCount(10)
            .state(SessionState.ENDED);
        final int end = appendBytes(body + SessionStatusEncoder.BLOCK_LENGTH, 8);

        assertThat(reader.read(buffer, 0, end)).isEqualTo(FrameKind.SESSION_STATUS);
        assertThat(reader.sessionStatus().sessionEpoch()).isEqualTo(77);
        assertThat(reader.sessionStatus().publishedUpdates()).isEqualTo(1003);
        assertThat(reader.sessionStatus().publishedBatches()).isEqualTo(500);
        assertThat(reader.sessionStatus().topicCount()).isEqualTo(10);
        assertThat(reader.isSessionEnded()).isTrue();
    }

    @Test
    void shouldTreatASessionStateItDoesNotKnowAsNotEnded()
    {
        for (final int state : new int[] {0, 3, 0x7F, 0xFF})
        {
            final int body = header(0, SessionStatusEncoder.BLOCK_LENGTH, SessionStatusEncoder.TEMPLATE_ID, 2);
            new SessionStatusEncoder().wrap(buffer, body).sessionEpoch(77).state(SessionState.ACTIVE);
            buffer.putByte(body + SessionStatusEncoder.stateEncodingOffset(), (byte)state);

            assertThat(reader.read(buffer, 0, WireFormat.SESSION_STATUS_LENGTH)).isEqualTo(FrameKind.SESSION_STATUS);
            assertThat(reader.isSessionEnded()).as("state %d", state).isFalse();
            assertThat(reader.sessionStatus().stateRaw()).isEqualTo((short)state);
        }
    }

    @Test
    void shouldReadOnlyTheFlagBitsItKnows()
    {
        final ControlWriter writer = new ControlWriter();
        writer.heartbeat(buffer, 0, 1, 2, 3, false);
        buffer.putByte(WireFormat.HEADER_LENGTH + HeartbeatEncoder.flagsEncodingOffset(), (byte)0xFE);
        assertThat(reader.read(buffer, 0, WireFormat.HEARTBEAT_LENGTH)).isEqualTo(FrameKind.HEARTBEAT);
        assertThat(reader.heartbeat().flags().endOfSession()).isFalse();

        final BatchWriter batchWriter = new BatchWriter().wrap(buffer, 0);
        final int length = batchWriter.finish(1, 1, 1, false);
        buffer.putByte(WireFormat.HEADER_LENGTH + BatchHeaderEncoder.flagsEncodingOffset(), (byte)0xFF);
        assertThat(reader.read(buffer, 0, length)).isEqualTo(FrameKind.BATCH);
        assertThat(reader.batchHeader().flags().replay()).isTrue();
    }

    private int header(final int offset, final int blockLength, final int templateId, final int version)
    {
        header.wrap(buffer, offset)
            .blockLength(blockLength)
            .templateId(templateId)
            .schemaId(WireFormat.SCHEMA_ID)
            .version(version);
        return offset + WireFormat.HEADER_LENGTH;
    }

    private int appendBytes(final int offset, final int length)
    {
        buffer.setMemory(offset, length, APPENDED);
        return offset + length;
    }
}
