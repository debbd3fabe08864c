package dev.feedhandler.common.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The envelope's layout: entries come back as written, in order; every kind of damage is named, and the entries
 * before it stay readable.
 */
@Timeout(10)
class EnvelopeTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final Envelope.Writer writer = new Envelope.Writer(buffer);
    private final Envelope.Reader reader = new Envelope.Reader();

    @Test
    void shouldReadBackEveryEntryInOrder()
    {
        append("EURUSD", "first frame");
        append("\0ctl", "status");
        append("USDJPY", "");
        final int length = writer.seal();

        assertThat(reader.wrap(buffer, 0, length)).isTrue();
        assertThat(readAll()).containsExactly("EURUSD=first frame", "\0ctl=status", "USDJPY=");
        assertThat(reader.error()).isNull();
    }

    @Test
    void shouldSayWhenAnEntryDoesNotFit()
    {
        final byte[] frame = new byte[256 - Envelope.HEADER_LENGTH - Envelope.ENTRY_OVERHEAD - 6];
        assertThat(writer.fits(6, frame.length)).isTrue();
        assertThat(writer.fits(6, frame.length + 1)).isFalse();
        writer.append(topic("EURUSD"), new UnsafeBuffer(frame), 0, frame.length);
        assertThat(writer.fits(1, 0)).isFalse();
    }

    @Test
    void shouldGiveTheLoneFrameForSendingAlone()
    {
        append("GBPUSD", "alone");
        writer.seal();
        final byte[] frame = new byte[writer.firstFrameLength()];
        buffer.getBytes(writer.firstFrameOffset(), frame);
        assertThat(new String(frame, StandardCharsets.US_ASCII)).isEqualTo("alone");
    }

    @Test
    void shouldKeepTheEntriesBeforeATruncation()
    {
        append("EURUSD", "one");
        append("USDJPY", "two");
        final int length = writer.seal();

        assertThat(reader.wrap(buffer, 0, length - 1)).isTrue();
        assertThat(readAll()).containsExactly("EURUSD=one");
        assertThat(reader.error()).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void shouldNameAFrameLengthBeyondTheEnvelope()
    {
        append("EURUSD", "one");
        final int length = writer.seal();
        buffer.putInt(Envelope.HEADER_LENGTH + 1 + 6, 1_000_000, java.nio.ByteOrder.LITTLE_ENDIAN);

        assertThat(reader.wrap(buffer, 0, length)).isTrue();
        assertThat(readAll()).isEmpty();
        assertThat(reader.error()).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void shouldNameBytesAfterTheLastEntry()
    {
        append("EURUSD", "one");
        final int length = writer.seal();

        assertThat(reader.wrap(buffer, 0, length + 3)).isTrue();
        assertThat(readAll()).containsExactly("EURUSD=one");
        assertThat(reader.error()).isEqualTo(DecodeError.TRAILING_BYTES);
    }

    @Test
    void shouldRefuseAnUnknownVersionAndAShortHeader()
    {
        append("EURUSD", "one");
        final int length = writer.seal();
        buffer.putByte(0, (byte)2);
        assertThat(reader.wrap(buffer, 0, length)).isFalse();
        assertThat(reader.error()).isEqualTo(DecodeError.UNSUPPORTED_VERSION);

        assertThat(reader.wrap(buffer, 0, Envelope.HEADER_LENGTH - 1)).isFalse();
        assertThat(reader.error()).isEqualTo(DecodeError.TRUNCATED);
    }

    @Test
    void shouldStartAfreshAfterReset()
    {
        append("EURUSD", "one");
        writer.seal();
        writer.reset();
        append("USDJPY", "two");
        final int length = writer.seal();

        assertThat(writer.count()).isEqualTo(1);
        assertThat(reader.wrap(buffer, 0, length)).isTrue();
        assertThat(readAll()).containsExactly("USDJPY=two");
    }

    @Test
    void shouldKnowItsTopic()
    {
        assertThat(Envelope.isEnvelopeTopic(Envelope.TOPIC_BYTES, Envelope.TOPIC_BYTES.length)).isTrue();
        assertThat(Envelope.isEnvelopeTopic(WireFormat.CONTROL_TOPIC_BYTES, WireFormat.CONTROL_TOPIC_BYTES.length))
            .isFalse();
        assertThat(Envelope.TOPIC_BYTES[0]).isEqualTo(WireFormat.RESERVED_TOPIC_BYTE);
    }

    private void append(final String topic, final String frame)
    {
        final byte[] bytes = frame.getBytes(StandardCharsets.US_ASCII);
        assertThat(writer.fits(topic.length(), bytes.length)).isTrue();
        writer.append(topic(topic), new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static byte[] topic(final String topic)
    {
        return topic.getBytes(StandardCharsets.US_ASCII);
    }

    private List<String> readAll()
    {
        final List<String> entries = new ArrayList<>();
        while (reader.next())
        {
            final byte[] topic = new byte[reader.topicLength()];
            buffer.getBytes(reader.topicOffset(), topic);
            final byte[] frame = new byte[reader.frameLength()];
            buffer.getBytes(reader.frameOffset(), frame);
            entries.add(new String(topic, StandardCharsets.US_ASCII) + "=" +
                new String(frame, StandardCharsets.US_ASCII));
        }
        return entries;
    }
}
