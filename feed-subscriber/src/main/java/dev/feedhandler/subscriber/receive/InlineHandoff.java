package dev.feedhandler.subscriber.receive;

/**
 * The listener called on the receiver's thread as each slot is published: no ring, no second thread to wake, one
 * hand-off fewer per update. For a listener that returns quickly: while it runs, nothing is received (ZeroMQ's
 * receive queue, bounded by the high-water mark, holds what arrives meanwhile).
 */
public final class InlineHandoff implements EventHandoff
{
    private final BatchEvent event;
    private final ListenerDispatcher dispatcher;
    private long sequence;

    /**
     * A hand-off straight to a dispatcher.
     *
     * @param slotBytes  initial size of the one slot's buffer.
     * @param dispatcher turns the slot into listener calls.
     */
    public InlineHandoff(final int slotBytes, final ListenerDispatcher dispatcher)
    {
        this.event = new BatchEvent(slotBytes);
        this.dispatcher = dispatcher;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public BatchEvent claim()
    {
        return event;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void publish()
    {
        dispatcher.onEvent(event, sequence++, true);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long occupancy()
    {
        return 0;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int capacity()
    {
        return 1;
    }
}
