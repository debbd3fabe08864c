package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.options.CatchUpWarmUp;
import dev.feedhandler.common.metrics.LatencyWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code subscribe --warm-up} runs its private feed into a twin of the run's listener: configured as the real one
 * (the same classes behind the dispatch, verification included), with state of its own, so that nothing of the
 * private feed reaches the real listener, its counts or its stop.
 */
@Timeout(60)
class StatsListenerTwinTest
{
    @Test
    void shouldTakeThePrivateFeedToItsEndWithoutTouchingTheRealListener()
    {
        final SubscribeStop realStop = new SubscribeStop();
        final StatsListener real = new StatsListener(0, true, null, realStop, new LatencyWindow(), true,
            new LatencyWindow(), 0, false);
        final SubscribeStop ended = new SubscribeStop();
        final StatsListener twin = real.twin(ended);

        final String done = CatchUpWarmUp.run(Duration.ofSeconds(45), twin, ended::isStopped);

        assertThat(done).matches("warmed up the catch-up path: [0-9,]+ of 1,000,000 updates of a private feed in "
            + "[0-9]+ ms, [0-9]+ gaps recovered");
        assertThat(ended.isStopped()).as("the twin heard the private session's end").isTrue();
        assertThat(ended.reason()).isEqualTo(SubscribeStop.Reason.END);
        // Flat out, a loaded machine may lose some of the private feed (CatchUpWarmUpTest); most of it arrives.
        assertThat(twin.received()).isGreaterThan(CatchUpWarmUp.UPDATES * 9 / 10);
        assertThat(twin.gaps()).isGreaterThanOrEqualTo(CatchUpWarmUp.INSTRUMENTS);
        assertThat(twin.verifier()).as("verifies as the real listener does").isNotNull();
        assertThat(twin.verifier()).isNotSameAs(real.verifier());
        assertThat(real.received()).isZero();
        assertThat(real.gaps()).isZero();
        assertThat(real.sessionEnds()).isZero();
        assertThat(realStop.isStopped()).isFalse();
    }
}
