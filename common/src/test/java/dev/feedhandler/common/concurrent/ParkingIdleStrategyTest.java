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
    void shouldBeTheParkStrategyByName()
    {
        assertThat(IdleStrategies.of("park")).isInstanceOf(ParkingIdleStrategy.class);
        assertThat(((ParkingIdleStrategy)IdleStrategies.of("PARK")).nextParkNs()).isEqualTo(50_000);
    }

    @Test
    void shouldRejectPeriodsOutOfOrder()
    {
        assertThatThrownBy(() -> new ParkingIdleStrategy(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParkingIdleStrategy(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
