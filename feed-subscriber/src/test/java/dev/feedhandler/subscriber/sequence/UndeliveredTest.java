package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.subscriber.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static dev.feedhandler.subscriber.sequence.SequencerHarness.NO_BOUND;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.batch;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a subscriber that stops now never delivers ({@link TopicSequencer#undelivered()}), synchronously: frames in by
 * hand, recoveries left unfinished, then the updates held back and the ranges still being recovered compared with
 * what the rules say, range by range. Per topic, delivered, held and pending updates cover every sequence number up
 * to the highest one known, each once.
 */
@Timeout(10)
class UndeliveredTest
{
    private static final long EPOCH = 7;
    private static final long NEXT_EPOCH = 9;

    private static List<String> ranges(final Undelivered undelivered)
    {
        final List<String> ranges = new ArrayList<>();
        for (final Undelivered.Range range : undelivered.pending())
        {
            ranges.add(range.sessionEpoch() + " " + range);
        }
        return ranges;
    }

    /** Updates of a topic delivered, held back or still being recovered. */
    private static long accountedFor(final SequencerHarness harness, final Undelivered undelivered,
        final String topic)
    {
        final Topic id = harness.topic(topic).topic();
        long pending = 0;
        for (final Undelivered.Range range : undelivered.pending())
        {
            pending += range.topic() == id ? range.updates() : 0;
        }
        return harness.delivered.getOrDefault(topic, List.of()).size() + undelivered.heldUpdates(id) + pending;
    }

    @Test
    void shouldCountTheGapsStillBeingFilledAndTheHolesAmongTheHeldFramesOnce()
    {
        final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
        harness.status(EPOCH, 0, false);
        harness.live("EURUSD", batch(EPOCH, 1, 3));
        harness.live("EURUSD", batch(EPOCH, 7, 2));
        harness.live("USDJPY", batch(EPOCH, 1, 1));
        harness.live("EURUSD", batch(EPOCH, 9, 1));
        harness.live("EURUSD", batch(EPOCH, 12, 2));
        harness.live("USDJPY", batch(EPOCH, 3, 1));
        harness.live("GBPUSD", batch(EPOCH, 1, 2));
        harness.live("EURUSD", heartbeat(EPOCH, 15, false));
        // Part of the fill arrived; the rest is still on its way.
        harness.recovered(1, "EURUSD", batch(EPOCH, 4, 1));
        assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 4..6", "fill 2 USDJPY 7 2..2");

        final Undelivered undelivered = harness.sequencer.undelivered();

        assertThat(ranges(undelivered)).containsExactly("7 EURUSD 5..6", "7 EURUSD 10..11", "7 EURUSD 14..15",
            "7 USDJPY 2..2");
        assertThat(undelivered.pendingUpdates()).isEqualTo(7);
        assertThat(undelivered.heldUpdates()).isEqualTo(6);
        assertThat(undelivered.heldUpdates(harness.topic("EURUSD").topic())).isEqualTo(5);
        assertThat(undelivered.heldUpdates(harness.topic("USDJPY").topic())).isEqualTo(1);
        assertThat(undelivered.heldUpdates(harness.topic("GBPUSD").topic())).isZero();
        // Every sequence number up to the highest one known, once: delivered, held back or still being recovered.
        assertThat(accountedFor(harness, undelivered, "EURUSD")).isEqualTo(15);
        assertThat(accountedFor(harness, undelivered, "USDJPY")).isEqualTo(3);
        assertThat(accountedFor(harness, undelivered, "GBPUSD")).isEqualTo(2);
        assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();

        harness.recovered(1, "EURUSD", batch(EPOCH, 5, 2));
        harness.done(1);
        harness.recovered(2, "USDJPY", batch(EPOCH, 2, 1));
        harness.done(2);
        final List<String> requests = harness.takeRequests();
        assertThat(requests).containsExactly("fill 3 EURUSD 7 10..11");
        assertThat(ranges(harness.sequencer.undelivered())).as("what the next fill is for, and the tail after it")
            .containsExactly("7 EURUSD 10..11", "7 EURUSD 14..15");
    }

    @Test
    void shouldCountNothingOnceEveryRecoveryIsOver()
    {
        final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
        harness.status(EPOCH, 0, false);
        harness.live("EURUSD", batch(EPOCH, 1, 1));
        harness.live("EURUSD", batch(EPOCH, 4, 1));
        harness.recovered(1, "EURUSD", batch(EPOCH, 2, 2));
        harness.done(1);

        final Undelivered undelivered = harness.sequencer.undelivered();
        assertThat(undelivered.pending()).isEmpty();
        assertThat(undelivered.heldUpdates()).isZero();
        assertThat(harness.delivered.get("EURUSD")).hasSize(4);
    }

    @Test
    void shouldNotCountAGapReportedUnrecoverable()
    {
        final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
        harness.status(EPOCH, 0, false);
        harness.live("EURUSD", batch(EPOCH, 1, 1));
        harness.live("EURUSD", batch(EPOCH, 5, 1));
        harness.unavailable(1, 2, 3);

        assertThat(ranges(harness.sequencer.undelivered())).as("2..3 are unrecoverable, 4 is still on its way")
            .containsExactly("7 EURUSD 4..4");
        assertThat(harness.counters.recovery().updatesUnrecoverable()).isEqualTo(2);
    }

    @Test
    void shouldCountNothingWithoutRecovery()
    {
        final SequencerHarness harness = new SequencerHarness(false, 0);
        harness.live("EURUSD", batch(EPOCH, 1, 1));
        harness.live("EURUSD", batch(EPOCH, 5, 1));

        assertThat(harness.sequencer.undelivered().pending()).isEmpty();
        assertThat(harness.counters.recovery().updatesUnrecoverable()).isEqualTo(3);
    }

    @Test
    void shouldCountWhatACatchingUpTopicLetGoAndWhatLiesBeforeTheFramesItHolds()
    {
        final SequencerHarness harness = new SequencerHarness(true, NO_BOUND, 5, 6);
        harness.status(EPOCH, 0, false);
        harness.live("EURUSD", batch(EPOCH, 1, 2));
        harness.live("EURUSD", batch(EPOCH, 20, 2));
        harness.live("EURUSD", batch(EPOCH, 22, 2));
        assertThat(harness.takeRequests()).containsExactly("catchup 1 EURUSD 7 from 3");
        harness.recovered(1, "EURUSD", batch(EPOCH, 3, 10));
        harness.live("EURUSD", batch(EPOCH, 24, 2));

        Undelivered undelivered = harness.sequencer.undelivered();
        assertThat(ranges(undelivered)).as("far ahead of the stream: every live frame let go")
            .containsExactly("7 EURUSD 13..25");
        assertThat(undelivered.heldUpdates()).isZero();
        assertThat(accountedFor(harness, undelivered, "EURUSD")).isEqualTo(25);
        assertThat(harness.counters.catchUp().liveDrops()).isEqualTo(6);

        harness.recovered(1, "EURUSD", batch(EPOCH, 13, 8));
        harness.live("EURUSD", batch(EPOCH, 26, 2));

        undelivered = harness.sequencer.undelivered();
        assertThat(ranges(undelivered)).as("close to the stream: held").containsExactly("7 EURUSD 21..25");
        assertThat(undelivered.heldUpdates()).isEqualTo(2);
        assertThat(accountedFor(harness, undelivered, "EURUSD")).isEqualTo(27);
    }

    @Test
    void shouldCountWhatAFillSwitchedToCatchUpLetGo()
    {
        final SequencerHarness harness = new SequencerHarness(true, 150);
        harness.status(EPOCH, 0, false);
        harness.live("EURUSD", batch(EPOCH, 1, 1));
        harness.live("EURUSD", batch(EPOCH, 4, 1));
        harness.live("EURUSD", batch(EPOCH, 5, 1));
        assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 2..3", "cancel 1",
            "catchup 2 EURUSD 7 from 2");

        final Undelivered undelivered = harness.sequencer.undelivered();
        assertThat(ranges(undelivered)).containsExactly("7 EURUSD 2..5");
        assertThat(undelivered.heldUpdates()).isZero();
    }

    @Test
    void shouldCountWhatANewerSessionSeenFromItsStartMissedAndNotTheUnknownRestOfTheOldOne()
    {
        final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
        harness.status(EPOCH, 0, false);
        harness.live("EURUSD", batch(EPOCH, 1, 3));
        harness.status(NEXT_EPOCH, 0, false);
        harness.live("EURUSD", batch(NEXT_EPOCH, 3, 2));
        assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 4..end");

        final Undelivered undelivered = harness.sequencer.undelivered();
        assertThat(ranges(undelivered)).containsExactly("9 EURUSD 1..2");
        assertThat(undelivered.heldUpdates()).isEqualTo(2);
    }

    @Test
    void shouldCountOnlyWhatALateJoinerHoldsWhileItWaitsForItsSnapshot()
    {
        final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
        harness.live("EURUSD", batch(EPOCH, 5, 2));
        harness.live("EURUSD", batch(EPOCH, 9, 1));
        assertThat(harness.takeRequests()).containsExactly("snapshot 1");

        final Undelivered undelivered = harness.sequencer.undelivered();
        assertThat(undelivered.pending()).as("what a snapshot covers is no gap").isEmpty();
        assertThat(undelivered.heldUpdates()).isEqualTo(3);
    }

    @Test
    void shouldCountAGapWaitingForAnotherLineAndIdenticalLinesHeldCopiesOnce()
    {
        final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
        final LineArbiter arbiter = new LineArbiter(List.of("tcp://a", "tcp://b"), 100_000_000L);
        harness.sequencer.arbitrate(arbiter);
        harness.clock.update(1_000_000_000L);
        harness.status(EPOCH, 0, false);
        line(harness, arbiter, 0, batch(EPOCH, 1, 2));
        line(harness, arbiter, 1, batch(EPOCH, 1, 2));
        line(harness, arbiter, 0, batch(EPOCH, 5, 2));
        assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.AWAITING_LINE);

        Undelivered undelivered = harness.sequencer.undelivered();
        assertThat(ranges(undelivered)).as("waiting for line B").containsExactly("7 EURUSD 3..4");
        assertThat(undelivered.heldUpdates()).isEqualTo(2);

        line(harness, arbiter, 1, batch(EPOCH, 5, 2));
        assertThat(harness.takeRequests()).as("B missed it too").containsExactly("fill 1 EURUSD 7 3..4");
        line(harness, arbiter, 0, batch(EPOCH, 7, 2));
        line(harness, arbiter, 1, batch(EPOCH, 7, 2));

        undelivered = harness.sequencer.undelivered();
        assertThat(ranges(undelivered)).containsExactly("7 EURUSD 3..4");
        assertThat(undelivered.heldUpdates()).as("5..8 from two lines, each once").isEqualTo(4);
        assertThat(accountedFor(harness, undelivered, "EURUSD")).isEqualTo(8);
    }

    @Test
    void shouldNameTheFirstRangesAndHowManyMore()
    {
        final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
        harness.status(EPOCH, 0, false);
        harness.live("EURUSD", batch(EPOCH, 1, 1));
        for (int i = 0; i < 11; i++)
        {
            harness.live("EURUSD", batch(EPOCH, 3 + 2L * i, 1));
        }
        harness.live("USDJPY", batch(EPOCH, 1, 1));
        harness.live("USDJPY", batch(EPOCH, 60, 1));

        final Undelivered undelivered = harness.sequencer.undelivered();
        assertThat(undelivered.pending()).hasSize(12);
        assertThat(undelivered.pendingUpdates()).isEqualTo(11 + 58);
        assertThat(undelivered.describePending(10)).isEqualTo("EURUSD 2..2, EURUSD 4..4, EURUSD 6..6, " +
            "EURUSD 8..8, EURUSD 10..10, EURUSD 12..12, EURUSD 14..14, EURUSD 16..16, EURUSD 18..18, EURUSD 20..20 " +
            "(and 2 more ranges)");
        assertThat(undelivered.describePending(11)).endsWith("EURUSD 22..22 (and 1 more range)");
        assertThat(undelivered.describePending(12)).endsWith("EURUSD 22..22, USDJPY 2..59");
    }

    /** A batch of one line, through the arbiter then the sequencer, as the receiver does. */
    private static void line(final SequencerHarness harness, final LineArbiter arbiter, final int line,
        final byte[] frame)
    {
        final FrameReader reader = new FrameReader();
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final long nowNs = harness.clock.nanoTime();
        arbiter.heard(line, nowNs);
        assertThat(reader.read(buffer, 0, frame.length)).isEqualTo(FrameKind.BATCH);
        arbiter.onBatch(line, harness.topic("EURUSD"), reader.batchHeader().sessionEpoch(),
            reader.batchHeader().firstSequence(), reader.batchHeader().updateCount(), buffer, 0,
            reader.updatesOffset(), frame.length, nowNs);
        harness.live("EURUSD", frame);
    }
}
