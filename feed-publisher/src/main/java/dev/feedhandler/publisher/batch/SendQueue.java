package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.wire.WireFormat;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * The order keeper between the batcher and the {@link Publication}: a frame goes straight to the publication while
 * nothing waits; a frame the publication refused ({@link Publication#BACK_PRESSURED}) and every frame after it wait
 * here, copied, in order, until {@link #retry()} gets them out, head first, on later duty cycles. So back-pressure
 * never loses or reorders a frame and never waits inside a send, and the batcher's buffers are free again as soon as
 * a send returns. Frames are copied only while something waits (in steady state, with the drop policy, never).
 * <pre>
 *   record: | topic id int32 (-1: the control topic) | payload |
 * </pre>
 * Publisher thread only.
 */
final class SendQueue implements ExpandableRingBuffer.MessageConsumer
{
    /** The topic id of the control topic's frames (session statuses). */
    static final int CONTROL_TOPIC_ID = -1;

    private static final int TOPIC_ID_OFFSET = 0;
    private static final int PAYLOAD_OFFSET = Integer.BYTES;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int RETRY_LIMIT = 1024;

    private final Publication publication;
    private final IntFunction<byte[]> topics;
    private final ExpandableRingBuffer waiting = new ExpandableRingBuffer(0, ExpandableRingBuffer.MAX_CAPACITY, false);
    private final ExpandableArrayBuffer record = new ExpandableArrayBuffer(BatchConfiguration.DEFAULT_MAX_BYTES);

    private int waitingFrames;
    private int maxWaitingFrames;
    private long backPressured;
    private long discarded;
    private boolean closed;

    /**
     * A queue in front of a publication.
     *
     * @param publication where frames go.
     * @param topics      the topic frame of a topic id (an instrument id), for the frames sent from here.
     */
    SendQueue(final Publication publication, final IntFunction<byte[]> topics)
    {
        this.publication = publication;
        this.topics = topics;
    }

    /**
     * Sends a frame now, or queues it behind those that wait.
     *
     * @param topicId topic id, or {@link #CONTROL_TOPIC_ID}.
     * @param topic   frame 0 (the topic's own array, never modified).
     * @param payload holds frame 1; free again when this returns.
     * @param offset  where frame 1 starts.
     * @param length  frame 1 length.
     */
    void send(final int topicId, final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (closed)
        {
            discarded++;
            return;
        }
        if (waitingFrames == 0)
        {
            final int result = publication.send(topic, payload, offset, length);
            if (result != Publication.BACK_PRESSURED)
            {
                onResult(result);
                return;
            }
            backPressured++;
        }
        enqueue(topicId, payload, offset, length);
    }

    private void enqueue(final int topicId, final DirectBuffer payload, final int offset, final int length)
    {
        record.putInt(TOPIC_ID_OFFSET, topicId, ORDER);
        record.putBytes(PAYLOAD_OFFSET, payload, offset, length);
        if (!waiting.append(record, 0, PAYLOAD_OFFSET + length))
        {
            throw new IllegalStateException("more than " + ExpandableRingBuffer.MAX_CAPACITY +
                " bytes of frames wait for the socket");
        }
        waitingFrames++;
        maxWaitingFrames = Math.max(maxWaitingFrames, waitingFrames);
    }

    /**
     * Offers the waiting frames again, head first, until the publication refuses one or none is left.
     *
     * @return frames that went.
     */
    int retry()
    {
        final int before = waitingFrames;
        if (before > 0)
        {
            waiting.consume(this, RETRY_LIMIT);
        }
        return before - waitingFrames;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean onMessage(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        final int topicId = buffer.getInt(offset + TOPIC_ID_OFFSET, ORDER);
        final byte[] topic = topicId == CONTROL_TOPIC_ID ? WireFormat.CONTROL_TOPIC_BYTES : topics.apply(topicId);
        final int result = closed ? Publication.CLOSED :
            publication.send(topic, buffer, offset + PAYLOAD_OFFSET, length - PAYLOAD_OFFSET);
        if (result == Publication.BACK_PRESSURED)
        {
            backPressured++;
            return false;
        }
        waitingFrames--;
        onResult(result);
        return true;
    }

    private void onResult(final int result)
    {
        if (result == Publication.CLOSED)
        {
            closed = true;
            discarded++;
        }
    }

    /**
     * Gives up on the frames that wait (the session ends and they could not go within its close linger).
     *
     * @return frames given up.
     */
    int discard()
    {
        final int count = waitingFrames;
        discarded += count;
        waitingFrames = 0;
        waiting.reset(0);
        return count;
    }

    /**
     * Whether frames wait for the socket: the batcher must not take more from its source meanwhile.
     *
     * @return true while back-pressured.
     */
    boolean isBackPressured()
    {
        return waitingFrames > 0;
    }

    /**
     * Whether the publication answered {@link Publication#CLOSED}: nothing will go out again.
     *
     * @return true once closed.
     */
    boolean isClosed()
    {
        return closed;
    }

    /**
     * Frames waiting now.
     *
     * @return the count.
     */
    int waitingFrames()
    {
        return waitingFrames;
    }

    /**
     * Most frames that waited at once.
     *
     * @return the count.
     */
    int maxWaitingFrames()
    {
        return maxWaitingFrames;
    }

    /**
     * Times the publication refused a frame.
     *
     * @return the count.
     */
    long backPressured()
    {
        return backPressured;
    }

    /**
     * Frames that never went: given up at the end, or offered after the publication closed.
     *
     * @return the count.
     */
    long discarded()
    {
        return discarded;
    }
}
