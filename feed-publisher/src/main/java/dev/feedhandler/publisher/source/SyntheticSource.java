package dev.feedhandler.publisher.source;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.time.WallClock;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic random walk of quotes and trades: the same seed and instrument count give the same updates in
 * the same order, whatever the rate. Paced at a fixed rate (each update has an intended time, which becomes its
 * source timestamp) or as fast as the publisher takes them, with optional bursts. Allocation-free in
 * {@link #poll}.
 */
public final class SyntheticSource implements PriceSource
{
    private static final int MAX_STEP_TICKS = 2;
    private static final int MAX_HALF_SPREAD_TICKS = 3;
    private static final int MAX_LOTS = 10;

    private final SyntheticConfiguration configuration;
    private final WallClock clock;
    private final SplittableRandom random;
    private final int[] ids;
    private final long[] mids;
    private final long[] ticks;
    private final long[] lots;
    private final long[] tradeIds;
    private final int tradeThreshold;
    private final boolean paced;
    private final double updatesPerNs;
    private final long burstEveryNs;

    private long startNs;
    private boolean started;
    private long emitted;
    private long regularEmitted;
    private long burstEmitted;

    /**
     * Registers the instruments and prepares the walk.
     *
     * @param configuration settings.
     * @param registry      where the instruments are registered (ids in the universe's order).
     * @param clock         converts the pacing clock to epoch time for source timestamps.
     */
    public SyntheticSource(
        final SyntheticConfiguration configuration, final InstrumentRegistry registry, final WallClock clock)
    {
        this.configuration = configuration;
        this.clock = clock;
        this.random = new SplittableRandom(configuration.seed());
        final List<ReferenceInstruments.Spec> specs = ReferenceInstruments.first(configuration.instruments());
        final int n = specs.size();
        ids = new int[n];
        mids = new long[n];
        ticks = new long[n];
        lots = new long[n];
        tradeIds = new long[n];
        for (int i = 0; i < n; i++)
        {
            final ReferenceInstruments.Spec spec = specs.get(i);
            ids[i] = registry.register(spec.symbol());
            mids[i] = spec.referenceMid();
            ticks[i] = spec.tick();
            lots[i] = spec.lot();
        }
        tradeThreshold = (int)Math.round(configuration.tradeRatio() * (1 << 20));
        paced = configuration.ratePerSecond() != Long.MAX_VALUE;
        updatesPerNs = paced ? configuration.ratePerSecond() / 1e9 : 0;
        burstEveryNs = configuration.burstEvery() == null ? 0 : configuration.burstEvery().toNanos();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int poll(final UpdateSink sink, final int limit, final long nowNs)
    {
        if (!started)
        {
            started = true;
            startNs = nowNs;
        }
        int budget = limit;
        final long maxUpdates = configuration.maxUpdates();
        if (maxUpdates > 0)
        {
            budget = (int)Math.min(budget, maxUpdates - emitted);
        }
        int count = 0;

        final int burstSize = configuration.burstSize();
        if (burstSize > 0 && budget > 0)
        {
            final long burstsDue = (nowNs - startNs) / burstEveryNs;
            final long burstOwed = Math.min(burstsDue * burstSize - burstEmitted, budget);
            for (long i = 0; i < burstOwed; i++)
            {
                final long burstIndex = (burstEmitted / burstSize) + 1;
                emit(sink, clock.toEpochNanos(startNs + burstIndex * burstEveryNs));
                burstEmitted++;
                count++;
            }
            budget -= (int)burstOwed;
        }

        if (budget > 0)
        {
            if (paced)
            {
                final long due = 1 + (long)((nowNs - startNs) * updatesPerNs);
                final long owed = Math.min(due - regularEmitted, budget);
                for (long i = 0; i < owed; i++)
                {
                    emit(sink, clock.toEpochNanos(startNs + (long)(regularEmitted / updatesPerNs)));
                    regularEmitted++;
                    count++;
                }
            }
            else
            {
                final long timestamp = clock.toEpochNanos(nowNs);
                for (int i = 0; i < budget; i++)
                {
                    emit(sink, timestamp);
                }
                regularEmitted += budget;
                count += budget;
            }
        }
        emitted += count;
        return count;
    }

    private void emit(final UpdateSink sink, final long timestampNs)
    {
        // One 64-bit draw per update, its bits shared out between the choices: cheap enough for tens of millions
        // of updates per second, and as deterministic as the generator.
        final long bits = random.nextLong();
        final int i = (int)(((bits >>> 32) * ids.length) >>> 32);
        final long tick = ticks[i];
        final int step = (int)((bits & 0xFF) % (2 * MAX_STEP_TICKS + 1)) - MAX_STEP_TICKS;
        long mid = mids[i] + step * tick;
        final long halfSpread = (1 + ((bits >>> 8) & 0xFF) % MAX_HALF_SPREAD_TICKS) * tick;
        if (mid - halfSpread <= 0)
        {
            mid = halfSpread + tick;
        }
        mids[i] = mid;
        final long lotsA = 1 + ((bits >>> 16) & 0xF) % MAX_LOTS;
        final long lotsB = 1 + ((bits >>> 20) & 0xF) % MAX_LOTS;
        if ((int)((bits >>> 24) & 0xFFFFF) < tradeThreshold)
        {
            final boolean buy = (bits & (1L << 31)) != 0;
            sink.onTrade(
                ids[i],
                buy ? AggressorSide.BUY : AggressorSide.SELL,
                buy ? mid + halfSpread : mid - halfSpread,
                lotsA * lots[i],
                ++tradeIds[i],
                timestampNs);
        }
        else
        {
            sink.onQuote(ids[i], mid - halfSpread, lotsA * lots[i], mid + halfSpread, lotsB * lots[i], timestampNs);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean isExhausted()
    {
        return configuration.maxUpdates() > 0 && emitted >= configuration.maxUpdates();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return "synthetic";
    }

    /**
     * Updates handed over so far.
     *
     * @return the count.
     */
    public long emitted()
    {
        return emitted;
    }
}
