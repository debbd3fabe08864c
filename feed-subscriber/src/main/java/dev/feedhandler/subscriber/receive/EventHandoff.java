package dev.feedhandler.subscriber.receive;

/**
 * Where the receiver puts what the listener gets: one slot at a time, claimed, filled, published. Two ways: a
 * Disruptor ring to the listener's own thread ({@link RingHandoff}), or the listener called at once on the
 * receiver's thread ({@link InlineHandoff}) for a listener fast enough not to need a thread of its own.
 */
public interface EventHandoff
{
    /**
     * The next slot, reset by the caller. Waits while the listener is a whole ring behind.
     *
     * @return the slot.
     */
    BatchEvent claim();

    /**
     * Hands the claimed slot on.
     */
    void publish();

    /**
     * Slots claimed and not yet handled by the listener. Safe from any thread.
     *
     * @return the occupancy.
     */
    long occupancy();

    /**
     * Slots in all: how far the listener may fall behind.
     *
     * @return the capacity.
     */
    int capacity();
}
