package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.Envelope;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import zmq.Msg;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Unpacks an {@link Envelope} (a publisher's {@code --envelope}) into the frames it carries and hands each to the
 * {@link FrameIntake}, exactly as if it had come alone: the subscriber's topic prefixes are applied here, since
 * ZeroMQ filtered the envelope by its own topic only (the control topic always passes, as its subscription always
 * is there). A malformed envelope is counted; the frames before the damage are delivered, and the rest are gaps that
 * the sequence numbers show. Allocation-free per envelope once its buffer has grown to the largest envelope.
 * Receiver thread only.
 */
final class EnvelopeIntake
{
    private final FrameIntake intake;
    private final SubscriberCounters counters;
    private final Envelope.Reader reader = new Envelope.Reader();
    private final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(64 * 1024);
    private final byte[][] prefixes;
    private final boolean all;

    /**
     * @param intake   where the frames go.
     * @param counters where malformed envelopes are counted.
     * @param topics   the subscription's topic prefixes ("" for every topic; null: every topic).
     */
    EnvelopeIntake(final FrameIntake intake, final SubscriberCounters counters, final List<String> topics)
    {
        this.intake = intake;
        this.counters = counters;
        final List<String> accepted = topics == null ? List.of("") : topics;
        prefixes = new byte[accepted.size()][];
        boolean any = false;
        for (int i = 0; i < prefixes.length; i++)
        {
            prefixes[i] = accepted.get(i).getBytes(StandardCharsets.US_ASCII);
            any |= prefixes[i].length == 0;
        }
        all = any;
    }

    /**
     * Whether a message's topic frame is the envelope's.
     *
     * @param topicFrame frame 0.
     * @return true for {@link Envelope#TOPIC}.
     */
    static boolean isEnvelope(final Msg topicFrame)
    {
        final byte[] topic = Envelope.TOPIC_BYTES;
        if (topicFrame.size() != topic.length)
        {
            return false;
        }
        for (int i = 0; i < topic.length; i++)
        {
            if (topicFrame.get(i) != topic[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Hands every frame of an envelope on, in order.
     *
     * @param payload the envelope (frame 1).
     * @param line    the line it came on.
     * @return frames handed on.
     */
    int onEnvelope(final Msg payload, final int line)
    {
        final int length = payload.size();
        copy.checkLimit(length);
        payload.getBytes(0, copy.byteArray(), 0, length);
        return onEnvelope(copy, 0, length, line);
    }

    /**
     * Hands every frame of an envelope on, in order (package-private for tests).
     */
    int onEnvelope(final DirectBuffer envelope, final int offset, final int length, final int line)
    {
        int frames = 0;
        if (reader.wrap(envelope, offset, length))
        {
            while (reader.next())
            {
                if (accepts(envelope, reader.topicOffset(), reader.topicLength()))
                {
                    intake.onFrame(envelope, reader.topicOffset(), reader.topicLength(),
                        envelope, reader.frameOffset(), reader.frameLength(), line);
                    frames++;
                }
            }
        }
        final DecodeError error = reader.error();
        if (error != null)
        {
            counters.onDecodeError(error);
        }
        return frames;
    }

    private boolean accepts(final DirectBuffer buffer, final int topicOffset, final int topicLength)
    {
        if (all || (topicLength > 0 && buffer.getByte(topicOffset) == WireFormat.RESERVED_TOPIC_BYTE))
        {
            return true;
        }
        for (final byte[] prefix : prefixes)
        {
            if (startsWith(buffer, topicOffset, topicLength, prefix))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(
        final DirectBuffer buffer, final int topicOffset, final int topicLength, final byte[] prefix)
    {
        if (prefix.length > topicLength)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (buffer.getByte(topicOffset + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }
}
