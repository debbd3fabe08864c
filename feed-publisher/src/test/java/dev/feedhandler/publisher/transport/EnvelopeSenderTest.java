package dev.feedhandler.publisher.transport;

import dev.feedhandler.common.wire.Envelope;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --envelope} at the socket: the frames of a duty cycle go as one message, a lone frame as itself, a frame
 * too large for an envelope alone and after what came before it; back-pressure keeps every frame, in order.
 */
@Timeout(10)
class EnvelopeSenderTest
{
    private final List<String> messages = new ArrayList<>();
    private int refuse;
    private boolean closed;
    private final EnvelopeSender sender = new EnvelopeSender(this::sink, 128);

    private int sink(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (closed)
        {
            return Publication.CLOSED;
        }
        if (refuse > 0)
        {
            refuse--;
            return Publication.BACK_PRESSURED;
        }
        final String name = new String(topic, StandardCharsets.US_ASCII);
        if (Envelope.isEnvelopeTopic(topic, topic.length))
        {
            final Envelope.Reader reader = new Envelope.Reader();
            assertThat(reader.wrap(payload, offset, length)).isTrue();
            final StringBuilder entries = new StringBuilder("env[");
            while (reader.next())
            {
                final byte[] bytes = new byte[reader.topicLength() + reader.frameLength()];
                payload.getBytes(reader.topicOffset(), bytes, 0, reader.topicLength());
                payload.getBytes(reader.frameOffset(), bytes, reader.topicLength(), reader.frameLength());
                entries.append(new String(bytes, 0, reader.topicLength(), StandardCharsets.US_ASCII)).append('=')
                    .append(new String(bytes, reader.topicLength(), reader.frameLength(), StandardCharsets.US_ASCII))
                    .append(' ');
            }
            assertThat(reader.error()).isNull();
            messages.add(entries.toString().trim() + "]");
        }
        else
        {
            final byte[] bytes = new byte[length];
            payload.getBytes(offset, bytes);
            messages.add(name + "=" + new String(bytes, StandardCharsets.US_ASCII));
        }
        return Publication.SENT;
    }

    private int send(final String topic, final String frame)
    {
        final byte[] bytes = frame.getBytes(StandardCharsets.US_ASCII);
        return sender.send(topic.getBytes(StandardCharsets.US_ASCII), new UnsafeBuffer(bytes), 0, bytes.length);
    }

    @Test
    void shouldSendTheFramesOfADutyCycleAsOneMessage()
    {
        assertThat(send("EURUSD", "a")).isEqualTo(Publication.SENT);
        assertThat(send("USDJPY", "b")).isEqualTo(Publication.SENT);
        assertThat(send("\0ctl", "s")).isEqualTo(Publication.SENT);
        assertThat(messages).isEmpty();
        assertThat(sender.pendingFrames()).isEqualTo(3);

        assertThat(sender.flush()).isEqualTo(Publication.SENT);
        assertThat(messages).containsExactly("env[EURUSD=a USDJPY=b \0ctl=s]");
        assertThat(sender.envelopes()).isEqualTo(1);
        assertThat(sender.framesEnveloped()).isEqualTo(3);
        assertThat(sender.flush()).as("nothing left").isEqualTo(Publication.SENT);
        assertThat(messages).hasSize(1);
    }

    @Test
    void shouldSendALoneFrameAsItself()
    {
        send("EURUSD", "alone");
        sender.flush();
        assertThat(messages).containsExactly("EURUSD=alone");
        assertThat(sender.envelopes()).isZero();
    }

    @Test
    void shouldSendTheEnvelopeFirstWhenTheNextFrameDoesNotFit()
    {
        send("EURUSD", "a");
        send("USDJPY", "b");
        final String big = "x".repeat(100);
        send("GBPUSD", big);
        assertThat(messages).containsExactly("env[EURUSD=a USDJPY=b]");
        sender.flush();
        assertThat(messages).containsExactly("env[EURUSD=a USDJPY=b]", "GBPUSD=" + big);
    }

    @Test
    void shouldSendAFrameTooLargeForAnyEnvelopeAloneAfterTheOnesBefore()
    {
        send("EURUSD", "a");
        final String huge = "y".repeat(200);
        assertThat(send("GBPUSD", huge)).isEqualTo(Publication.SENT);
        assertThat(messages).containsExactly("EURUSD=a", "GBPUSD=" + huge);
        send("USDJPY", "c");
        sender.flush();
        assertThat(messages).containsExactly("EURUSD=a", "GBPUSD=" + huge, "USDJPY=c");
    }

    @Test
    void shouldKeepARefusedEnvelopeAndRefuseFramesUntilItHasGone()
    {
        send("EURUSD", "a");
        send("USDJPY", "b");
        refuse = 2;
        assertThat(sender.flush()).isEqualTo(Publication.BACK_PRESSURED);
        assertThat(sender.isBackPressured()).isTrue();
        assertThat(send("GBPUSD", "c")).as("nothing taken while it waits").isEqualTo(Publication.BACK_PRESSURED);
        assertThat(messages).isEmpty();

        assertThat(send("GBPUSD", "c")).as("the envelope goes first, then the frame is taken")
            .isEqualTo(Publication.SENT);
        assertThat(sender.isBackPressured()).isFalse();
        sender.flush();
        assertThat(messages).containsExactly("env[EURUSD=a USDJPY=b]", "GBPUSD=c");
    }

    @Test
    void shouldRefuseAFrameThatDoesNotFitWhileTheFullEnvelopeIsRefused()
    {
        send("EURUSD", "a");
        send("USDJPY", "b");
        refuse = 1;
        assertThat(send("GBPUSD", "z".repeat(100))).isEqualTo(Publication.BACK_PRESSURED);
        assertThat(sender.isBackPressured()).isTrue();
        assertThat(send("GBPUSD", "z".repeat(100))).isEqualTo(Publication.SENT);
        sender.flush();
        assertThat(messages).containsExactly("env[EURUSD=a USDJPY=b]", "GBPUSD=" + "z".repeat(100));
    }

    @Test
    void shouldGiveUpWhatWaitsAndAnswerClosed()
    {
        send("EURUSD", "a");
        send("USDJPY", "b");
        refuse = 1;
        sender.flush();
        assertThat(sender.discard()).isEqualTo(2);
        assertThat(sender.isBackPressured()).isFalse();

        send("EURUSD", "c");
        closed = true;
        assertThat(sender.flush()).isEqualTo(Publication.CLOSED);
        assertThat(sender.pendingFrames()).isZero();
        assertThat(messages).isEmpty();
    }
}
