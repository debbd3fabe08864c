package dev.feedhandler.publisher.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class LingerControlTest
{
    private static final long MS = 1_000_000L;
    private static final long WINDOW = LingerControl.WINDOW_NS;
    /** The default budget's batches in one window: 20,000 a second. */
    private static final long BUDGET = 20_000 * WINDOW / 1_000_000_000L;

    private long nowNs = 5_000;
    private long batches;
    private long lingered;

    @Test
    void stretchesWhileTheLingerSetsTheRateAndComesBackWhenTheLoadFalls()
    {
        final LingerControl linger = control(1 * MS, 128 * MS);
        linger.onFlushDecision(nowNs, batches, lingered);
        final long[] expected = {2, 4, 8, 16, 32, 64, 128, 128};
        assertThat(linger.canStretch()).isTrue();
        for (final long ms : expected)
        {
            window(linger, BUDGET * 6, BUDGET * 6);
            assertThat(linger.nanos()).isEqualTo(ms * MS);
        }
        assertThat(linger.canStretch()).isFalse();
        window(linger, BUDGET, BUDGET / 3);  // at the budget again: it stays
        assertThat(linger.nanos()).isEqualTo(128 * MS);

        for (final long ms : new long[]{64, 32, 16, 8, 4, 2, 1, 1})
        {
            window(linger, BUDGET / 4, BUDGET / 4);
            assertThat(linger.nanos()).isEqualTo(ms * MS);
        }
        assertThat(linger.longestNanos()).isEqualTo(128 * MS);
        assertThat(linger.stretchedNanos()).isEqualTo(128 * MS);
    }

    @Test
    void neverStretchesForFullOrBudgetedBatches()
    {
        final LingerControl linger = control(1 * MS, 100 * MS);
        linger.onFlushDecision(nowNs, batches, lingered);
        window(linger, BUDGET * 5, BUDGET);      // flat out: mostly full batches
        window(linger, BUDGET, BUDGET);          // at the budget, all lingered
        assertThat(linger.nanos()).isEqualTo(1 * MS);
        assertThat(linger.longestNanos()).isEqualTo(1 * MS);
        assertThat(linger.stretchedNanos()).isZero();
    }

    @Test
    void judgesWholeWindowsOnly()
    {
        final LingerControl linger = control(1 * MS, 100 * MS);
        linger.onFlushDecision(nowNs, batches, lingered);
        nowNs += WINDOW - 1;
        batches += BUDGET * 10;
        lingered += BUDGET * 10;
        linger.onFlushDecision(nowNs, batches, lingered);
        assertThat(linger.nanos()).isEqualTo(1 * MS);
        nowNs += 1;
        linger.onFlushDecision(nowNs, batches, lingered);
        assertThat(linger.nanos()).isEqualTo(2 * MS);
    }

    @Test
    void stopsAtTheMostEvenIfNotAPowerOfTwoOfTheLinger()
    {
        final LingerControl linger = control(1 * MS, 5 * MS);
        linger.onFlushDecision(nowNs, batches, lingered);
        for (int i = 0; i < 5; i++)
        {
            window(linger, BUDGET * 6, BUDGET * 6);
        }
        assertThat(linger.nanos()).isEqualTo(5 * MS);
    }

    @Test
    void offByDefaultWithoutABudgetOrWithoutALinger()
    {
        for (final BatchConfiguration configuration : new BatchConfiguration[]{
            BatchConfiguration.defaults(),
            new BatchConfiguration(1024, 65536, MS, 0, 100 * MS),
            new BatchConfiguration(1024, 65536, MS, Long.MAX_VALUE, 100 * MS),
            new BatchConfiguration(1024, 65536, 0, 20_000, 100 * MS)})
        {
            final LingerControl linger = new LingerControl(configuration);
            linger.onFlushDecision(nowNs, batches, lingered);
            window(linger, BUDGET * 6, BUDGET * 6);
            assertThat(linger.nanos()).isEqualTo(configuration.lingerNs());
            assertThat(linger.canStretch()).isFalse();
        }
    }

    private static LingerControl control(final long lingerNs, final long maxLingerNs)
    {
        return new LingerControl(new BatchConfiguration(1024, 65536, lingerNs, 20_000, maxLingerNs));
    }

    private void window(final LingerControl linger, final long sent, final long closedByLinger)
    {
        nowNs += WINDOW;
        batches += sent;
        lingered += closedByLinger;
        linger.onFlushDecision(nowNs, batches, lingered);
    }
}
