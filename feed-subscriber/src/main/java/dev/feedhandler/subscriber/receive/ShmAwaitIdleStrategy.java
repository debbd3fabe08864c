package dev.feedhandler.subscriber.receive;

import org.agrona.concurrent.IdleStrategy;

/**
 * The default wait of a shared-memory reader (receive mode {@code block}): after a duty cycle that found nothing it
 * sleeps until the publisher says it wrote ({@link ShmReceiverAgent#awaitRecords()}, a futex on the log's wake
 * word), and falls back on a timer strategy where that cannot be done (no log yet, recoveries in flight, a writer
 * that does not wake its readers, no futexes). A reader woken by the writer used a quarter of the CPU per wake-up of
 * one that parked 100 us between looks, and saw new records sooner (docs/shared-memory.md). Receiver thread only.
 */
public final class ShmAwaitIdleStrategy implements IdleStrategy
{
    /** The name it reports. */
    public static final String ALIAS = "shm-await";

    private final ShmReceiverAgent agent;
    private final IdleStrategy fallback;

    /**
     * A strategy for an agent.
     *
     * @param agent    the reader's agent.
     * @param fallback the timer strategy used when the agent cannot sleep until woken.
     */
    public ShmAwaitIdleStrategy(final ShmReceiverAgent agent, final IdleStrategy fallback)
    {
        this.agent = agent;
        this.fallback = fallback;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            fallback.reset();
            return;
        }
        idle();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void idle()
    {
        if (!agent.awaitRecords())
        {
            fallback.idle();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void reset()
    {
        fallback.reset();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String alias()
    {
        return ALIAS;
    }
}
