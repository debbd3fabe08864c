package dev.feedhandler.publisher.transport;

import dev.feedhandler.common.wire.Envelope;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Packs the frames one duty cycle sends into one ZeroMQ message ({@link Envelope}), for {@code publish --envelope}:
 * a frame is taken into the envelope being built, and the envelope goes when the duty cycle ends ({@link #flush()}),
 * or earlier when the next frame would not fit. An envelope of one frame goes as that frame's own message, so a lone
 * update costs nothing more than without envelopes; a frame too large for an empty envelope goes alone too, after
 * the envelope before it.
 * <p>
 * Back-pressure keeps {@link Publication}'s contract: an envelope the socket refused waits here, sealed, and until
 * it has gone every frame offered is refused ({@link Publication#BACK_PRESSURED}), so the frames stay in order and
 * the caller offers them again. Publisher thread only; allocation-free but for the socket's copy of each message.
 */
final class EnvelopeSender
{
    /** Where a message goes: the socket's own two-frame send. */
    interface MessageSink
    {
        /**
         * Offers one message {@code [topic][payload]} to the socket.
         *
         * @param topic   frame 0.
         * @param payload holds frame 1.
         * @param offset  where it starts.
         * @param length  its length.
         * @return {@link Publication#SENT}, {@link Publication#BACK_PRESSURED} or {@link Publication#CLOSED}.
         */
        int send(byte[] topic, DirectBuffer payload, int offset, int length);
    }

    private final MessageSink sink;
    private final Envelope.Writer writer;
    private byte[] firstTopic;
    private boolean sealed;
    private int sealedLength;
    private long envelopes;
    private long framesEnveloped;

    /**
     * A sender.
     *
     * @param sink          the socket.
     * @param maxEnvelopeBytes largest envelope (the subscriber receives frames up to the largest batch into pooled
     *                      arrays, so the largest batch is the natural bound).
     */
    EnvelopeSender(final MessageSink sink, final int maxEnvelopeBytes)
    {
        this.sink = sink;
        this.writer = new Envelope.Writer(new UnsafeBuffer(new byte[maxEnvelopeBytes]));
    }

    /**
     * Takes a frame into the envelope, sending the envelope first if the frame does not fit.
     *
     * @param topic   frame 0, never modified by the caller.
     * @param payload holds frame 1.
     * @param offset  where it starts.
     * @param length  its length.
     * @return as {@link Publication#send}.
     */
    int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (sealed)
        {
            final int result = sendSealed();
            if (result != Publication.SENT)
            {
                return result;
            }
        }
        if (!writer.fits(topic.length, length))
        {
            if (writer.count() > 0)
            {
                final int result = flush();
                if (result != Publication.SENT)
                {
                    return result;
                }
            }
            if (!writer.fits(topic.length, length))
            {
                return sink.send(topic, payload, offset, length);
            }
        }
        if (writer.count() == 0)
        {
            firstTopic = topic;
        }
        writer.append(topic, payload, offset, length);
        return Publication.SENT;
    }

    /**
     * Sends the envelope built so far, if any (the end of a duty cycle).
     *
     * @return {@link Publication#SENT} (also when there was nothing to send), {@link Publication#BACK_PRESSURED}
     *         (it waits, sealed, and goes on a later call) or {@link Publication#CLOSED}.
     */
    int flush()
    {
        if (!sealed)
        {
            if (writer.count() == 0)
            {
                return Publication.SENT;
            }
            sealedLength = writer.seal();
            sealed = true;
        }
        return sendSealed();
    }

    private int sendSealed()
    {
        final int count = writer.count();
        final int result = count == 1 ?
            sink.send(firstTopic, writer.buffer(), writer.firstFrameOffset(), writer.firstFrameLength()) :
            sink.send(Envelope.TOPIC_BYTES, writer.buffer(), 0, sealedLength);
        if (result != Publication.BACK_PRESSURED)
        {
            if (result == Publication.SENT && count > 1)
            {
                envelopes++;
                framesEnveloped += count;
            }
            writer.reset();
            firstTopic = null;
            sealed = false;
        }
        return result;
    }

    /**
     * Gives up the frames not yet sent (the session ends and they could not go within its close linger).
     *
     * @return frames given up.
     */
    int discard()
    {
        final int count = writer.count();
        writer.reset();
        firstTopic = null;
        sealed = false;
        return count;
    }

    /**
     * Whether an envelope the socket refused waits to go.
     *
     * @return true while one waits.
     */
    boolean isBackPressured()
    {
        return sealed;
    }

    /**
     * Frames taken but not yet handed to the socket.
     *
     * @return the count.
     */
    int pendingFrames()
    {
        return writer.count();
    }

    /**
     * Envelopes (of two frames or more) sent.
     *
     * @return the count.
     */
    long envelopes()
    {
        return envelopes;
    }

    /**
     * Frames that went inside envelopes.
     *
     * @return the count.
     */
    long framesEnveloped()
    {
        return framesEnveloped;
    }
}
