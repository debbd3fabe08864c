package dev.feedhandler.publisher.replay;

import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pace of a replay on a simulated clock: a park moves it on by the time parked, every reading by a microsecond
 * (time passes while the pacer spins). When each entry was let go is read off that clock, so nothing here depends on
 * the machine's speed.
 */
class ReplayPacerTest
{
    private static final long SECOND_NS = 1_000_000_000L;
    /** Recorded timestamps are epoch nanoseconds: the pace counts from the first entry's, not from zero. */
    private static final long RECORDED_NS = 1_796_000_000_000_000_000L;
    private static final long TICK_NS = 1_000;
    private static final long START_NS = 5 * SECOND_NS;

    private final SimulatedClock clock = new SimulatedClock();
    private final List<Long> parks = new ArrayList<>();
    private int idleWork;

    @Test
    void shouldLetEachEntryGoAtItsRecordedOffsetDividedByTheSpeed()
    {
        final ReplayPacer pacer = pacer(2.0, () -> true);

        final List<Long> released = new ArrayList<>();
        long firstNs = 0;
        for (final long offsetNs : new long[]{0, SECOND_NS, 3 * SECOND_NS, 3 * SECOND_NS, 4 * SECOND_NS + 10_000})
        {
            assertThat(pacer.awaitDue(RECORDED_NS + offsetNs)).isTrue();
            firstNs = released.isEmpty() ? clock.now : firstNs;
            released.add(clock.now - firstNs);
        }

        final long[] dueNs = {0, SECOND_NS / 2, 3 * SECOND_NS / 2, 3 * SECOND_NS / 2, 2 * SECOND_NS + 5_000};
        for (int i = 0; i < dueNs.length; i++)
        {
            assertThat(released.get(i)).as("entry %d", i).isBetween(dueNs[i], dueNs[i] + 2 * TICK_NS);
        }
        assertThat(parks).allSatisfy(ns -> assertThat(ns).isPositive().isLessThanOrEqualTo(ReplayPacer.MAX_PARK_NS));
    }

    @Test
    void shouldKeepTheRecordedPaceAtSpeedOne()
    {
        final ReplayPacer pacer = pacer(1.0, () -> true);

        pacer.awaitDue(RECORDED_NS);
        final long firstNs = clock.now;
        pacer.awaitDue(RECORDED_NS + 250_000_000L);

        assertThat(clock.now - firstNs).isBetween(250_000_000L, 250_000_000L + 2 * TICK_NS);
        assertThat(pacer.paced()).isTrue();
    }

    @Test
    void shouldLetEveryEntryGoAtOnceFlatOut()
    {
        for (final double speed : new double[]{0, Double.POSITIVE_INFINITY})
        {
            final ReplayPacer pacer = pacer(speed, () -> true);

            assertThat(pacer.awaitDue(RECORDED_NS)).isTrue();
            assertThat(pacer.awaitDue(RECORDED_NS + 3_600 * SECOND_NS)).isTrue();

            assertThat(pacer.paced()).isFalse();
            assertThat(clock.now).as("the clock is not even read").isEqualTo(START_NS);
            assertThat(parks).isEmpty();
        }
    }

    @Test
    void shouldRunTheIdleWorkAfterEveryParkOfAWait()
    {
        final ReplayPacer pacer = pacer(1.0, () -> true);

        pacer.awaitDue(RECORDED_NS);
        pacer.awaitDue(RECORDED_NS + 10_000_000L);

        assertThat(parks).hasSizeGreaterThanOrEqualTo(10);
        assertThat(idleWork).isEqualTo(parks.size());
    }

    @Test
    void shouldGiveUpWaitingOnceTheReplayStops()
    {
        final ReplayPacer pacer = pacer(1.0, () -> idleWork < 3);

        assertThat(pacer.awaitDue(RECORDED_NS)).isTrue();
        assertThat(pacer.awaitDue(RECORDED_NS + 3_600 * SECOND_NS)).isFalse();

        assertThat(parks).hasSize(3);
        assertThat(clock.now - START_NS).isLessThan(4 * ReplayPacer.MAX_PARK_NS);
    }

    @Test
    void shouldLetAnEntryDueAlreadyGoEvenWhenStopped()
    {
        final ReplayPacer pacer = pacer(1.0, () -> false);

        assertThat(pacer.awaitDue(RECORDED_NS)).isTrue();
        assertThat(pacer.awaitDue(RECORDED_NS)).as("due at once: nothing to wait for").isTrue();
        assertThat(parks).isEmpty();
    }

    @Test
    void shouldRefuseASpeedOutOfBounds()
    {
        for (final double speed : new double[]{1e-300, -1, Double.NaN, Double.NEGATIVE_INFINITY})
        {
            assertThatThrownBy(() -> pacer(speed, () -> true)).as("speed %s", speed)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replay speed must be at least 0.00001");
        }
    }

    private ReplayPacer pacer(final double speed, final BooleanSupplier running)
    {
        final LongConsumer parker = ns ->
        {
            parks.add(ns);
            clock.now += ns;
        };
        return new ReplayPacer(speed, running, () -> idleWork++, clock, parker);
    }

    private static final class SimulatedClock implements NanoClock
    {
        long now = START_NS;

        @Override
        public long nanoTime()
        {
            now += TICK_NS;
            return now;
        }
    }
}
