package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.concurrent.RingBuffers;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded lock-free hand-off (Agrona's {@link OneToOneRingBuffer}) from the publisher's thread to the recovery
 * service's: the publisher offers every frame it sends, never waits (but, briefly, for the frames of its session's
 * end, once the feed is over), and counts what did not fit. Offering allocates nothing.
 * <pre>
 *   record: | topicLength int32 | topic | payload |
 * </pre>
 */
public final class RecoveryHandoff
{
    /** Message type of a frame in the ring. */
    static final int MSG_TYPE_FRAME = 1;
    /** The longest the frames of a session's end wait for room in the ring, all of them together: 1 s. */
    static final long END_WAIT_NS = 1_000_000_000L;
    private static final long END_WAIT_PARK_NS = 50_000L;
    /** Offset of the topic in a record. */
    static final int TOPIC_OFFSET = 4;

    private static final Logger LOG = LoggerFactory.getLogger(RecoveryHandoff.class);

    private final AtomicBuffer buffer;
    private final RingBuffer ring;
    private final AtomicLong notWindowed = new AtomicLong();
    private final Queue<byte[]> lateEnds = new ConcurrentLinkedQueue<>();
    private final AtomicLong endsLate = new AtomicLong();
    private final long endWaitNs;
    private long endDeadlineNs;
    private long endsWaited;
    /** Publisher thread's own copy of {@code endsLate > 0}, the one the price path reads (a plain load). */
    private boolean endLate;
    private volatile Doorbell doorbell;

    /**
     * A hand-off.
     *
     * @param ringBytes capacity of the ring (a power of two).
     */
    public RecoveryHandoff(final int ringBytes)
    {
        this(ringBytes, END_WAIT_NS);
    }

    /**
     * A hand-off whose session's end waits for room at most {@code endWaitNs} in all.
     *
     * @param ringBytes capacity of the ring (a power of two).
     * @param endWaitNs the longest the frames of the session's end wait for room, together.
     */
    RecoveryHandoff(final int ringBytes, final long endWaitNs)
    {
        this.endWaitNs = endWaitNs;
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH));
        this.ring = new OneToOneRingBuffer(buffer);
    }

    /**
     * Copies a frame into the ring, or counts it if there is no room. Publisher thread only.
     * <p>
     * A frame of the session's end (a topic's end-of-session heartbeat, the ended status) that finds the ring full
     * waits for room, up to {@link #END_WAIT_NS} in all for the session's end: the feed is over, and without it the
     * service would name the topics' ends where its window stopped, which a subscriber that lost the feed's own end
     * takes as the truth. If the ring stays full that long, the rest of the end goes beside the ring, copied into a
     * queue the service reads once it has read the ring ({@link #readLateEnds}), so it still arrives, in order.
     *
     * @param topic   frame 0.
     * @param payload holds frame 1.
     * @param offset  where frame 1 starts.
     * @param length  frame 1 length.
     */
    void offer(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (!endLate && tryOffer(topic, payload, offset, length))
        {
            return;
        }
        if (WireFormat.isEndOfSession(payload, offset, length))
        {
            if (!endLate && awaitRoom(topic, payload, offset, length))
            {
                return;
            }
            endsLate.lazySet(endsLate.get() + 1);
            if (!endLate)
            {
                endLate = true;
                LOG.info("the recovery service's hand-off stayed full for {} ms at the session's end (its thread " +
                    "starved of CPU?): the end goes to it beside the ring", endWaitNs / 1_000_000);
            }
            // Once one frame goes beside the ring, every later one does, so that the service reads them in order.
            lateEnds.add(record(topic, payload, offset, length));
            final Doorbell bell = doorbell;
            if (bell != null)
            {
                bell.ringIfArmed();
            }
            return;
        }
        notWindowed.lazySet(notWindowed.get() + 1);
    }

    private static byte[] record(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final byte[] record = new byte[TOPIC_OFFSET + topic.length + length];
        putRecord(new UnsafeBuffer(record), 0, topic, payload, offset, length);
        return record;
    }

    /** Writes a record, {@code | topicLength int32 | topic | payload |}, at {@code index}. */
    private static void putRecord(final MutableDirectBuffer into, final int index, final byte[] topic,
        final DirectBuffer payload, final int offset, final int length)
    {
        into.putInt(index, topic.length, ByteOrder.LITTLE_ENDIAN);
        into.putBytes(index + TOPIC_OFFSET, topic);
        into.putBytes(index + TOPIC_OFFSET + topic.length, payload, offset, length);
    }

    private boolean awaitRoom(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (endDeadlineNs == 0)
        {
            endDeadlineNs = System.nanoTime() + endWaitNs;
        }
        while (System.nanoTime() - endDeadlineNs < 0)
        {
            final Doorbell bell = doorbell;
            if (bell != null)
            {
                bell.ringIfArmed();
            }
            LockSupport.parkNanos(END_WAIT_PARK_NS);
            if (tryOffer(topic, payload, offset, length))
            {
                endsWaited++;
                return true;
            }
        }
        return false;
    }

    private boolean tryOffer(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final int recordLength = TOPIC_OFFSET + topic.length + length;
        final int index = recordLength > ring.maxMsgLength() ? -1 : ring.tryClaim(MSG_TYPE_FRAME, recordLength);
        if (index < 0)
        {
            return false;
        }
        putRecord(buffer, index, topic, payload, offset, length);
        ring.commit(index);
        final Doorbell bell = doorbell;
        if (bell != null && bell.isArmed())
        {
            bell.ringIfArmed();
        }
        return true;
    }

    /**
     * Frames of the session's end that found the ring full and went in after waiting for room. Publisher thread.
     *
     * @return the count.
     */
    long endsWaited()
    {
        return endsWaited;
    }

    /**
     * Frames of the session's end that went beside the ring, which stayed full for all of the end's wait. Safe from
     * any thread.
     *
     * @return the count.
     */
    public long endsLate()
    {
        return endsLate.get();
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
        return ring.size() == 0 && lateEnds.isEmpty();
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
     * Reads the frames of the session's end that went beside the ring, if there are any, after every frame the ring
     * still holds (all of them were offered before). Recovery service's thread only.
     *
     * @param handler gets each frame's record.
     * @return records read.
     */
    int readLateEnds(final MessageHandler handler)
    {
        if (lateEnds.isEmpty())
        {
            return 0;
        }
        int read = readAll(handler);
        byte[] record;
        while ((record = lateEnds.poll()) != null)
        {
            handler.onMessage(MSG_TYPE_FRAME, new UnsafeBuffer(record), 0, record.length);
            read++;
        }
        return read;
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
