package dev.feedhandler.perf.baseline;

/**
 * A fixed offered rate: how many updates are due by now, and when each was intended to go, so that latency can be
 * measured from the intended time (coordinated-omission correction). {@code Long.MAX_VALUE} means flat out.
 */
final class Pacer
{
    private final long startNs;
    private final double perNs;
    private final boolean paced;

    Pacer(final long ratePerSecond, final long startNs)
    {
        this.startNs = startNs;
        this.paced = ratePerSecond != Long.MAX_VALUE;
        this.perNs = paced ? ratePerSecond / 1e9 : 0;
    }

    /**
     * Updates due by {@code nowNs} since the start (the first one at the start).
     */
    long due(final long nowNs, final long sent, final long limit)
    {
        if (!paced)
        {
            return sent + limit;
        }
        return Math.min(1 + (long)((nowNs - startNs) * perNs), sent + limit);
    }

    /**
     * The {@link System#nanoTime()} at which update {@code index} was due ({@code nowNs} when flat out).
     */
    long intendedNs(final long index, final long nowNs)
    {
        return paced ? startNs + (long)(index / perNs) : nowNs;
    }
}
