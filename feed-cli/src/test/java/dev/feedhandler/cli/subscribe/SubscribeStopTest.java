package dev.feedhandler.cli.subscribe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscriber's {@code stopReason}: the first condition met is the one reported, whichever thread meets it.
 */
@Timeout(30)
class SubscribeStopTest
{
    private static final long CHECK_NS = 1_000_000;

    @Test
    void shouldReportTheFirstConditionMet() throws Exception
    {
        final SubscribeStop stop = new SubscribeStop();
        stop.stop(SubscribeStop.Reason.COUNT);
        stop.stop(SubscribeStop.Reason.STOPPED);

        stop.await(Duration.ofHours(1), () -> SubscribeStop.Reason.MISMATCH, CHECK_NS);

        assertThat(stop.reason()).isEqualTo(SubscribeStop.Reason.COUNT);
        assertThat(stop.reason().value()).isEqualTo("count");
    }

    @Test
    void shouldEndTheWaitWhenAnotherThreadStopsIt() throws Exception
    {
        final SubscribeStop stop = new SubscribeStop();
        final Thread signal = new Thread(() -> stop.stop(SubscribeStop.Reason.STOPPED));
        signal.start();

        stop.await(null, () -> null, CHECK_NS);
        signal.join();

        assertThat(stop.reason()).isEqualTo(SubscribeStop.Reason.STOPPED);
    }

    @Test
    void shouldStopForTheDurationWhenNothingElseCame() throws Exception
    {
        final SubscribeStop stop = new SubscribeStop();

        stop.await(Duration.ofMillis(5), () -> null, CHECK_NS);

        assertThat(stop.reason()).isEqualTo(SubscribeStop.Reason.DURATION);
        assertThat(stop.reason().value()).isEqualTo("duration");
    }

    @Test
    void shouldStopForLinesThatAreNotOneFeed() throws Exception
    {
        final SubscribeStop stop = new SubscribeStop();
        final AtomicInteger checks = new AtomicInteger();

        stop.await(null, () -> checks.incrementAndGet() == 3 ? SubscribeStop.Reason.MISMATCH : null, CHECK_NS);

        assertThat(stop.reason()).isEqualTo(SubscribeStop.Reason.MISMATCH);
        assertThat(checks).hasValue(3);
    }

    @Test
    void shouldNameEveryReasonInLowerCase()
    {
        assertThat(SubscribeStop.Reason.OUTPUT_CLOSED.value()).isEqualTo("output_closed");
        assertThat(SubscribeStop.Reason.END.value()).isEqualTo("end");
        assertThat(SubscribeStop.Reason.PUBLISHER_GONE.value()).isEqualTo("publisher_gone");
    }
}
