package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batching policy on a simulated clock: a duty cycle every 50 us (the publisher's shortest park) that hands the
 * updates due since the last cycle to the batcher and lets it flush what is due, for one second of simulated time.
 * Each update carries its arrival time as its source timestamp, and the recording publication notes the simulated
 * time of each send, so the wait of every batch's oldest update is known exactly. No sockets, no wall clock.
 */
class BatchingPolicyTest
{
    private static final long SEED = 42;
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long CYCLE_NS = 50_000;
    private static final long LINGER_NS = 1_000_000;
    private static final long BUDGET = 20_000;
    private static final int BURST = (int)(BUDGET / 1_000);

    private final RecordingPublication publication = new RecordingPublication();

    private record Outcome(long updates, int messages, long maxWaitNs, long lingerFlushes, long budgetFlushes,
        long fullBatches)
    {
        double updatesPerMessage()
        {
            return (double)updates / messages;
        }
    }

    private Outcome simulate(final long updatesPerSecond, final int instruments, final long budget)
    {
        return simulate(updatesPerSecond, instruments, budget, true);
    }

    /**
     * @param sourceDrained what each cycle's poll says: true for a source that handed over everything it had ready,
     *                      false for a flat-out source (a file at {@code --speed max}) whose every poll hits the limit.
     */
    private Outcome simulate(final long updatesPerSecond, final int instruments, final long budget,
        final boolean sourceDrained)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        for (int i = 0; i < instruments; i++)
        {
            registry.register("SYM" + i);
        }
        final SmartBatcher batcher = new SmartBatcher(new BatchConfiguration(256, 16384, LINGER_NS, budget),
            registry, publication, WallClock.shared(), 1);
        final SplittableRandom random = new SplittableRandom(SEED);
        final double perNs = updatesPerSecond / (double)SECOND_NS;
        long emitted = 0;
        for (long nowNs = CYCLE_NS; nowNs <= SECOND_NS; nowNs += CYCLE_NS)
        {
            publication.nowNs = nowNs;
            batcher.nowNs(nowNs);
            final long due = (long)(nowNs * perNs);
            for (; emitted < due; emitted++)
            {
                batcher.onQuote(random.nextInt(instruments), 1, 2, 3, 4, nowNs);
            }
            batcher.flushDue(nowNs, sourceDrained);
        }
        publication.nowNs = SECOND_NS;
        batcher.flushAll();
        long maxWaitNs = 0;
        for (final RecordingPublication.Sent sent : publication.batches())
        {
            maxWaitNs = Math.max(maxWaitNs, sent.sentAtNs() - sent.firstSourceNs());
        }
        assertThat(batcher.publishedUpdates()).isEqualTo(emitted);
        return new Outcome(emitted, publication.batches().size(), maxWaitNs, batcher.lingerFlushes(),
            batcher.budgetFlushes(), batcher.fullBatches());
    }

    @Test
    void shouldSendALoneUpdateAtOnceAtLowRates()
    {
        final Outcome outcome = simulate(10_000, 10, BUDGET);

        System.out.printf("10k/s, 10 topics: %s, %.2f updates/message%n", outcome, outcome.updatesPerMessage());
        assertThat(outcome.messages()).isEqualTo(outcome.updates());
        assertThat(outcome.maxWaitNs()).isZero();
        assertThat(outcome.lingerFlushes()).isZero();
    }

    @Test
    void shouldHoldTheMessageRateToTheBudgetAsTheRateClimbs()
    {
        final int instruments = 10;
        final Outcome outcome = simulate(100_000, instruments, BUDGET);

        System.out.printf("100k/s, 10 topics: %s, %.2f updates/message%n", outcome, outcome.updatesPerMessage());
        // One second of budget plus the burst an idle budget starts with, plus the final flush of every topic.
        assertThat(outcome.messages()).isBetween((int)(BUDGET * 95 / 100), (int)BUDGET + BURST + instruments);
        assertThat(outcome.updatesPerMessage()).isGreaterThan(4.5);
        assertThat(outcome.lingerFlushes()).isZero();
        assertThat(outcome.maxWaitNs()).isLessThan(LINGER_NS);
    }

    @Test
    void shouldBoundEveryUpdatesWaitByTheLingerWhenTheBudgetCannotServeEveryTopic()
    {
        final int instruments = 50;
        final Outcome outcome = simulate(1_000_000, instruments, BUDGET);

        System.out.printf("1M/s, 50 topics: %s, %.2f updates/message%n", outcome, outcome.updatesPerMessage());
        assertThat(outcome.maxWaitNs()).isLessThanOrEqualTo(LINGER_NS + CYCLE_NS);
        assertThat(outcome.messages()).isLessThanOrEqualTo((int)(instruments * SECOND_NS / LINGER_NS));
        assertThat(outcome.updatesPerMessage()).isGreaterThan(19);
        assertThat(outcome.lingerFlushes()).isGreaterThan(outcome.budgetFlushes());
    }

    @Test
    void shouldLetTheWakeUpsSetTheMessageRateWithoutABudget()
    {
        final Outcome outcome = simulate(100_000, 10, 0);

        System.out.printf("100k/s, 10 topics, no budget: %s, %.2f updates/message%n", outcome,
            outcome.updatesPerMessage());
        assertThat(outcome.messages()).isGreaterThan(3 * (int)BUDGET);
        assertThat(outcome.updatesPerMessage()).isLessThan(1.5);
        assertThat(outcome.maxWaitNs()).isZero();
    }

    @Test
    void shouldLetAFlatOutSourceOutrunTheBudgetInFullBatches()
    {
        // 10M updates/s over 10 topics in full batches of 256 is about 39,000 messages/s, twice the budget: the budget
        // is for a subscriber's message rate and must not hold a file replayed at --speed max back; batches grow to
        // full instead, and full batches go whatever the budget says.
        final int instruments = 10;
        final Outcome outcome = simulate(10_000_000, instruments, BUDGET, false);

        System.out.printf("10M/s, 10 topics, flat out: %s, %.2f updates/message%n", outcome,
            outcome.updatesPerMessage());
        assertThat(outcome.messages()).isGreaterThan(3 * (int)BUDGET / 2);
        assertThat(outcome.fullBatches()).isGreaterThanOrEqualTo(outcome.updates() / 256 - instruments);
        assertThat(outcome.messages()).isLessThanOrEqualTo((int)(outcome.updates() / 256) + instruments);
        assertThat(outcome.budgetFlushes()).isZero();
        assertThat(outcome.lingerFlushes()).isZero();
        assertThat(outcome.maxWaitNs()).isLessThan(LINGER_NS);
    }

    @Test
    void shouldSendTheOldestBatchFirstWhenTheBudgetAllowsOne()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        for (final String symbol : new String[] {"EURUSD", "GBPUSD", "USDJPY"})
        {
            registry.register(symbol);
        }
        final SmartBatcher batcher = new SmartBatcher(new BatchConfiguration(256, 16384, 0, 1_000), registry,
            publication, WallClock.shared(), 1);
        batcher.nowNs(0);
        batcher.onQuote(2, 1, 2, 3, 4, 0);
        assertThat(batcher.flushDue(0, true)).isEqualTo(1);

        batcher.nowNs(10);
        batcher.onQuote(1, 1, 2, 3, 4, 10);
        batcher.nowNs(20);
        batcher.onQuote(0, 1, 2, 3, 4, 20);
        batcher.onQuote(2, 1, 2, 3, 4, 20);
        assertThat(batcher.flushDue(20, true)).isZero();
        assertThat(batcher.pendingBatches()).isEqualTo(3);

        assertThat(batcher.flushDue(1_000_000, true)).isEqualTo(1);
        assertThat(batcher.flushDue(2_000_000, true)).isEqualTo(1);
        assertThat(batcher.flushDue(3_000_000, true)).isEqualTo(1);
        assertThat(publication.batches()).extracting(RecordingPublication.Sent::topic)
            .containsExactly("USDJPY", "GBPUSD", "EURUSD", "USDJPY");
    }

    @Test
    void shouldHoldBatchesBackWhileTheSourceStillHasUpdatesReady()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.register("EURUSD");
        final SmartBatcher batcher = new SmartBatcher(new BatchConfiguration(256, 16384, 0, 0), registry,
            publication, WallClock.shared(), 1);
        batcher.nowNs(0);
        batcher.onQuote(0, 1, 2, 3, 4, 0);

        assertThat(batcher.flushDue(0, false)).isZero();
        assertThat(batcher.flushDue(0, true)).isEqualTo(1);
    }

    @Test
    void shouldChargeFullBatchesToTheBudget()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.register("EURUSD");
        registry.register("GBPUSD");
        final SmartBatcher batcher = new SmartBatcher(new BatchConfiguration(2, 16384, 0, 1_000), registry,
            publication, WallClock.shared(), 1);
        batcher.nowNs(0);
        batcher.onQuote(0, 1, 2, 3, 4, 0);
        batcher.onQuote(0, 1, 2, 3, 4, 0);
        batcher.onQuote(1, 1, 2, 3, 4, 0);

        assertThat(batcher.fullBatches()).isEqualTo(1);
        assertThat(batcher.flushDue(0, true)).as("the full batch took the one token").isZero();
        assertThat(batcher.flushDue(1_000_000, true)).isEqualTo(1);
        assertThat(publication.batches()).extracting(RecordingPublication.Sent::topic)
            .containsExactly("EURUSD", "GBPUSD");
    }
}
