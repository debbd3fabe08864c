package dev.feedhandler.publisher.source;

import java.time.Duration;

/**
 * Settings of the synthetic source, validated once.
 *
 * @param instruments  how many instruments: the reference list first, then generated SYM0001...
 * @param ratePerSecond updates per second, or {@code Long.MAX_VALUE} for as fast as the publisher takes them.
 * @param seed         seed of the random walk: the same seed gives the same updates.
 * @param tradeRatio   fraction of updates that are trades, 0 to 1.
 * @param burstSize    extra updates released at once every {@code burstEvery}, 0 for none.
 * @param burstEvery   interval between bursts.
 * @param maxUpdates   stop after this many updates, 0 for never.
 */
public record SyntheticConfiguration(
    int instruments,
    long ratePerSecond,
    long seed,
    double tradeRatio,
    int burstSize,
    Duration burstEvery,
    long maxUpdates)
{
    /** Default number of instruments. */
    public static final int DEFAULT_INSTRUMENTS = 10;

    /** Default rate in updates per second. */
    public static final long DEFAULT_RATE_PER_SECOND = 10_000;

    /** Default seed. */
    public static final long DEFAULT_SEED = 42;

    /** Default fraction of trades. */
    public static final double DEFAULT_TRADE_RATIO = 0.1;

    /** Default burst: none. */
    public static final int DEFAULT_BURST_SIZE = 0;

    /** Default interval between bursts. */
    public static final Duration DEFAULT_BURST_EVERY = Duration.ofSeconds(1);

    /**
     * Validates the settings.
     */
    public SyntheticConfiguration
    {
        if (instruments < 1 || instruments > 1_000_000)
        {
            throw new IllegalArgumentException("--instruments must be between 1 and 1000000, was " + instruments);
        }
        if (ratePerSecond < 1)
        {
            throw new IllegalArgumentException("--rate must be positive, was " + ratePerSecond);
        }
        if (!(tradeRatio >= 0 && tradeRatio <= 1))
        {
            throw new IllegalArgumentException("--trade-ratio must be between 0 and 1, was " + tradeRatio);
        }
        if (burstSize < 0)
        {
            throw new IllegalArgumentException("--burst-size must not be negative, was " + burstSize);
        }
        if (burstSize > 0 && (burstEvery == null || burstEvery.isZero() || burstEvery.isNegative()))
        {
            throw new IllegalArgumentException("--burst-every must be positive when --burst-size is set");
        }
        if (maxUpdates < 0)
        {
            throw new IllegalArgumentException("--count must not be negative, was " + maxUpdates);
        }
    }

    /**
     * Defaults: 10 instruments at 10k updates/s, seed 42, 10% trades, no bursts, no end.
     *
     * @return the default settings.
     */
    public static SyntheticConfiguration defaults()
    {
        return new SyntheticConfiguration(
            DEFAULT_INSTRUMENTS, DEFAULT_RATE_PER_SECOND, DEFAULT_SEED, DEFAULT_TRADE_RATIO, DEFAULT_BURST_SIZE,
            DEFAULT_BURST_EVERY, 0);
    }
}
