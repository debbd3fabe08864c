package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.feedhandler.subscriber.sequence.SequencerHarness.NO_BOUND;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.batch;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitration of identical lines, synchronously: frames of line A (0) and B (1) go through the {@link LineArbiter}
 * then the {@link TopicSequencer}, as the receiver does, with a fixed clock. A gap on one line is filled by the other
 * without a request; a gap both lines missed, a line that is down, or the window running out lead to recovery.
 */
class LineArbitrationTest
{
    private static final long EPOCH = 7;
    /** A line's session: start 2026-12-05T09:00:00Z to the millisecond, a feed id's hash below it. */
    private static final long EPOCH_AT_START = 1_796_461_200_000L * 1_000_000L + 123_456L;
    private static final long MS = 1_000_000L;
    private static final long WINDOW_NS = 100 * MS;
    private static final int A = 0;
    private static final int B = 1;

    private final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
    private final LineArbiter arbiter = new LineArbiter(List.of("tcp://a", "tcp://b"), WINDOW_NS);
    private final FrameReader reader = new FrameReader();
    private long nowNs = 1_000 * MS;

    @BeforeEach
    void start()
    {
        arbiter.heartbeatInterval(200 * MS);
        harness.sequencer.arbitrate(arbiter);
        harness.clock.update(nowNs);
        harness.status(EPOCH, 0, false);
    }

    @Test
    void shouldTakeEachUpdateOnceFromWhicheverLineBringsItFirst()
    {
        on(A, batch(EPOCH, 1, 3));
        on(B, batch(EPOCH, 1, 2));
        on(B, batch(EPOCH, 3, 2));
        on(A, batch(EPOCH, 4, 3));

        assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3", "EURUSD batch live 4..4",
            "EURUSD batch live 5..6");
        assertThat(arbiter.won(A)).isEqualTo(5);
        assertThat(arbiter.won(B)).isEqualTo(1);
        assertThat(arbiter.late(B)).isEqualTo(3);
        assertThat(arbiter.late(A)).isEqualTo(1);
        assertThat(harness.takeRequests()).isEmpty();
    }

    @Test
    void shouldCountALinesOwnSecondCopiesAsRepeatsWithoutLag()
    {
        on(A, batch(EPOCH, 1, 2));
        on(A, batch(EPOCH, 1, 2));
        tick(5);
        on(B, batch(EPOCH, 1, 2));
        on(B, batch(EPOCH, 1, 2));
        tick(1);
        on(B, batch(EPOCH, 3, 1));
        on(B, batch(EPOCH, 3, 1));

        assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..2", "EURUSD batch live 3..3");
        assertThat(arbiter.won(A)).isEqualTo(2);
        assertThat(arbiter.repeated(A)).isEqualTo(2);
        assertThat(arbiter.late(B)).as("B's first copies of 1 and 2; its second ones are repeats").isEqualTo(2);
        assertThat(arbiter.repeated(B)).isEqualTo(3);
        assertThat(arbiter.won(B)).isEqualTo(1);
        assertThat(arbiter.lagNs(B, 0)).as("lag of B's first copies only").isBetween(4_990_000L, 5_010_000L);
        assertThat(arbiter.lagNs(A, 50)).as("A was never late").isZero();
        assertThat(harness.takeRequests()).isEmpty();
        assertThat(harness.counters.gapsDetected()).isZero();
    }

    @Test
    void shouldFillAGapOfOneLineFromTheOtherWithoutARequestAndMeasureItsLag()
    {
        on(A, batch(EPOCH, 1, 2));
        on(B, batch(EPOCH, 1, 2));
        tick(3);
        on(A, batch(EPOCH, 5, 2));
        assertThat(harness.takeEvents()).as("held while B may bring 3..4").containsExactly("EURUSD batch live 1..2");
        tick(2);
        on(B, batch(EPOCH, 3, 3));

        assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 3..5", "EURUSD batch held 6..6");
        assertThat(harness.takeRequests()).isEmpty();
        assertThat(harness.counters.gapsDetected()).isZero();
        assertThat(arbiter.lagNs(B, 50)).as("B's copies of 1 and 2 came with A's").isZero();
        assertThat(arbiter.lagNs(B, 100)).as("B's copy of 5 came 2 ms after A's").isBetween(1_990_000L, 2_010_000L);
    }

    @Test
    void shouldRecoverAGapBothLinesMissed()
    {
        on(A, batch(EPOCH, 1, 2));
        on(B, batch(EPOCH, 1, 1));
        on(A, batch(EPOCH, 5, 1));
        assertThat(harness.takeRequests()).isEmpty();
        on(B, batch(EPOCH, 6, 1));

        assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 3..4");
        assertThat(harness.counters.gapsDetected()).isEqualTo(1);
    }

    @Test
    void shouldRecoverAtOnceWhenTheOtherLineIsDownAndWaitAgainOnceItIsBack()
    {
        on(A, batch(EPOCH, 1, 2));
        on(B, batch(EPOCH, 1, 2));
        tick(700);
        arbiter.checkLines(nowNs);
        assertThat(arbiter.isDown(A)).isTrue();
        assertThat(arbiter.isDown(B)).isTrue();
        on(A, batch(EPOCH, 4, 1));
        assertThat(harness.takeRequests()).as("B is down: nobody else will bring 3")
            .containsExactly("fill 1 EURUSD 7 3..3");
        harness.done(1);
        on(B, batch(EPOCH, 3, 2));
        assertThat(arbiter.downEvents(B)).isEqualTo(1);
        assertThat(arbiter.upEvents(B)).isEqualTo(1);
        assertThat(arbiter.upEvents(A)).isEqualTo(1);
    }

    @Test
    void shouldRecoverWhenTheOtherLineBringsNothingWithinTheWindow()
    {
        on(A, batch(EPOCH, 1, 2));
        on(B, batch(EPOCH, 1, 2));
        on(A, batch(EPOCH, 4, 1));
        tick(50);
        harness.sequencer.checkArbitration(nowNs);
        assertThat(harness.takeRequests()).isEmpty();
        tick(60);
        harness.sequencer.checkArbitration(nowNs);

        assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 3..3");
    }

    @Test
    void shouldWaitLongerForALineThatLaggedLatelyAndTakeItsCopiesWithoutARequest()
    {
        on(A, batch(EPOCH, 1, 2));
        tick(300);
        on(B, batch(EPOCH, 1, 2));
        assertThat(arbiter.waitNs(nowNs)).as("twice B's 300 ms lag").isEqualTo(600 * MS);
        on(A, batch(EPOCH, 4, 1));
        tick(150);
        harness.sequencer.checkArbitration(nowNs);
        assertThat(harness.takeRequests()).as("past the 100 ms window, within B's recent lag").isEmpty();
        tick(150);
        on(B, batch(EPOCH, 3, 2));

        assertThat(harness.takeEvents()).contains("EURUSD batch live 3..4");
        assertThat(harness.takeRequests()).isEmpty();
        assertThat(harness.counters.gapsDetected()).isZero();
    }

    @Test
    void shouldWaitNoLongerThanTheSilenceThatMakesALineDown()
    {
        on(A, batch(EPOCH, 1, 2));
        tick(500);
        on(B, batch(EPOCH, 1, 2));
        on(A, batch(EPOCH, 4, 1));
        assertThat(arbiter.waitNs(nowNs)).as("twice 500 ms, capped at three 200 ms heartbeat intervals")
            .isEqualTo(600 * MS);
        tick(550);
        harness.sequencer.checkArbitration(nowNs);
        assertThat(harness.takeRequests()).isEmpty();
        tick(60);
        harness.sequencer.checkArbitration(nowNs);

        assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 3..3");
    }

    @Test
    void shouldForgetALagAfterTwoPeriodsAndWaitTheWindowAgain()
    {
        on(A, batch(EPOCH, 1, 1));
        tick(300);
        on(B, batch(EPOCH, 1, 1));
        for (long sequence = 2; sequence <= 5; sequence++)
        {
            tick(500);
            on(A, batch(EPOCH, sequence, 1));
            on(B, batch(EPOCH, sequence, 1));
        }
        assertThat(arbiter.waitNs(nowNs)).as("2 s later, copies together again").isEqualTo(WINDOW_NS);
        on(A, batch(EPOCH, 7, 1));
        tick(110);
        harness.sequencer.checkArbitration(nowNs);

        assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 6..6");
    }

    @Test
    void shouldWaitForTheOtherLineOnATailLossSeenInAHeartbeat()
    {
        on(A, batch(EPOCH, 1, 2));
        on(B, batch(EPOCH, 1, 1));
        on(A, heartbeat(EPOCH, 3, false));
        assertThat(harness.takeRequests()).isEmpty();
        on(B, batch(EPOCH, 2, 2));

        assertThat(harness.takeEvents()).contains("EURUSD batch live 3..3");
        assertThat(harness.takeRequests()).isEmpty();
        assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
    }

    @Test
    void shouldReportLinesWhoseCopiesDiffer()
    {
        on(A, batch(EPOCH, 1, 2));
        assertThat(arbiter.mismatch()).isNull();
        final byte[] other = batch(EPOCH, 1, 2);
        other[other.length - 1] ^= 1;
        on(B, other);

        assertThat(arbiter.mismatch()).startsWith("the lines are not identical: update EURUSD #2 on line 2 " +
            "(tcp://b) differs from the first copy");
        assertThat(arbiter.mismatched(B)).isEqualTo(1);
    }

    @Test
    void shouldReportLinesThatGoOnPublishingAnotherSessionPastTheGrace()
    {
        // Another --feed-id, the same --feed-start: the same millisecond, another hash below it.
        final long otherFeed = EPOCH_AT_START + 1;
        on(A, batch(EPOCH_AT_START, 1, 2));
        on(B, batch(otherFeed, 1, 2));
        arbiter.checkLines(nowNs);
        assertThat(arbiter.mismatch()).as("differing lines are first given the grace").isNull();
        tick(750);
        on(A, batch(EPOCH_AT_START, 3, 1));
        on(B, batch(otherFeed, 3, 1));
        arbiter.checkLines(nowNs);

        assertThat(arbiter.mismatch()).isEqualTo("the lines are not one feed: line 1 (tcp://a) publishes session " +
            EPOCH_AT_START + " (start 2026-12-05T09:00:00Z), line 2 (tcp://b) session " + otherFeed +
            " (start 2026-12-05T09:00:00Z): the same start, another --feed-id; start every line with the same " +
            "--feed-id and --feed-start");
        assertThat(arbiter.otherSession(A)).as("A's session is the older: its frame after B's is not B's feed")
            .isEqualTo(1);
        assertThat(arbiter.otherSession(B)).isZero();
        assertThat(arbiter.sessionEpoch(A)).isEqualTo(EPOCH_AT_START);
        assertThat(arbiter.sessionEpoch(B)).isEqualTo(otherFeed);
    }

    @Test
    void shouldNotReportLinesThatReachANewSessionWithinTheGrace()
    {
        final long next = EPOCH_AT_START + 86_400_000L * MS;
        on(A, batch(EPOCH_AT_START, 1, 2));
        on(B, batch(EPOCH_AT_START, 1, 2));
        arbiter.checkLines(nowNs);
        on(A, batch(next, 1, 1));
        arbiter.checkLines(nowNs);
        tick(500);
        on(B, batch(next, 1, 1));
        arbiter.checkLines(nowNs);
        tick(700);
        arbiter.checkLines(nowNs);

        assertThat(arbiter.mismatch()).isNull();
    }

    @Test
    void shouldNotCompareTheSessionOfALineThatIsDown()
    {
        on(A, batch(EPOCH_AT_START, 1, 2));
        on(B, batch(EPOCH_AT_START + 1, 1, 2));
        tick(700);
        on(A, batch(EPOCH_AT_START, 3, 1));
        arbiter.checkLines(nowNs);
        assertThat(arbiter.isDown(B)).isTrue();
        tick(700);
        arbiter.checkLines(nowNs);
        on(A, batch(EPOCH_AT_START, 4, 1));
        arbiter.checkLines(nowNs);

        assertThat(arbiter.mismatch()).as("B, down, is not compared").isNull();
    }

    private void tick(final long ms)
    {
        nowNs += ms * MS;
        harness.clock.update(nowNs);
    }

    private void on(final int line, final byte[] frame)
    {
        final TopicState state = harness.topic("EURUSD");
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        arbiter.heard(line, nowNs);
        if (reader.read(buffer, 0, frame.length) == FrameKind.BATCH)
        {
            arbiter.onBatch(line, state, reader.batchHeader().sessionEpoch(), reader.batchHeader().firstSequence(),
                reader.batchHeader().updateCount(), buffer, 0, reader.updatesOffset(), frame.length, nowNs);
        }
        else
        {
            arbiter.onHeartbeat(line, state, reader.heartbeat().sessionEpoch(), reader.heartbeat().lastSequence());
        }
        harness.live("EURUSD", frame);
    }
}
