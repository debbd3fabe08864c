package dev.feedhandler.publisher.batch;

/**
 * The publisher's message budget: a token bucket of messages per second that holds at most a burst, kept as one
 * "theoretical arrival time" (the generic cell rate algorithm) so that it needs no timer, no refill step and no
 * floating point. Every message costs what the budget's interval says; a budget left idle holds its burst, so a
 * lone update, or a tick on a few instruments at once, goes out at once. Messages that must go whatever the budget
 * says (a full batch, a batch past its linger) are {@linkplain #charge charged} all the same, so while they alone
 * exceed the rate nothing else is allowed; that debt is capped at one burst, so the budget recovers within one
 * burst's time once the load falls. Time is passed in ({@link System#nanoTime()} in production, anything in tests).
 * Single-threaded; allocation-free.
 */
public final class MessageBudget
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long intervalNs;
    private final long toleranceNs;
    private final long maxAheadNs;
    private long theoreticalNs;
    private boolean started;

    /**
     * A budget.
     *
     * @param messagesPerSecond the rate; 0 (or more than a billion) for no budget: every message is allowed.
     * @param burst             messages an idle budget allows at once (at least 1).
     */
    public MessageBudget(final long messagesPerSecond, final int burst)
    {
        if (messagesPerSecond < 0)
        {
            throw new IllegalArgumentException("messages per second must not be negative, was " + messagesPerSecond);
        }
        if (burst < 1)
        {
            throw new IllegalArgumentException("burst must be at least 1, was " + burst);
        }
        this.intervalNs = messagesPerSecond == 0 ? 0 : NANOS_PER_SECOND / messagesPerSecond;
        this.toleranceNs = (burst - 1) * intervalNs;
        this.maxAheadNs = toleranceNs + burst * intervalNs;
    }

    /**
     * Takes one message from the budget if it has one now.
     *
     * @param nowNs the time now.
     * @return true if the message may go now.
     */
    public boolean tryAcquire(final long nowNs)
    {
        final long base = base(nowNs);
        if (base - nowNs > toleranceNs)
        {
            return false;
        }
        theoreticalNs = base + intervalNs;
        return true;
    }

    /**
     * Charges a message that went whatever the budget said, running into debt (at most one burst) if need be.
     *
     * @param nowNs the time now.
     */
    public void charge(final long nowNs)
    {
        theoreticalNs = Math.min(base(nowNs) + intervalNs, nowNs + maxAheadNs);
    }

    /**
     * Whether the budget would allow a message now, without taking it.
     *
     * @param nowNs the time now.
     * @return true if {@link #tryAcquire(long)} would succeed.
     */
    public boolean hasToken(final long nowNs)
    {
        return base(nowNs) - nowNs <= toleranceNs;
    }

    /**
     * Whether there is a budget at all.
     *
     * @return false when every message is allowed.
     */
    public boolean isLimited()
    {
        return intervalNs > 0;
    }

    private long base(final long nowNs)
    {
        if (!started)
        {
            started = true;
            theoreticalNs = nowNs;
        }
        return theoreticalNs - nowNs > 0 ? theoreticalNs : nowNs;
    }
}
