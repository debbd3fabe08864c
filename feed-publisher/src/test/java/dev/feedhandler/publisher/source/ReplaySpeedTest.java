package dev.feedhandler.publisher.source;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.replay.JournalReplay;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounds of a replay's speed, which the csv source and the journal replay share.
 */
class ReplaySpeedTest
{
    @Test
    void shouldPrintTheBoundItChecksAndWhatItMeans()
    {
        assertThat(Double.parseDouble(ReplaySpeed.MIN_SPEED_NUMBER)).isEqualTo(ReplaySpeed.MIN_SPEED);
        final double hoursPerSecond = 1 / ReplaySpeed.MIN_SPEED / 3600;
        assertThat(ReplaySpeed.MIN_SPEED_MEANING)
            .contains("one second of the recording then takes " + Math.round(hoursPerSecond * 10) / 10.0 + " hours");
        assertThat(hoursPerSecond).as("slower than a day per second is refused, not a day itself")
            .isGreaterThanOrEqualTo(24);
    }

    @Test
    void shouldAcceptFiniteSpeedsFromTheSlowestUp()
    {
        assertThat(ReplaySpeed.isValid(ReplaySpeed.MIN_SPEED)).isTrue();
        assertThat(ReplaySpeed.isValid(1)).isTrue();
        assertThat(ReplaySpeed.isValid(1e300)).isTrue();
        assertThat(ReplaySpeed.isValid(Double.MAX_VALUE)).isTrue();

        assertThat(ReplaySpeed.isValid(Math.nextDown(ReplaySpeed.MIN_SPEED))).isFalse();
        assertThat(ReplaySpeed.isValid(1e-300)).isFalse();
        assertThat(ReplaySpeed.isValid(0)).isFalse();
        assertThat(ReplaySpeed.isValid(-1)).isFalse();
        assertThat(ReplaySpeed.isValid(Double.NaN)).isFalse();
        assertThat(ReplaySpeed.isValid(Double.POSITIVE_INFINITY)).isFalse();

        assertThat(ReplaySpeed.isTooSlow(1e-300)).isTrue();
        assertThat(ReplaySpeed.isTooSlow(Double.MIN_VALUE)).isTrue();
        assertThat(ReplaySpeed.isTooSlow(0)).isFalse();
        assertThat(ReplaySpeed.isTooSlow(Double.NaN)).isFalse();
        assertThat(ReplaySpeed.isTooSlow(ReplaySpeed.MIN_SPEED)).isFalse();
    }

    @Test
    void shouldRefuseAJournalReplayBelowTheSlowestSpeed()
    {
        assertThatThrownBy(() -> new JournalReplay(null, null, null, () ->
        {
        }, 1e-300, WallClock.shared(), () -> true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least 0.00001");
        for (final double speed : new double[]{0, Double.POSITIVE_INFINITY, ReplaySpeed.MIN_SPEED, 1e300})
        {
            assertThat(new JournalReplay(null, null, null, () ->
            {
            }, speed, WallClock.shared(), () -> true).summary()).containsKey("speed");
        }
    }
}
