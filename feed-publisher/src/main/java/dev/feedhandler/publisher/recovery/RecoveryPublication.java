package dev.feedhandler.publisher.recovery;

import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands every frame the publisher sends to the recovery service's thread through a bounded lock-free ring (Agrona's
 * {@link OneToOneRingBuffer}), <em>before</em> sending it: whatever a subscriber can have seen, the service has been
 * handed, so a request about it never outruns the window. The price path never waits for the service: with the
 * ring full the frame is sent anyway and counted as not windowed (requests for it then fall back to the journal).
 * Publisher thread only; allocation-free.
 * <pre>
 *   ring record: | topicLength int32 | topic | payload |
 * </pre>
 */
public final class RecoveryPublication implements Publication
{
    /** Message type of a frame in the ring. */
    static final int MSG_TYPE_FRAME = 1;
    /** Offset of the topic in a ring record. */
    static final int TOPIC_OFFSET = 4;

    private final Publication delegate;
    private final AtomicBuffer ringBuffer;
    private final RingBuffer ring;
    private final AtomicLong notWindowed = new AtomicLong();

    /**
     * Decorates a publication.
     *
     * @param delegate  where frames are sent (the journal's decorator, or the socket).
     * @param ringBytes capacity of the hand-off ring (a power of two).
     */
    public RecoveryPublication(final Publication delegate, final int ringBytes)
    {
        this.delegate = delegate;
        this.ringBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = new OneToOneRingBuffer(ringBuffer);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final int recordLength = TOPIC_OFFSET + topic.length + length;
        final int index = recordLength > ring.maxMsgLength() ? -1 : ring.tryClaim(MSG_TYPE_FRAME, recordLength);
        if (index < 0)
        {
            notWindowed.lazySet(notWindowed.get() + 1);
        }
        else
        {
            ringBuffer.putInt(index, topic.length, ByteOrder.LITTLE_ENDIAN);
            ringBuffer.putBytes(index + TOPIC_OFFSET, topic);
            ringBuffer.putBytes(index + TOPIC_OFFSET + topic.length, payload, offset, length);
            ring.commit(index);
        }
        delegate.send(topic, payload, offset, length);
    }

    /**
     * The ring the recovery service drains.
     *
     * @return the ring.
     */
    RingBuffer ring()
    {
        return ring;
    }

    /**
     * Frames sent that the ring had no room for (the service's window misses them). Safe from any thread.
     *
     * @return the count.
     */
    public long notWindowed()
    {
        return notWindowed.get();
    }
}
