package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.Topic;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceTrackerTest
{
    private final SequenceTracker tracker = new SequenceTracker();
    private final TopicState state = new TopicState(new Topic(0, "EURUSD"));

    @Test
    void shouldDeliverConsecutiveBatchesWithoutGap()
    {
        assertThat(tracker.onBatch(state, 5, 1, 3)).isEqualTo(SequenceTracker.DELIVER);
        assertThat(tracker.hasGap()).isFalse();
        assertThat(tracker.onBatch(state, 5, 4, 2)).isEqualTo(SequenceTracker.DELIVER);
        assertThat(tracker.hasGap()).isFalse();
        assertThat(state.nextExpected()).isEqualTo(6);
    }

    @Test
    void shouldReportTheMissingRangeOfAJump()
    {
        tracker.onBatch(state, 5, 1, 3);
        assertThat(tracker.onBatch(state, 5, 10, 1)).isEqualTo(SequenceTracker.DELIVER);
        assertThat(tracker.hasGap()).isTrue();
        assertThat(tracker.gapFrom()).isEqualTo(4);
        assertThat(tracker.gapTo()).isEqualTo(9);
    }

    @Test
    void shouldDropDuplicatesAndSkipTheKnownPartOfAnOverlap()
    {
        tracker.onBatch(state, 5, 1, 5);
        assertThat(tracker.onBatch(state, 5, 2, 3)).isEqualTo(SequenceTracker.DUPLICATE);
        assertThat(tracker.onBatch(state, 5, 4, 4)).isEqualTo(SequenceTracker.DELIVER);
        assertThat(tracker.skip()).isEqualTo(2);
        assertThat(state.nextExpected()).isEqualTo(8);
    }

    @Test
    void shouldSeeTailLossInAHeartbeatAndNothingWhenUpToDate()
    {
        tracker.onBatch(state, 5, 1, 2);
        assertThat(tracker.onHeartbeat(state, 5, 2, false)).isEqualTo(SequenceTracker.NOTHING);
        assertThat(tracker.onHeartbeat(state, 5, 4, false)).isEqualTo(SequenceTracker.DELIVER);
        assertThat(tracker.gapFrom()).isEqualTo(3);
        assertThat(tracker.gapTo()).isEqualTo(4);
        assertThat(tracker.onHeartbeat(state, 5, 4, true)).isEqualTo(SequenceTracker.DELIVER);
        assertThat(tracker.hasGap()).isFalse();
    }

    @Test
    void shouldRestartOnANewerEpochAndRefuseAnOlderOne()
    {
        tracker.onBatch(state, 5, 1, 10);
        assertThat(tracker.onBatch(state, 6, 1, 1)).isEqualTo(SequenceTracker.DELIVER);
        assertThat(tracker.epochChanged()).isTrue();
        assertThat(tracker.hasGap()).isFalse();
        assertThat(tracker.onBatch(state, 5, 11, 1)).isEqualTo(SequenceTracker.STALE_EPOCH);
        assertThat(state.sessionEpoch()).isEqualTo(6);
    }

    @Test
    void shouldAccountForEveryUpdateExactlyOnceUnderRandomLossReorderAndDuplication()
    {
        final long seed = Long.getLong("feed.test.seed", System.nanoTime());
        System.out.println("SequenceTrackerTest seed " + seed);
        final Random random = new Random(seed);
        long next = 1;
        long delivered = 0;
        long lost = 0;
        long highest = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final int count = 1 + random.nextInt(20);
            long first = next;
            final int dice = random.nextInt(10);
            if (dice == 0)
            {
                first = Math.max(1, next - random.nextInt(30));
            }
            else
            {
                next += count;
                if (dice == 1)
                {
                    continue;
                }
            }
            final int verdict = tracker.onBatch(state, 1, first, count);
            if (verdict == SequenceTracker.DELIVER)
            {
                if (tracker.hasGap())
                {
                    lost += tracker.gapTo() - tracker.gapFrom() + 1;
                }
                delivered += count - tracker.skip();
            }
            highest = Math.max(highest, first + count - 1);
        }
        assertThat(delivered + lost).as("seed %d", seed).isEqualTo(highest);
        assertThat(state.nextExpected()).isEqualTo(highest + 1);
    }
}
