package dev.feedhandler.common.concurrent;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdleStrategiesTest
{
    @Test
    void shouldParkTheDefaultPeriodAfterWorkForPark()
    {
        final ParkingIdleStrategy park = (ParkingIdleStrategy)IdleStrategies.of("park");

        assertThat(park.nextParkNs()).isEqualTo(IdleStrategies.PARK_AFTER_WORK_NS).isEqualTo(200_000);
    }

    @Test
    void shouldParkTheGivenPeriodAfterWorkForParkWithADuration()
    {
        assertThat(((ParkingIdleStrategy)IdleStrategies.of("park:50us")).nextParkNs()).isEqualTo(50_000);
        assertThat(((ParkingIdleStrategy)IdleStrategies.of("PARK:1ms")).nextParkNs()).isEqualTo(1_000_000);
        assertThat(((ParkingIdleStrategy)IdleStrategies.of("park:1500ns")).nextParkNs()).isEqualTo(1_500);
    }

    @Test
    void shouldRefuseAParkWithoutAUnitOrOutOfRangeWithOneLineThatSaysWhy()
    {
        assertThatThrownBy(() -> IdleStrategies.of("park:50")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("idle strategy 'park:50': give the park after work with a unit, for example park:50us or " +
                "park:1ms");
        assertThatThrownBy(() -> IdleStrategies.of("park:fastus")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("idle strategy 'park:fastus': 'fast' is not a whole number (for example park:50us)");
        assertThatThrownBy(() -> IdleStrategies.of("park:5ms")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("idle strategy 'park:5ms': the park after work must be from 1us to 4ms");
        assertThatThrownBy(() -> IdleStrategies.of("park:0us")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("from 1us to 4ms");
        assertThatThrownBy(() -> IdleStrategies.of("nap")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("unknown idle strategy 'nap'");
    }

    @Test
    void shouldSleepTheGivenPeriodForSleepWithADurationAndRefuseOneWithoutAUnit()
    {
        assertThat(IdleStrategies.of("sleep")).isInstanceOf(SleepingIdleStrategy.class)
            .hasToString(new SleepingIdleStrategy(100_000).toString());
        assertThat(IdleStrategies.of("sleep:50us")).isInstanceOf(SleepingIdleStrategy.class)
            .hasToString(new SleepingIdleStrategy(50_000).toString());
        assertThatThrownBy(() -> IdleStrategies.of("sleep:50")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("idle strategy 'sleep:50': give the sleep with a unit, for example sleep:50us or sleep:1ms");
        assertThatThrownBy(() -> IdleStrategies.of("sleep:10ms")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("idle strategy 'sleep:10ms': the sleep must be from 1us to 4ms");
    }

    @Test
    void shouldKeepTheOtherNames()
    {
        assertThat(IdleStrategies.of("backoff")).isInstanceOf(BackoffIdleStrategy.class);
        assertThat(IdleStrategies.of("spin")).isInstanceOf(BusySpinIdleStrategy.class);
    }
}
