package dev.feedhandler.common.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sliding latency window: percentiles of the slices in the window, and old slices leaving it.
 */
@Timeout(30)
class LatencyWindowTest
{
    @Test
    void shouldReportPercentilesOfTheNewestSlicesOnly()
    {
        try (LatencyWindow window = new LatencyWindow(3, false))
        {
            for (int i = 1; i <= 1000; i++)
            {
                window.record(i * 1_000L);
            }
            window.roll();
            final LatencyWindow.Snapshot first = window.snapshot();
            assertThat(first.count()).isEqualTo(1000);
            assertThat(first.p50Ns()).isCloseTo(500_000L, within(5_000L));
            assertThat(first.p99Ns()).isCloseTo(990_000L, within(10_000L));
            assertThat(first.maxNs()).isCloseTo(1_000_000L, within(10_000L));

            window.record(5_000_000L);
            window.roll();
            assertThat(window.snapshot(1).count()).isEqualTo(1);
            assertThat(window.snapshot(1).maxNs()).isCloseTo(5_000_000L, within(50_000L));
            assertThat(window.snapshot().count()).isEqualTo(1001);

            window.roll();
            window.roll();
            // The first slice has left the window of three; the 5 ms one is still in it.
            assertThat(window.snapshot().count()).isEqualTo(1);
            assertThat(window.snapshot().totalCount()).isEqualTo(1001);
            window.roll();
            assertThat(window.snapshot().count()).isZero();
            assertThat(window.snapshot().p99Ns()).isZero();
        }
    }
}
