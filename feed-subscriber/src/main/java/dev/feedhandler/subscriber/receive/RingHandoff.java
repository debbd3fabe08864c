package dev.feedhandler.subscriber.receive;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.feedhandler.subscriber.SubscriberCounters;

/**
 * The hand-off through a Disruptor ring of pre-allocated slots to the listener's thread. A full ring is counted and
 * waited for: the receiver never drops what it received.
 */
public final class RingHandoff implements EventHandoff
{
    private final RingBuffer<BatchEvent> ring;
    private final SubscriberCounters counters;
    private long claimed;

    /**
     * A hand-off into a started ring.
     *
     * @param ring     the ring (single producer: the receiver).
     * @param counters where a full ring is counted.
     */
    public RingHandoff(final RingBuffer<BatchEvent> ring, final SubscriberCounters counters)
    {
        this.ring = ring;
        this.counters = counters;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public BatchEvent claim()
    {
        long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            counters.onRingFull();
            sequence = ring.next();
        }
        claimed = sequence;
        return ring.get(sequence);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void publish()
    {
        ring.publish(claimed);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long occupancy()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int capacity()
    {
        return ring.getBufferSize();
    }
}
