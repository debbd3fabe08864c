package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.concurrent.RingBuffers;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded lock-free hand-off (Agrona's {@link OneToOneRingBuffer}) from the publisher's thread to the recovery
 * service's: the publisher offers every frame it sends, never waits, and counts what did not fit. Offering allocates
 * nothing.
 * <pre>
 *   record: | topicLength int32 | topic | payload |
 * </pre>
 */
public final class RecoveryHandoff
{
    /** Message type of a frame in the ring. */
    static final int MSG_TYPE_FRAME = 1;
    /** Offset of the topic in a record. */
    static final int TOPIC_OFFSET = 4;

    private final AtomicBuffer buffer;
    private final RingBuffer ring;
    private final AtomicLong notWindowed = new AtomicLong();
    private volatile Doorbell doorbell;

    /**
     * A hand-off.
     *
     * @param ringBytes capacity of the ring (a power of two).
     */
    public RecoveryHandoff(final int ringBytes)
    {
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = new OneToOneRingBuffer(buffer);
    }

    /**
     * Copies a frame into the ring, or counts it if there is no room. Publisher thread only.
     *
     * @param topic   frame 0.
     * @param payload holds frame 1.
     * @param offset  where frame 1 starts.
     * @param length  frame 1 length.
     */
    void offer(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final int recordLength = TOPIC_OFFSET + topic.length + length;
        final int index = recordLength > ring.maxMsgLength() ? -1 : ring.tryClaim(MSG_TYPE_FRAME, recordLength);
        if (index < 0)
        {
            notWindowed.lazySet(notWindowed.get() + 1);
            return;
        }
        buffer.putInt(index, topic.length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(index + TOPIC_OFFSET, topic);
        buffer.putBytes(index + TOPIC_OFFSET + topic.length, payload, offset, length);
        ring.commit(index);
        final Doorbell bell = doorbell;
        if (bell != null && bell.isArmed())
        {
            bell.ringIfArmed();
        }
    }

    /**
     * Rings this doorbell when a frame is handed over while it is armed (the service waits long when idle).
     *
     * @param doorbell the service's, or null for none.
     */
    void doorbell(final Doorbell doorbell)
    {
        this.doorbell = doorbell;
    }

    /**
     * Whether a frame waits in the ring (the service's last look before it waits long). Recovery service's thread.
     *
     * @return true if the ring holds a frame.
     */
    boolean isEmpty()
    {
        return ring.size() == 0;
    }

    /**
     * Reads what is there, up to a limit. Recovery service's thread only.
     *
     * @param handler gets each frame's record.
     * @param limit   most records.
     * @return records read.
     */
    int read(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    /**
     * Reads every record committed so far, also across the ring's wrap point ({@link RingBuffers#readAll}).
     * Recovery service's thread only.
     *
     * @param handler gets each frame's record.
     * @return records read.
     */
    int readAll(final MessageHandler handler)
    {
        return RingBuffers.readAll(ring, handler);
    }

    /**
     * Frames that the ring had no room for (the service's window misses them). Safe from any thread.
     *
     * @return the count.
     */
    public long notWindowed()
    {
        return notWindowed.get();
    }
}
