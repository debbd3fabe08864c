package dev.feedhandler.subscriber.sequence;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.feedhandler.subscriber.sequence.SequencerHarness.NO_BOUND;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.batch;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.conflated;
import static dev.feedhandler.subscriber.sequence.SequencerHarness.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule of the {@link TopicSequencer}, one test each, synchronously: frames in by hand, the recorded deliveries
 * and requests compared with what the rule says. No socket, no thread, a fixed clock.
 */
class TopicSequencerTest
{
    private static final long EPOCH = 7;
    private static final long NEXT_EPOCH = 9;

    @Nested
    class PlainRules
    {
        private final SequencerHarness harness = new SequencerHarness(false, 0);

        @Test
        void shouldDeliverConsecutiveBatches()
        {
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", batch(EPOCH, 4, 2));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3", "EURUSD batch live 4..5");
            assertThat(harness.topic("EURUSD").nextExpected()).isEqualTo(6);
            assertThat(harness.counters.gapsDetected()).isZero();
        }

        @Test
        void shouldReportAJumpUnrecoverableAndDeliverTheBatch()
        {
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", batch(EPOCH, 10, 1));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3",
                "EURUSD gap 4..9 unrecoverable", "EURUSD batch live 10..10");
            assertThat(harness.counters.gapsDetected()).isEqualTo(1);
            assertThat(harness.counters.updatesLost()).isEqualTo(6);
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isEqualTo(6);
        }

        @Test
        void shouldDropDuplicatesAndSkipTheKnownPartOfAnOverlap()
        {
            harness.live("EURUSD", batch(EPOCH, 1, 5));
            harness.live("EURUSD", batch(EPOCH, 2, 3));
            harness.live("EURUSD", batch(EPOCH, 4, 4));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..5", "EURUSD batch live 6..7");
            assertThat(harness.counters.duplicateUpdates()).isEqualTo(5);
        }

        @Test
        void shouldReportATailLossSeenInAHeartbeatAndPassTheEndOn()
        {
            harness.live("EURUSD", batch(EPOCH, 1, 2));
            assertThat(harness.live("EURUSD", heartbeat(EPOCH, 2, false)).kind()).isEqualTo(Verdict.NONE);
            harness.live("EURUSD", heartbeat(EPOCH, 4, false));
            harness.live("EURUSD", heartbeat(EPOCH, 4, true));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..2",
                "EURUSD gap 3..4 unrecoverable", "EURUSD heartbeat", "EURUSD heartbeat end");
            assertThat(harness.counters.heartbeats()).isEqualTo(3);
        }

        @Test
        void shouldRestartAtOneOnANewerSessionAndDropAnOlderOnesLateFrames()
        {
            harness.live("EURUSD", batch(EPOCH, 1, 10));
            harness.live("EURUSD", batch(NEXT_EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 11, 1));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..10", "EURUSD batch live 1..1");
            assertThat(harness.counters.epochChanges()).isEqualTo(1);
            assertThat(harness.counters.staleEpochDrops()).isEqualTo(1);
            assertThat(harness.topic("EURUSD").sessionEpoch()).isEqualTo(NEXT_EPOCH);
        }

        @Test
        void shouldKeepTopicsApart()
        {
            harness.live("EURUSD", batch(EPOCH, 1, 2));
            harness.live("USDJPY", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 3, 1));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..2", "USDJPY batch live 1..1",
                "EURUSD batch live 3..3");
        }

        @Test
        void shouldPassTheSessionEndOnAtOnce()
        {
            harness.live("EURUSD", batch(EPOCH, 1, 2));
            harness.status(EPOCH, 2, true);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..2", "session end 7");
            assertThat(harness.takeRequests()).isEmpty();
        }
    }

    @Nested
    class GapFills
    {
        private final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);

        @Test
        void shouldRecoverAGapAndHoldTheTopicsLaterFramesUntilItIsFilled()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", batch(EPOCH, 7, 2));
            harness.live("EURUSD", batch(EPOCH, 9, 1));
            harness.live("USDJPY", batch(EPOCH, 1, 1));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3",
                "EURUSD gap 4..6 recovering", "USDJPY batch live 1..1");
            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 4..6");
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.RECOVERING);
            assertThat(harness.sequencer.busy()).isTrue();
            // What a subscriber that stopped now would never deliver: 7..8 and 9..9.
            assertThat(harness.sequencer.undelivered().heldUpdates()).isEqualTo(3);

            harness.recovered(1, "EURUSD", batch(EPOCH, 4, 2));
            harness.recovered(1, "EURUSD", batch(EPOCH, 6, 1));
            harness.done(1);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch recovered 4..5",
                "EURUSD batch recovered 6..6", "EURUSD batch held 7..8", "EURUSD batch held 9..9");
            assertThat(harness.delivered.get("EURUSD")).hasSize(9);
            assertThat(harness.counters.recovery().updatesRecovered()).isEqualTo(3);
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(harness.sequencer.idle()).isTrue();
            assertThat(harness.sequencer.heldBytes()).isZero();
            assertThat(harness.sequencer.undelivered().heldUpdates()).isZero();
        }

        @Test
        void shouldReportWhatTheServiceNoLongerHasInItsPlace()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 6, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 2));
            harness.unavailable(1, 4, 5);
            harness.done(1);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..5 recovering",
                "EURUSD batch recovered 2..3", "EURUSD gap 4..5 unrecoverable", "EURUSD batch held 6..6");
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isEqualTo(2);
            assertThat(harness.counters.gapsDetected()).isEqualTo(1);
        }

        @Test
        void shouldCatchUpWhatAnAnsweredFillDidNotCoverInsteadOfReportingItLost()
        {
            // Issue 12: an answer that covers less than the range (the service had not drained its hand-off yet) is
            // no loss: the service has the rest, so the topic asks for it again, as a stream.
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 4, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 1));
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 2..3", "catchup 2 EURUSD 7 from 3");
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.CATCHING_UP);

            harness.recovered(2, "EURUSD", batch(EPOCH, 3, 1));

            assertThat(harness.takeRequests()).containsExactly("cancel 2");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..3 recovering",
                "EURUSD batch recovered 2..2", "EURUSD batch recovered 3..3", "EURUSD batch held 4..4");
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.LIVE);
        }

        @Test
        void shouldReportAHoleInTheRecoveredFramesUnrecoverableInItsPlace()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 10, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 2));
            harness.recovered(1, "EURUSD", batch(EPOCH, 6, 4));
            harness.done(1);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..9 recovering",
                "EURUSD batch recovered 2..3", "EURUSD gap 4..5 unrecoverable", "EURUSD batch recovered 6..9",
                "EURUSD batch held 10..10");
        }

        @Test
        void shouldCountAFailedFillAndReportItsRangeUnrecoverable()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 3, 1));
            harness.sequencer.onRequestDone(1, RecoveryRequests.NO_ANSWER);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..2 recovering",
                "EURUSD gap 2..2 unrecoverable", "EURUSD batch held 3..3");
            assertThat(harness.counters.recovery().recoveriesFailed()).isEqualTo(1);
        }

        @Test
        void shouldIgnoreAnswersToAnotherTopicOrAnOldRequest()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 3, 1));
            harness.recovered(1, "USDJPY", batch(EPOCH, 2, 1));
            harness.recovered(99, "EURUSD", batch(EPOCH, 2, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 1));
            harness.done(1);
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 1));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..2 recovering",
                "EURUSD batch recovered 2..2", "EURUSD batch held 3..3");
        }

        @Test
        void shouldRecoverATailLossSeenInAHeartbeat()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 2));
            harness.live("EURUSD", heartbeat(EPOCH, 4, false));
            harness.recovered(1, "EURUSD", batch(EPOCH, 3, 2));
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 3..4");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..2", "EURUSD gap 3..4 recovering",
                "EURUSD batch recovered 3..4");
            assertThat(harness.topic("EURUSD").nextExpected()).isEqualTo(5);
        }

        @Test
        void shouldStartAnotherFillWhenAReleasedFrameShowsAnotherGap()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 3, 1));
            harness.live("EURUSD", batch(EPOCH, 6, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 1));
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 2..2", "fill 2 EURUSD 7 4..5");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..2 recovering",
                "EURUSD batch recovered 2..2", "EURUSD batch held 3..3", "EURUSD gap 4..5 recovering");
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.RECOVERING);
        }
    }

    @Nested
    class Sessions
    {
        private final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);

        @Test
        void shouldStartALateJoinedTopicFromASnapshotAndDropTheHeldFramesItCovers()
        {
            harness.live("EURUSD", batch(EPOCH, 40, 2));
            harness.live("EURUSD", batch(EPOCH, 42, 1));
            assertThat(harness.takeRequests()).containsExactly("snapshot 1");
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.AWAITING_SNAPSHOT);

            harness.entry(1, "EURUSD", EPOCH, 41);
            harness.done(1);

            assertThat(harness.takeEvents()).containsExactly("EURUSD snapshot 7/41", "EURUSD batch held 42..42");
            assertThat(harness.counters.recovery().snapshots()).isEqualTo(1);
            assertThat(harness.counters.duplicateUpdates()).isEqualTo(2);
            assertThat(harness.counters.gapsDetected()).isZero();
        }

        @Test
        void shouldRecoverTheFirstUpdatesOfASessionItSawStart()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 4, 1));

            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 1..3");
            assertThat(harness.takeEvents()).containsExactly("EURUSD gap 1..3 recovering");
        }

        @Test
        void shouldRecoverTheBeginningOfATopicTheSnapshotDidNotHold()
        {
            harness.live("EURUSD", batch(EPOCH, 5, 1));
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "fill 2 EURUSD 7 1..4");
            assertThat(harness.takeEvents()).containsExactly("EURUSD gap 1..4 recovering");
        }

        @Test
        void shouldAskAgainForTopicsThatStartedWaitingAfterTheSnapshotWasAskedFor()
        {
            harness.live("EURUSD", batch(EPOCH, 5, 1));
            harness.live("USDJPY", batch(EPOCH, 8, 1));
            harness.entry(1, "EURUSD", EPOCH, 4);
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "snapshot 2");
            harness.entry(2, "USDJPY", EPOCH, 8);
            harness.done(2);

            assertThat(harness.takeEvents()).containsExactly("EURUSD snapshot 7/4", "EURUSD batch held 5..5",
                "USDJPY snapshot 7/8");
        }

        @Test
        void shouldFetchTheRestOfASessionThatEndedWithoutAWordThenReportItLost()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", batch(NEXT_EPOCH, 1, 2));

            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 4..end");
            harness.recovered(1, "EURUSD", batch(EPOCH, 4, 2));
            harness.done(1);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3",
                "EURUSD batch recovered 4..5", "EURUSD lost 7/5", "EURUSD batch held 1..2");
            assertThat(harness.counters.recovery().sessionsLost()).isEqualTo(1);
            assertThat(harness.counters.epochChanges()).isEqualTo(1);
        }

        @Test
        void shouldFollowANewSessionAtOnceAfterTheTopicsEnd()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", heartbeat(EPOCH, 3, true));
            harness.status(NEXT_EPOCH, 0, false);
            harness.live("EURUSD", batch(NEXT_EPOCH, 1, 2));

            assertThat(harness.takeRequests()).isEmpty();
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3", "EURUSD heartbeat end",
                "EURUSD batch live 1..2");
        }

        @Test
        void shouldStartARestartedPublishersTopicFromASnapshotWhenItsStartWentBy()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", heartbeat(EPOCH, 3, true));
            harness.live("EURUSD", batch(NEXT_EPOCH, 20, 1));

            assertThat(harness.takeRequests()).containsExactly("snapshot 1");
        }

        @Test
        void shouldDeliverTheSessionEndOnlyOnceNothingIsPendingAndAuditTheTopicsEnds()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 3, 1));
            harness.status(EPOCH, 5, true);

            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 2..2", "snapshot 2");
            assertThat(harness.takeEvents()).doesNotContain("session end 7");

            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 1));
            harness.done(1);
            harness.entry(2, "EURUSD", EPOCH, 5);
            harness.recovered(3, "EURUSD", batch(EPOCH, 4, 2));
            harness.done(3);
            assertThat(harness.takeEvents()).doesNotContain("session end 7");
            harness.done(2);

            assertThat(harness.takeRequests()).containsExactly("fill 3 EURUSD 7 4..5");
            assertThat(harness.takeEvents()).containsExactly("session end 7");
            assertThat(harness.delivered.get("EURUSD")).containsExactly("7/1", "7/2", "7/3", "7/4", "7/5");
        }

        @Test
        void shouldNotAuditAnEndedSessionWhoseEveryUpdateWasDelivered()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("USDJPY", batch(EPOCH, 1, 2));
            // Even with the end-of-session heartbeats lost: the status says 5 updates, and 3 + 2 are here.
            harness.status(EPOCH, 5, true);

            assertThat(harness.takeRequests()).isEmpty();
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3", "USDJPY batch live 1..2",
                "session end 7");
        }

        @Test
        void shouldAuditAnEndedSessionWithATailMissing()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("USDJPY", batch(EPOCH, 1, 2));
            // The publisher sent 6: one update of some topic is not here (its batch and heartbeat lost).
            harness.status(EPOCH, 6, true);
            assertThat(harness.takeRequests()).containsExactly("snapshot 1");
            harness.entry(1, "EURUSD", EPOCH, 4);
            harness.entry(1, "USDJPY", EPOCH, 2);
            harness.done(1);
            assertThat(harness.takeRequests()).containsExactly("fill 2 EURUSD 7 4..4");
        }

        @Test
        void shouldAuditAnEndedSessionWhileATopicIsRecovering()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 3, 2));
            harness.live("USDJPY", batch(EPOCH, 1, 1));
            // 5 sent; EURUSD waits for 2 behind 3..4 held: not all here, audited.
            harness.status(EPOCH, 5, true);
            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 2..2", "snapshot 2");
        }

        @Test
        void shouldEndTheSessionWhenTheFillsOfTheTailsBringEveryTopicsEnd()
        {
            // The feed's last frames and its end were lost; the audit finds short tails, filled rather than caught up.
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("USDJPY", batch(EPOCH, 1, 1));
            harness.sequencer.onFeedStale();
            harness.entry(1, "EURUSD", EPOCH, 3);
            harness.entry(1, "USDJPY", EPOCH, 2);
            harness.done(1);
            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "fill 2 EURUSD 7 2..3",
                "fill 3 USDJPY 7 2..2");

            harness.recovered(2, "EURUSD", batch(EPOCH, 2, 2));
            harness.recovered(2, "EURUSD", heartbeat(EPOCH, 3, true));
            harness.done(2);
            harness.recovered(3, "USDJPY", batch(EPOCH, 2, 1));
            harness.recovered(3, "USDJPY", heartbeat(EPOCH, 2, true));
            harness.done(3);
            assertThat(harness.takeRequests()).as("the topics' ends checked with the service first")
                .containsExactly("snapshot 4");
            harness.entry(4, "EURUSD", EPOCH, 3);
            harness.entry(4, "USDJPY", EPOCH, 2);
            harness.done(4);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "USDJPY batch live 1..1",
                "EURUSD gap 2..3 recovering", "USDJPY gap 2..2 recovering", "EURUSD batch recovered 2..3",
                "EURUSD heartbeat end", "USDJPY batch recovered 2..2", "USDJPY heartbeat end", "session end 7");
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldLearnTheEndWhenOnlyTheEndWasLostByAskingForEachTopicsLastUpdateAgain()
        {
            // Every update arrived; the feed's end (the last heartbeats and the status) did not.
            everyUpdateArrivedButNotTheEnd();

            // The service's fills carry the topics' ends; the updates they repeat are not delivered twice.
            harness.recovered(2, "EURUSD", batch(EPOCH, 1, 3));
            harness.recovered(2, "EURUSD", heartbeat(EPOCH, 3, true));
            harness.done(2);
            harness.recovered(3, "USDJPY", batch(EPOCH, 2, 1));
            harness.recovered(3, "USDJPY", heartbeat(EPOCH, 2, true));
            harness.done(3);
            theServiceConfirmsTheEnds();

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3", "USDJPY batch live 1..2",
                "EURUSD heartbeat end", "USDJPY heartbeat end", "session end 7");
            assertThat(harness.delivered.get("EURUSD")).hasSize(3);
            assertThat(harness.delivered.get("USDJPY")).hasSize(2);
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(harness.sequencer.idle()).isTrue();
            // Stale again after the end: nothing more is asked.
            harness.sequencer.onFeedStale();
            assertThat(harness.takeRequests()).isEmpty();
        }

        @Test
        void shouldLearnTheEndFromAnUnavailableFillThatCarriesIt()
        {
            // Every update arrived, the feed's end did not, and the service's window missed the topics' last updates
            // (its hand-off ring was full), not their ends: the fills say unavailable and carry the ends.
            everyUpdateArrivedButNotTheEnd();

            harness.unavailable(2, 3, 3);
            harness.recovered(2, "EURUSD", heartbeat(EPOCH, 3, true));
            harness.done(2);
            harness.unavailable(3, 2, 2);
            harness.recovered(3, "USDJPY", heartbeat(EPOCH, 2, true));
            harness.done(3);
            theServiceConfirmsTheEnds();

            assertThat(harness.takeEvents()).as("nothing lost: what was unavailable had been delivered")
                .containsExactly("EURUSD batch live 1..3", "USDJPY batch live 1..2", "EURUSD heartbeat end",
                    "USDJPY heartbeat end", "session end 7");
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(harness.sequencer.idle()).isTrue();
        }

        /**
         * EURUSD 1..3 and USDJPY 1..2 arrive live, the feed goes stale without its end, and the audit finds every
         * topic complete: each topic's last update is asked for again, to hear its end.
         */
        private void everyUpdateArrivedButNotTheEnd()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("USDJPY", batch(EPOCH, 1, 2));
            harness.sequencer.onFeedStale();
            harness.entry(1, "EURUSD", EPOCH, 3);
            harness.entry(1, "USDJPY", EPOCH, 2);
            harness.done(1);
            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "fill 2 EURUSD 7 3..3",
                "fill 3 USDJPY 7 2..2");
        }

        /** With both ends heard, the subscriber checks them with the service (no second fill), which confirms them. */
        private void theServiceConfirmsTheEnds()
        {
            assertThat(harness.takeRequests()).as("no second fill: the ends checked with the service")
                .containsExactly("snapshot 4");
            harness.entry(4, "EURUSD", EPOCH, 3);
            harness.entry(4, "USDJPY", EPOCH, 2);
            harness.done(4);
        }

        @Test
        void shouldConfirmTheEndOfATopicThatWasRecoveringWhenAudited()
        {
            // A topic in recovery when the feed goes stale: its audited tail is checked once it is live again, and a
            // topic then found complete asks for its last update again, whose fill carries the topic's end (seen: a
            // subscriber of 2,000 topics, many recovering at the audit, that never learned the session ended).
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 4, 2));
            harness.sequencer.onFeedStale();
            harness.entry(2, "EURUSD", EPOCH, 5);
            harness.done(2);
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 2));
            harness.done(1);
            assertThat(harness.takeRequests()).containsExactly("fill 1 EURUSD 7 2..3", "snapshot 2",
                "fill 3 EURUSD 7 5..5");

            harness.recovered(3, "EURUSD", batch(EPOCH, 5, 1));
            harness.recovered(3, "EURUSD", heartbeat(EPOCH, 5, true));
            harness.done(3);
            // Every topic ended through the service: passed on after an audit, like the feed's end.
            assertThat(harness.takeRequests()).containsExactly("snapshot 4");
            harness.entry(4, "EURUSD", EPOCH, 5);
            harness.done(4);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..3 recovering",
                "EURUSD batch recovered 2..3", "EURUSD batch held 4..5", "EURUSD heartbeat end", "session end 7");
            assertThat(harness.delivered.get("EURUSD")).hasSize(5);
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldReportNothingWhenTheLastUpdateAskedAgainIsNoLongerHeld()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.sequencer.onFeedStale();
            harness.entry(1, "EURUSD", EPOCH, 3);
            harness.done(1);
            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "fill 2 EURUSD 7 3..3");
            harness.unavailable(2, 3, 3);
            harness.done(2);
            // The feed is back (the publisher was only stalled).
            harness.live("EURUSD", batch(EPOCH, 4, 1));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3", "EURUSD batch live 4..4");
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.LIVE);
        }

        @Test
        void shouldNotApplyAnAuditOfAnEarlierSessionToTheNextOne()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            // The session ends; the topic's end-of-session heartbeat is lost, the audit asks for every topic's end.
            harness.status(EPOCH, 5, true);
            harness.live("EURUSD", batch(NEXT_EPOCH, 1, 2));
            harness.entry(1, "EURUSD", EPOCH, 5);
            harness.done(1);
            harness.recovered(2, "EURUSD", batch(EPOCH, 4, 2));
            harness.done(2);

            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "fill 2 EURUSD 7 4..end");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3", "EURUSD batch recovered 4..5",
                "EURUSD lost 7/5", "EURUSD batch held 1..2", "session end 7");
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldAuditAnOpenSessionWhenTheFeedGoesStaleButNotAnEndedOne()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.sequencer.onFeedStale();
            harness.entry(1, "EURUSD", EPOCH, 3);
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "fill 2 EURUSD 7 2..3");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..3 recovering");

            harness.recovered(2, "EURUSD", batch(EPOCH, 2, 2));
            harness.done(2);
            harness.live("EURUSD", heartbeat(EPOCH, 3, true));
            harness.status(EPOCH, 3, true);
            harness.entry(3, "EURUSD", EPOCH, 3);
            harness.done(3);
            harness.takeRequests();
            harness.sequencer.onFeedStale();

            assertThat(harness.takeRequests()).isEmpty();
        }
    }

    @Nested
    class CatchingUp
    {
        /** Gaps of more than 10 updates are caught up; frames within 5 of the stream are held. */
        private final SequencerHarness harness = new SequencerHarness(true, NO_BOUND, 10, 5);

        @Test
        void shouldCatchUpALargeGapAndMergeWhenALiveFrameContinuesTheStream()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 100, 1));
            harness.live("EURUSD", batch(EPOCH, 101, 1));

            assertThat(harness.takeRequests()).containsExactly("catchup 1 EURUSD 7 from 2");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..99 recovering");
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.CATCHING_UP);
            assertThat(harness.sequencer.heldBytes()).as("far ahead of the stream: let go").isZero();
            assertThat(harness.counters.catchUp().liveDrops()).isEqualTo(2);

            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 50));
            harness.recovered(1, "EURUSD", batch(EPOCH, 52, 48));
            harness.recovered(1, "EURUSD", batch(EPOCH, 100, 2));
            harness.live("EURUSD", batch(EPOCH, 102, 1));
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("cancel 1");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch recovered 2..51",
                "EURUSD batch recovered 52..99", "EURUSD batch recovered 100..101", "EURUSD batch live 102..102");
            assertThat(harness.delivered.get("EURUSD")).hasSize(102);
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.LIVE);
            assertThat(harness.counters.catchUp().count()).isEqualTo(1);
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldCountTheFirstAndTheLastSpellApart()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.clock.update(1_000_000);
            harness.live("EURUSD", batch(EPOCH, 100, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 99));
            // The spell ends when the topic merges into the live feed.
            harness.clock.update(6_000_000);
            harness.live("EURUSD", batch(EPOCH, 101, 1));
            harness.done(1);
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.LIVE);
            assertThat(harness.counters.catchUp().spells()).isEqualTo(1);
            assertThat(harness.counters.catchUp().firstSpellUpdates()).isEqualTo(99);
            assertThat(harness.counters.catchUp().lastSpellUpdates()).isEqualTo(99);
            assertThat(harness.counters.catchUp().firstSpellEndNs()).isEqualTo(6_000_000);
            assertThat(harness.counters.catchUp().firstSpellNanos()).isEqualTo(5_000_000);

            harness.clock.update(10_000_000);
            harness.live("EURUSD", batch(EPOCH, 200, 1));
            harness.takeRequests();
            harness.recovered(2, "EURUSD", batch(EPOCH, 102, 60));
            harness.recovered(2, "EURUSD", batch(EPOCH, 162, 39));
            harness.clock.update(12_000_000);
            harness.live("EURUSD", batch(EPOCH, 201, 1));
            harness.done(2);

            assertThat(harness.delivered.get("EURUSD")).hasSize(201);
            assertThat(harness.counters.catchUp().spells()).isEqualTo(2);
            assertThat(harness.counters.catchUp().firstSpellUpdates()).isEqualTo(99);
            assertThat(harness.counters.catchUp().lastSpellUpdates()).isEqualTo(99);
            assertThat(harness.counters.catchUp().updates()).isEqualTo(198);
            assertThat(harness.counters.catchUp().firstSpellNanos()).isEqualTo(5_000_000);
            assertThat(harness.counters.catchUp().lastSpellNanos()).isEqualTo(2_000_000);
            assertThat(harness.counters.catchUp().firstSpellEndNs()).isEqualTo(6_000_000);
        }

        @Test
        void shouldCatchUpALargeTailThatOnlyTheAuditShowed()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            // Stopped for a while: the feed went stale, and the audit finds the topic far ahead.
            harness.sequencer.onFeedStale();
            harness.entry(1, "EURUSD", EPOCH, 40);
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "catchup 2 EURUSD 7 from 2");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..40 recovering");
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.CATCHING_UP);

            harness.recovered(2, "EURUSD", batch(EPOCH, 2, 39));
            harness.live("EURUSD", batch(EPOCH, 41, 1));
            harness.done(2);

            assertThat(harness.takeRequests()).containsExactly("cancel 2");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch recovered 2..40",
                "EURUSD batch live 41..41");
            assertThat(harness.delivered.get("EURUSD")).hasSize(41);
            assertThat(harness.topic("EURUSD").mode()).isEqualTo(TopicState.LIVE);
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldHoldLiveFramesCloseToTheStreamAndReleaseThemWhenItReachesThem()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 21, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 16));
            harness.live("EURUSD", batch(EPOCH, 22, 1));
            harness.live("EURUSD", batch(EPOCH, 23, 1));
            assertThat(harness.sequencer.heldBytes()).as("within 5 of the stream: held").isPositive();

            harness.recovered(1, "EURUSD", batch(EPOCH, 18, 4));

            assertThat(harness.takeRequests()).containsExactly("catchup 1 EURUSD 7 from 2", "cancel 1");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..20 recovering",
                "EURUSD batch recovered 2..17", "EURUSD batch recovered 18..21", "EURUSD batch held 22..22",
                "EURUSD batch held 23..23");
            assertThat(harness.sequencer.heldBytes()).isZero();
        }

        @Test
        void shouldSwitchARecoveringTopicToCatchUpInsteadOfGivingUpPastTheHeldBound()
        {
            final int frame = batch(EPOCH, 1, 1).length;
            final SequencerHarness bounded = new SequencerHarness(true, 2L * frame);
            bounded.status(EPOCH, 0, false);
            bounded.live("EURUSD", batch(EPOCH, 1, 1));
            bounded.live("EURUSD", batch(EPOCH, 5, 1));
            bounded.live("EURUSD", batch(EPOCH, 6, 1));
            bounded.live("EURUSD", batch(EPOCH, 7, 1));

            assertThat(bounded.takeRequests()).containsExactly("fill 1 EURUSD 7 2..4", "cancel 1",
                "catchup 2 EURUSD 7 from 2");
            assertThat(bounded.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..4 recovering");
            assertThat(bounded.sequencer.heldBytes()).isZero();
            assertThat(bounded.counters.catchUp().liveDrops()).isEqualTo(3);

            // The cancelled fill's answers change nothing; the stream brings everything.
            bounded.recovered(1, "EURUSD", batch(EPOCH, 2, 3));
            bounded.done(1);
            bounded.recovered(2, "EURUSD", batch(EPOCH, 2, 3));
            bounded.recovered(2, "EURUSD", batch(EPOCH, 5, 3));
            bounded.live("EURUSD", batch(EPOCH, 8, 1));
            bounded.done(2);

            assertThat(bounded.takeEvents()).containsExactly("EURUSD batch recovered 2..4",
                "EURUSD batch recovered 5..7", "EURUSD batch live 8..8");
            assertThat(bounded.delivered.get("EURUSD")).hasSize(8);
            assertThat(bounded.counters.recovery().giveUps()).isZero();
            assertThat(bounded.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(bounded.sequencer.idle()).isTrue();
        }

        @Test
        void shouldLetGoOfWhatATopicAwaitingItsSnapshotHoldsAndRecoverItAfterTheSnapshot()
        {
            final int frame = batch(EPOCH, 1, 1).length;
            final SequencerHarness bounded = new SequencerHarness(true, frame);
            bounded.live("EURUSD", batch(EPOCH, 10, 1));
            bounded.live("EURUSD", batch(EPOCH, 11, 1));
            assertThat(bounded.topic("EURUSD").mode()).isEqualTo(TopicState.AWAITING_SNAPSHOT);
            assertThat(bounded.sequencer.heldBytes()).isZero();

            bounded.entry(1, "EURUSD", EPOCH, 9);
            bounded.done(1);
            bounded.live("EURUSD", batch(EPOCH, 12, 1));
            bounded.recovered(2, "EURUSD", batch(EPOCH, 10, 2));
            bounded.done(2);

            assertThat(bounded.takeRequests()).containsExactly("snapshot 1", "fill 2 EURUSD 7 10..11");
            assertThat(bounded.takeEvents()).containsExactly("EURUSD snapshot 7/9", "EURUSD gap 10..11 recovering",
                "EURUSD batch recovered 10..11", "EURUSD batch held 12..12");
            assertThat(bounded.counters.recovery().updatesUnrecoverable()).isZero();
        }

        @Test
        void shouldEndTheSessionWhenTheStreamsBringEveryTopicsEndThatTheFeedNeverDid()
        {
            // Stopped through the publisher's end: its last frames, heartbeats and session status never came.
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("USDJPY", batch(EPOCH, 1, 1));
            harness.sequencer.onFeedStale();
            harness.entry(1, "EURUSD", EPOCH, 40);
            harness.entry(1, "USDJPY", EPOCH, 30);
            harness.done(1);
            assertThat(harness.takeRequests()).containsExactly("snapshot 1", "catchup 2 EURUSD 7 from 2",
                "catchup 3 USDJPY 7 from 2");

            harness.recovered(2, "EURUSD", batch(EPOCH, 2, 39));
            harness.recovered(2, "EURUSD", heartbeat(EPOCH, 40, true));
            harness.done(2);
            assertThat(harness.takeEvents()).as("one topic of two ended: the session goes on")
                .doesNotContain("session end 7");

            harness.recovered(3, "USDJPY", batch(EPOCH, 2, 29));
            harness.recovered(3, "USDJPY", heartbeat(EPOCH, 30, true));
            harness.done(3);
            assertThat(harness.takeRequests()).as("the topics' ends checked with the service first")
                .containsExactly("cancel 2", "cancel 3", "snapshot 4");
            assertThat(harness.takeEvents()).doesNotContain("session end 7");

            harness.entry(4, "EURUSD", EPOCH, 40);
            harness.entry(4, "USDJPY", EPOCH, 30);
            harness.done(4);

            assertThat(harness.takeEvents()).containsExactly("session end 7");
            assertThat(harness.delivered.get("EURUSD")).hasSize(40);
            assertThat(harness.delivered.get("USDJPY")).hasSize(30);
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isZero();
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldPassTheTopicsEndOnOnceWhenTheStreamAndTheFeedBothBringIt()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 50, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 49));
            harness.recovered(1, "EURUSD", heartbeat(EPOCH, 50, true));
            harness.done(1);
            // The feed's own end, later than the stream's (it queued behind the live frames let go meanwhile).
            harness.live("EURUSD", heartbeat(EPOCH, 50, true));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..49 recovering",
                "EURUSD batch recovered 2..50", "EURUSD heartbeat end");
            assertThat(harness.delivered.get("EURUSD")).hasSize(50);
        }

        @Test
        void shouldNotEndTheSessionWhenAStreamEndsAtATopicThatGoesOn()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 100, 1));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 99));
            harness.live("EURUSD", batch(EPOCH, 101, 1));
            harness.done(1);

            assertThat(harness.takeRequests()).containsExactly("catchup 1 EURUSD 7 from 2", "cancel 1");
            assertThat(harness.takeEvents()).doesNotContain("session end 7");
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldHoldTheEndOfATopicAndDeliverItOnceTheStreamReachesIt()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 50, 1));
            harness.live("EURUSD", heartbeat(EPOCH, 50, true));
            harness.recovered(1, "EURUSD", batch(EPOCH, 2, 49));

            assertThat(harness.takeRequests()).containsExactly("catchup 1 EURUSD 7 from 2", "cancel 1");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..49 recovering",
                "EURUSD batch recovered 2..50", "EURUSD heartbeat end");
        }

        @Test
        void shouldReportTheNextLossAtOnceAfterAStreamTheServiceDidNotAnswer()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 100, 1));
            harness.sequencer.onRequestDone(1, RecoveryRequests.NO_ANSWER);
            harness.live("EURUSD", batch(EPOCH, 101, 1));

            assertThat(harness.takeRequests()).containsExactly("catchup 1 EURUSD 7 from 2");
            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..99 recovering",
                "EURUSD gap 2..100 unrecoverable", "EURUSD batch live 101..101");
            assertThat(harness.counters.recovery().recoveriesFailed()).isEqualTo(1);
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isEqualTo(99);
        }

        @Test
        void shouldReportWhatTheServiceNoLongerHasAndGoOnCatchingUp()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 1));
            harness.live("EURUSD", batch(EPOCH, 100, 1));
            harness.unavailable(1, 2, 60);
            harness.recovered(1, "EURUSD", batch(EPOCH, 61, 40));
            harness.live("EURUSD", batch(EPOCH, 101, 1));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..1", "EURUSD gap 2..99 recovering",
                "EURUSD gap 2..60 unrecoverable", "EURUSD batch recovered 61..100", "EURUSD batch live 101..101");
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isEqualTo(59);
        }
    }

    @Nested
    class ConflatingListener
    {
        private final SequencerHarness harness = new SequencerHarness(true, NO_BOUND).conflating();

        @Test
        void shouldReportAGapAtOnceWithoutRecoveringIt()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", batch(EPOCH, 7, 2));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3",
                "EURUSD gap 4..6 unrecoverable", "EURUSD batch live 7..8");
            assertThat(harness.takeRequests()).isEmpty();
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isEqualTo(3);
            assertThat(harness.counters.recovery().recoveries()).isZero();
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldAskForTheNewestQuoteWhenATailLossLeavesItUnknown()
        {
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.takeEvents();
            harness.live("EURUSD", heartbeat(EPOCH, 5, false));

            assertThat(harness.takeEvents()).containsExactly("EURUSD gap 4..5 unrecoverable", "EURUSD heartbeat");
            assertThat(harness.takeRequests()).containsExactly("snapshot 1");

            harness.entryWithQuote(1, "EURUSD", EPOCH, 5, 5);
            harness.done(1);

            assertThat(harness.takeEvents()).containsExactly("EURUSD snapshot 7/5 quote 5");
            assertThat(harness.counters.recovery().snapshots()).isEqualTo(1);
            assertThat(harness.topic("EURUSD").nextExpected()).isEqualTo(6);
            assertThat(harness.sequencer.idle()).isTrue();
        }

        @Test
        void shouldNotDeliverTheSnapshotsQuoteOnceAnUpdateOfTheTopicWasDelivered()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", heartbeat(EPOCH, 5, false));
            harness.live("EURUSD", batch(EPOCH, 6, 1));
            harness.takeEvents();

            harness.entryWithQuote(1, "EURUSD", EPOCH, 6, 5);
            harness.done(1);

            assertThat(harness.takeEvents()).isEmpty();
        }

        @Test
        void shouldNotDeliverTheSnapshotsQuoteWhenItIsFromBeforeTheLoss()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.live("EURUSD", heartbeat(EPOCH, 5, false));
            harness.takeEvents();

            // The lost updates 4 and 5 were trades: the listener's quote 3 is still the newest.
            harness.entryWithQuote(1, "EURUSD", EPOCH, 5, 3);
            harness.done(1);

            assertThat(harness.takeEvents()).isEmpty();
        }

        @Test
        void shouldStartALateJoinerFromASnapshot()
        {
            harness.live("EURUSD", batch(EPOCH, 10, 3));

            assertThat(harness.takeRequests()).containsExactly("snapshot 1");
            harness.entry(1, "EURUSD", EPOCH, 11);
            harness.done(1);

            assertThat(harness.takeEvents()).containsExactly("EURUSD snapshot 7/11", "EURUSD batch held 12..12");
        }

        @Test
        void shouldNotFetchTheRestOfASessionThatEndedWithoutAWord()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.status(NEXT_EPOCH, 0, false);
            harness.live("EURUSD", batch(NEXT_EPOCH, 1, 2));

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3", "EURUSD lost 7/3",
                "EURUSD batch live 1..2");
            assertThat(harness.takeRequests()).isEmpty();
        }

        @Test
        void shouldReportATailTheFeedNeverAnnouncedAndDeliverItsNewestQuote()
        {
            harness.status(EPOCH, 0, false);
            harness.live("EURUSD", batch(EPOCH, 1, 3));
            harness.status(EPOCH, 6, true);

            assertThat(harness.takeRequests()).containsExactly("snapshot 1");
            harness.entryWithQuote(1, "EURUSD", EPOCH, 6, 6);
            harness.done(1);

            assertThat(harness.takeEvents()).containsExactly("EURUSD batch live 1..3",
                "EURUSD gap 4..6 unrecoverable", "EURUSD snapshot 7/6 quote 6", "session end 7");
            assertThat(harness.takeRequests()).isEmpty();
        }
    }

    @Nested
    class ConflatedStream
    {
        @Test
        void shouldStartAtTheFirstMessageAndFollowTheRanges()
        {
            final SequencerHarness harness = new SequencerHarness(false, 0);
            harness.live("EURUSD", conflated(EPOCH, 5, 9, 8, 4));
            harness.live("EURUSD", conflated(EPOCH, 10, 12, 0, 0));
            assertThat(harness.live("EURUSD", heartbeat(EPOCH, 12, false)).kind()).isEqualTo(Verdict.NONE);

            assertThat(harness.takeEvents()).containsExactly("EURUSD conflated live 5..9 quote 8",
                "EURUSD conflated live 10..12 no quote");
            assertThat(harness.topic("EURUSD").nextExpected()).isEqualTo(13);
            assertThat(harness.counters.gapsDetected()).isZero();
            assertThat(harness.counters.updatesReceived()).isEqualTo(8);
        }

        @Test
        void shouldReportLostMessagesWithoutRecoveringThem()
        {
            final SequencerHarness harness = new SequencerHarness(true, NO_BOUND);
            harness.live("EURUSD", conflated(EPOCH, 5, 9, 8, 4));
            harness.live("EURUSD", conflated(EPOCH, 15, 20, 20, 6));

            assertThat(harness.takeEvents()).containsExactly("EURUSD conflated live 5..9 quote 8",
                "EURUSD gap 10..14 unrecoverable", "EURUSD conflated live 15..20 quote 20");
            assertThat(harness.takeRequests()).isEmpty();
            assertThat(harness.counters.recovery().updatesUnrecoverable()).isEqualTo(5);
        }

        @Test
        void shouldDropADuplicateAndNeverDeliverAQuoteTwice()
        {
            final SequencerHarness harness = new SequencerHarness(false, 0);
            harness.live("EURUSD", conflated(EPOCH, 5, 9, 8, 4));
            harness.live("EURUSD", conflated(EPOCH, 5, 9, 8, 4));
            harness.live("EURUSD", conflated(EPOCH, 8, 12, 8, 1));

            assertThat(harness.takeEvents()).containsExactly("EURUSD conflated live 5..9 quote 8",
                "EURUSD conflated live 8..12 quote 8 delivered before");
            assertThat(harness.counters.duplicateUpdates()).isEqualTo(5);
        }

        @Test
        void shouldFollowANewSessionFromItsFirstMessage()
        {
            final SequencerHarness harness = new SequencerHarness(false, 0);
            harness.live("EURUSD", conflated(EPOCH, 5, 9, 8, 4));
            harness.live("EURUSD", conflated(NEXT_EPOCH, 3, 4, 4, 2));
            harness.live("EURUSD", conflated(EPOCH, 10, 11, 11, 2));

            assertThat(harness.takeEvents()).containsExactly("EURUSD conflated live 5..9 quote 8",
                "EURUSD lost 7/9", "EURUSD conflated live 3..4 quote 4");
            assertThat(harness.counters.staleEpochDrops()).isEqualTo(1);
        }
    }
}
