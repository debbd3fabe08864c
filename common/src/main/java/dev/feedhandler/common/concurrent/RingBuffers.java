package dev.feedhandler.common.concurrent;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Reading an Agrona ring buffer to the end of what is committed.
 */
public final class RingBuffers
{
    private RingBuffers()
    {
    }

    /**
     * Reads every record committed so far. A read that ends at the ring's wrap point consumes only the padding
     * record there and returns 0 although records follow at the start of the ring, so "read until a read returns 0"
     * can stop short. One more read after a 0 reads from the start; two 0s in a row mean nothing committed is left.
     * Consumer thread only.
     *
     * @param ring    the ring.
     * @param handler gets each record.
     * @return records read.
     */
    public static int readAll(final RingBuffer ring, final MessageHandler handler)
    {
        int total = 0;
        boolean empty = false;
        while (true)
        {
            final int read = ring.read(handler, Integer.MAX_VALUE);
            total += read;
            if (read == 0)
            {
                if (empty)
                {
                    return total;
                }
                empty = true;
            }
            else
            {
                empty = false;
            }
        }
    }
}
