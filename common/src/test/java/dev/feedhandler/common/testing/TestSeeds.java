package dev.feedhandler.common.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds for property-style tests: a fresh seed per run, printed so that a failure can be reproduced with
 * {@code -Dfeed.test.seed=<seed>}.
 */
public final class TestSeeds
{
    /** System property that fixes the seed of every property-style test. */
    public static final String SEED_PROPERTY = "feed.test.seed";

    private TestSeeds()
    {
    }

    /**
     * The seed for one test: the value of {@link #SEED_PROPERTY} if set, a random one otherwise. Printed to stdout
     * with the test's name.
     *
     * @param testName what the seed is for, printed with it.
     * @return the seed.
     */
    public static long seed(final String testName)
    {
        final String fixed = System.getProperty(SEED_PROPERTY);
        final long seed = fixed == null || fixed.isBlank() ?
            ThreadLocalRandom.current().nextLong() : Long.parseLong(fixed.trim());
        System.out.println(testName + ": seed " + seed + " (reproduce with -D" + SEED_PROPERTY + "=" + seed + ")");
        return seed;
    }
}
