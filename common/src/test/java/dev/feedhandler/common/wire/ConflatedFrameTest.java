package dev.feedhandler.common.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conflated stream's message: what {@link ConflatedWriter} writes, {@link FrameReader} reads back field by field,
 * and a message whose counts contradict its range is rejected whole, as the documented algorithm does.
 */
class ConflatedFrameTest
{
    private static final int BODY = WireFormat.HEADER_LENGTH;
    private final FrameReader reader = new FrameReader();

    @Test
    void shouldReadBackAMessageWithItsNewestQuote()
    {
        final byte[] frame = TestFrames.conflated(true);

        assertThat(frame).hasSize(ConflatedWriter.CONFLATED_WITH_QUOTE_LENGTH);
        assertThat(reader.read(new UnsafeBuffer(frame), 0, frame.length)).isEqualTo(FrameKind.CONFLATED);
        assertThat(ReferenceFrameValidator.classify(frame).kind()).isEqualTo(FrameKind.CONFLATED);
        assertThat(reader.sessionEpoch()).isEqualTo(99);
        assertThat(reader.sendTimestampNs()).isEqualTo(1_000_000_010L);
        assertThat(reader.conflated().fromSequence()).isEqualTo(1001);
        assertThat(reader.conflated().toSequence()).isEqualTo(1010);
        assertThat(reader.conflated().quoteSequence()).isEqualTo(1009);
        assertThat(reader.conflated().quotes()).isEqualTo(7);
        assertThat(reader.conflated().trades()).isEqualTo(3);
        assertThat(reader.conflatedQuoteOffset()).isEqualTo(WireFormat.CONFLATED_LENGTH);
        assertThat(reader.conflatedQuote().instrumentId()).isEqualTo(7);
        assertThat(reader.conflatedQuote().bidPrice().mantissa()).isEqualTo(1_084_120_000L);
        assertThat(reader.conflatedQuote().askSize()).isEqualTo(2_000_000);
        assertThat(reader.conflatedQuote().sourceTimestampNs()).isEqualTo(1_000_000_009L);
    }

    @Test
    void shouldReadBackAMessageOfTradesAlone()
    {
        final byte[] frame = TestFrames.conflated(false);

        assertThat(frame).hasSize(WireFormat.CONFLATED_LENGTH);
        assertThat(reader.read(new UnsafeBuffer(frame), 0, frame.length)).isEqualTo(FrameKind.CONFLATED);
        assertThat(reader.conflated().quotes()).isZero();
        assertThat(reader.conflated().quoteSequence()).isZero();
        assertThat(reader.conflated().trades()).isEqualTo(3);
        assertThat(reader.conflatedQuoteOffset()).isEqualTo(-1);
    }

    @Test
    void shouldRejectCountsThatDoNotAddUpToTheRange()
    {
        assertInvalid(putLong(TestFrames.conflated(true), BODY + 48, 4), DecodeError.INCONSISTENT);
        assertInvalid(putLong(TestFrames.conflated(true), BODY + 24, 1011), DecodeError.INCONSISTENT);
        assertInvalid(putLong(TestFrames.conflated(true), BODY + 8, 0), DecodeError.INCONSISTENT);
        assertInvalid(putLong(TestFrames.conflated(false), BODY + 24, 1012), DecodeError.INCONSISTENT);
        assertInvalid(putLong(TestFrames.conflated(true), BODY + 16, 1000), DecodeError.INCONSISTENT);
    }

    @Test
    void shouldRejectAMissingQuoteOrBytesAfterIt()
    {
        final byte[] withQuote = TestFrames.conflated(true);
        assertInvalid(Arrays.copyOf(withQuote, WireFormat.CONFLATED_LENGTH), DecodeError.TRUNCATED);
        assertInvalid(Arrays.copyOf(withQuote, withQuote.length + 1), DecodeError.TRAILING_BYTES);
        final byte[] tradesOnly = TestFrames.conflated(false);
        assertInvalid(Arrays.copyOf(tradesOnly, tradesOnly.length + 8), DecodeError.TRAILING_BYTES);
        final int quoteTemplate = WireFormat.CONFLATED_LENGTH + TestFrames.TEMPLATE_ID;
        assertInvalid(TestFrames.putU16(TestFrames.conflated(true), quoteTemplate, 3), DecodeError.UNEXPECTED_MESSAGE);
    }

    private void assertInvalid(final byte[] frame, final DecodeError expected)
    {
        assertThat(ReferenceFrameValidator.classify(frame))
            .isEqualTo(ReferenceFrameValidator.Verdict.invalid(expected));
        assertThat(reader.read(new UnsafeBuffer(frame), 0, frame.length)).isEqualTo(FrameKind.INVALID);
        assertThat(reader.error()).isEqualTo(expected);
    }

    private static byte[] putLong(final byte[] frame, final int index, final long value)
    {
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putLong(index, value);
        return frame;
    }
}
