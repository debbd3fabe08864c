package dev.feedhandler.common.concurrent;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParkingIdleStrategyTest
{
    @Test
    void shouldDoubleItsParkOnEveryIdleCycleUpToTheLongestAndStartOverAfterWork()
    {
        final ParkingIdleStrategy idle = new ParkingIdleStrategy(1_000, 5_000);
        assertThat(idle.nextParkNs()).isEqualTo(1_000);
        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(2_000);
        idle.idle(0);
        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(5_000);
        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(5_000);

        idle.idle(3);
        assertThat(idle.nextParkNs()).as("work parks the shortest period, then the backoff starts over")
            .isEqualTo(2_000);
        idle.reset();
        assertThat(idle.nextParkNs()).isEqualTo(1_000);
    }

    @Test
    void shouldParkUntilTheDueTimeItIsToldWithinItsBounds()
    {
        final long[] now = {1_000_000};
        final ParkingIdleStrategy idle = new ParkingIdleStrategy(1_000, 5_000, 100_000, () -> now[0]);

        idle.wakeAt(now[0] + 40_000);
        assertThat(idle.parkNsFor(0)).as("until the due time, past the backoff's longest").isEqualTo(40_000);
        idle.wakeAt(now[0] + 500_000);
        assertThat(idle.parkNsFor(0)).as("at most the longest due park").isEqualTo(100_000);
        idle.wakeAt(now[0] - 7);
        assertThat(idle.parkNsFor(0)).as("a due time passed: the shortest park, never a spin").isEqualTo(1_000);
        idle.wakeAt(now[0] + 200);
        assertThat(idle.parkNsFor(0)).as("at least the shortest park").isEqualTo(1_000);
    }

    @Test
    void shouldForgetTheDueTimeAfterOneCycleAndAfterWork()
    {
        final long[] now = {0};
        final ParkingIdleStrategy idle = new ParkingIdleStrategy(1_000, 5_000, 100_000, () -> now[0]);

        idle.wakeAt(60_000);
        now[0] = 10_000;
        assertThat(idle.parkNsFor(0)).isEqualTo(50_000);
        assertThat(idle.parkNsFor(0)).as("not told again: the backoff").isEqualTo(1_000);
        assertThat(idle.parkNsFor(0)).isEqualTo(2_000);

        idle.wakeAt(90_000);
        assertThat(idle.parkNsFor(1)).as("work: the shortest park, whatever was due").isEqualTo(1_000);
        assertThat(idle.parkNsFor(0)).as("and the backoff starts over").isEqualTo(2_000);
    }

    @Test
    void shouldBeTheParkStrategyByName()
    {
        assertThat(IdleStrategies.of("park")).isInstanceOf(ParkingIdleStrategy.class);
        assertThat(((ParkingIdleStrategy)IdleStrategies.of("PARK")).nextParkNs()).isEqualTo(200_000);
    }

    @Test
    void shouldRejectPeriodsOutOfOrder()
    {
        assertThatThrownBy(() -> new ParkingIdleStrategy(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParkingIdleStrategy(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
