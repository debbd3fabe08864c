package dev.feedhandler.subscriber.receive;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeedLivenessTest
{
    private static final long INTERVAL_NS = 1_000_000_000L;

    @Test
    void shouldGoStaleAfterThreeSilentIntervalsOnceAndLiveAtTheNextMessage()
    {
        final FeedLiveness liveness = new FeedLiveness();
        liveness.heartbeatInterval(INTERVAL_NS);

        assertThat(liveness.silent(10 * INTERVAL_NS)).as("not stale before the first message").isFalse();
        liveness.heard(10 * INTERVAL_NS);
        assertThat(liveness.silent(13 * INTERVAL_NS)).as("exactly three intervals").isFalse();
        assertThat(liveness.silent(13 * INTERVAL_NS + 1)).isTrue();
        assertThat(liveness.silent(20 * INTERVAL_NS)).as("stale once").isFalse();
        assertThat(liveness.silenceNs(20 * INTERVAL_NS)).isEqualTo(10 * INTERVAL_NS);

        assertThat(liveness.wakes()).isTrue();
        assertThat(liveness.wakes()).isFalse();
        liveness.heard(21 * INTERVAL_NS);
        assertThat(liveness.silent(24 * INTERVAL_NS + 1)).isTrue();
    }

    @Test
    void shouldNeverGoStaleWithoutAHeartbeatInterval()
    {
        final FeedLiveness liveness = new FeedLiveness();
        liveness.heartbeatInterval(0);
        liveness.heard(0);
        assertThat(liveness.silent(Long.MAX_VALUE / 2)).isFalse();
    }
}
