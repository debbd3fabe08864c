package dev.feedhandler.publisher.transport;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;

/**
 * Frame memory for the XPUB socket without an allocation per frame.
 * <p>
 * JeroMQ keeps a reference to a frame's bytes until its I/O thread has written them, and it has no callback to
 * say when that is. What it does guarantee is a bound: a TCP pipe holds at most SNDHWM unread messages (PUB drops,
 * or XPUB no-drop refuses, beyond that) and the stream engine holds at most the message it is writing. So the
 * bytes of a message are no longer referenced once more than {@code SNDHWM + slack} later messages have been
 * sent. This pool lays frames one after another in one large array and reuses a region only when every message
 * that used it is at least that far behind; when the array is too small for that (a large SNDHWM, large batches)
 * it says so and the caller copies the frame into a fresh array instead, which is counted.
 * <p>
 * The bound does not hold for inproc (the peer's receive high-water mark adds to the pipe) nor for an unlimited
 * SNDHWM: the publisher does not use the pool then. Publisher thread only.
 */
final class SendBufferPool
{
    private static final int SLACK_MESSAGES = 64;
    private static final long EMPTY = -1;

    private final byte[] ring;
    private final int capacity;
    private final int protectedMessages;
    private final long[] starts;
    private long messages;
    private long writePosition;

    /**
     * A pool.
     *
     * @param capacityBytes size of the array.
     * @param sendHwm       the socket's send high-water mark, in messages (must be positive).
     */
    SendBufferPool(final int capacityBytes, final int sendHwm)
    {
        this.ring = new byte[capacityBytes];
        this.capacity = capacityBytes;
        this.protectedMessages = sendHwm + SLACK_MESSAGES;
        this.starts = new long[protectedMessages];
    }

    /**
     * Copies a frame into the pool and wraps it for JeroMQ, or returns null if no region is free yet.
     * <p>
     * Positions are virtual: they only grow, the array index is the position modulo the capacity, and a frame
     * that would straddle the end of the array starts at the next multiple of the capacity instead. A region is
     * free when it ends at most one capacity after the start of the oldest frame still protected.
     *
     * @param source holding the frame.
     * @param offset where the frame starts.
     * @param length frame length.
     * @return a buffer over the copied frame (position 0, limit {@code length}), or null.
     */
    ByteBuffer copyOf(final DirectBuffer source, final int offset, final int length)
    {
        if (length > capacity)
        {
            return null;
        }
        long start = writePosition;
        final int index = (int)(start % capacity);
        if (index + length > capacity)
        {
            start += capacity - index;
        }
        if (start + length - oldestProtectedStart(start) > capacity)
        {
            return null;
        }
        final int physical = (int)(start % capacity);
        source.getBytes(offset, ring, physical, length);
        record(start);
        writePosition = start + length;
        return ByteBuffer.wrap(ring, physical, length).slice();
    }

    /**
     * Records a message that was sent without the pool (it still counts towards the distance).
     */
    void skip()
    {
        record(EMPTY);
    }

    private void record(final long start)
    {
        starts[(int)(messages % protectedMessages)] = start;
        messages++;
    }

    /**
     * Start of the oldest frame among the last {@code protectedMessages} messages that used the pool, or
     * {@code otherwise} if none did.
     */
    private long oldestProtectedStart(final long otherwise)
    {
        final long count = Math.min(messages, protectedMessages);
        for (long i = messages - count; i < messages; i++)
        {
            final long start = starts[(int)(i % protectedMessages)];
            if (start != EMPTY)
            {
                return start;
            }
        }
        return otherwise;
    }
}
