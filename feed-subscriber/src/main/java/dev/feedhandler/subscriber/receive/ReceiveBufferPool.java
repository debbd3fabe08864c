package dev.feedhandler.subscriber.receive;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import zmq.Msg;
import zmq.msg.MsgAllocator;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory for the frames JeroMQ receives, reused instead of allocated per frame. JeroMQ's decoder asks its
 * {@link MsgAllocator} for a message of each incoming frame's size, on its I/O thread; this allocator hands out a
 * message over a pooled array, and the receiver gives the array back as soon as it has copied the frame into the
 * ring ({@link #release(Msg)}). Small frames (topics) and frames larger than a pooled array are allocated as
 * usual; when every pooled array is in use (the receiver is far behind) a frame is allocated too, and counted.
 */
public final class ReceiveBufferPool implements MsgAllocator
{
    /** Frames smaller than this are not worth pooling (the topic frame, for one). */
    public static final int MIN_POOLED_BYTES = 256;

    private final ManyToManyConcurrentArrayQueue<byte[]> free;
    private final int arrayBytes;
    private final int maxArrays;
    private final AtomicLong misses = new AtomicLong();
    private int created;

    /**
     * A pool.
     *
     * @param arrayBytes size of each pooled array (largest frame pooled).
     * @param maxArrays  most arrays ever created.
     */
    public ReceiveBufferPool(final int arrayBytes, final int maxArrays)
    {
        this.arrayBytes = arrayBytes;
        this.maxArrays = maxArrays;
        this.free = new ManyToManyConcurrentArrayQueue<>(maxArrays);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Msg allocate(final int size)
    {
        if (size < MIN_POOLED_BYTES || size > arrayBytes)
        {
            return new Msg(size);
        }
        byte[] array = free.poll();
        if (array == null)
        {
            if (created >= maxArrays)
            {
                misses.lazySet(misses.get() + 1);
                return new Msg(size);
            }
            created++;
            array = new byte[arrayBytes];
        }
        return new PooledMsg(array, size);
    }

    /**
     * Gives a received message's array back to the pool once its bytes have been copied; other messages are left
     * to the garbage collector.
     *
     * @param message a message returned by the socket.
     */
    public void release(final Msg message)
    {
        if (message instanceof PooledMsg)
        {
            free.offer(((PooledMsg)message).array);
        }
    }

    /**
     * Frames allocated because every pooled array was in use.
     *
     * @return the count.
     */
    public long misses()
    {
        return misses.get();
    }

    /**
     * A message over a pooled array.
     */
    static final class PooledMsg extends Msg
    {
        final byte[] array;

        PooledMsg(final byte[] array, final int size)
        {
            super(ByteBuffer.wrap(array, 0, size));
            this.array = array;
        }
    }
}
