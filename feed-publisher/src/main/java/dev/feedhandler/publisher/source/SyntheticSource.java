package dev.feedhandler.publisher.source;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.time.WallClock;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic random walk of quotes and trades: the same seed and instrument count give the same updates in
 * the same order, whatever the rate. Paced at a fixed rate (each update has an intended time, which becomes its
 * source timestamp) or as fast as the publisher takes them, with optional bursts. Paced, it can be anchored to a
 * wall-clock moment ({@link #anchor}): two sources with the same settings and anchor then give the same updates with
 * the same timestamps, and a source started late gives at once everything due since the anchor (identical lines).
 * Allocation-free in {@link #poll}.
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
    private long startEpochNs;
    private boolean started;
    private boolean anchored;
    private long anchorEpochNs;
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
     * <p>
     * Paced, the source's time starts at the anchor: updates and bursts due before it go out in one poll, in the
     * order of their intended times, whatever the poll times.
     */
    @Override
    public boolean anchor(final long startEpochNs)
    {
        if (!paced || started)
        {
            return false;
        }
        anchored = true;
        anchorEpochNs = startEpochNs;
        return true;
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
            if (anchored)
            {
                // The monotonic time of the anchor; source timestamps are computed from the anchor itself, so two
                // publishers anchored alike stamp every update alike.
                startNs = nowNs - (clock.toEpochNanos(nowNs) - anchorEpochNs);
                startEpochNs = anchorEpochNs;
            }
            else
            {
                startNs = nowNs;
                startEpochNs = clock.toEpochNanos(nowNs);
            }
        }
        int budget = limit;
        final long maxUpdates = configuration.maxUpdates();
        if (maxUpdates > 0)
        {
            budget = (int)Math.min(budget, maxUpdates - emitted);
        }
        final int count = paced ? pollPaced(sink, budget, nowNs - startNs) : pollFlatOut(sink, budget, nowNs);
        emitted += count;
        return count;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Paced and started: the intended time of the next regular update or burst, whichever comes first.
     */
    @Override
    public long nextUpdateNs(final long nowNs)
    {
        if (!paced || !started || isExhausted())
        {
            return nowNs;
        }
        long dueNs = startNs + (long)Math.ceil(regularEmitted / updatesPerNs);
        final int burstSize = configuration.burstSize();
        if (burstSize > 0)
        {
            final long burstNs = startNs + (burstEmitted / burstSize + 1) * burstEveryNs;
            dueNs = burstNs - dueNs < 0 ? burstNs : dueNs;
        }
        return dueNs;
    }

    /**
     * Every update and burst update whose intended time has come, in the order of those times (a burst before the
     * regular update of the same time): the same order whenever the polls happen.
     */
    private int pollPaced(final UpdateSink sink, final int budget, final long elapsedNs)
    {
        if (elapsedNs < 0)
        {
            return 0;
        }
        final long regularDue = 1 + (long)(elapsedNs * updatesPerNs);
        final int burstSize = configuration.burstSize();
        int count = 0;
        while (count < budget)
        {
            final long regularAtNs = regularEmitted < regularDue ? (long)(regularEmitted / updatesPerNs) :
                Long.MAX_VALUE;
            final long burstAtNs = burstSize > 0 ? (burstEmitted / burstSize + 1) * burstEveryNs : Long.MAX_VALUE;
            if (burstAtNs <= regularAtNs && burstAtNs <= elapsedNs)
            {
                emit(sink, startEpochNs + burstAtNs);
                burstEmitted++;
            }
            else if (regularAtNs != Long.MAX_VALUE)
            {
                emit(sink, startEpochNs + regularAtNs);
                regularEmitted++;
            }
            else
            {
                break;
            }
            count++;
        }
        return count;
    }

    private int pollFlatOut(final UpdateSink sink, final int limit, final long nowNs)
    {
        int budget = limit;
        int count = 0;
        final int burstSize = configuration.burstSize();
        if (burstSize > 0 && budget > 0)
        {
            final long burstsDue = (nowNs - startNs) / burstEveryNs;
            final long burstOwed = Math.min(burstsDue * burstSize - burstEmitted, budget);
            for (long i = 0; i < burstOwed; i++)
            {
                final long burstIndex = (burstEmitted / burstSize) + 1;
                emit(sink, startEpochNs + burstIndex * burstEveryNs);
                burstEmitted++;
                count++;
            }
            budget -= (int)Math.max(0, burstOwed);
        }
        final long timestamp = clock.toEpochNanos(nowNs);
        for (int i = 0; i < budget; i++)
        {
            emit(sink, timestamp);
        }
        regularEmitted += budget;
        return count + budget;
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
