package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.wire.WireFormat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.feedhandler.publisher.recovery.ResponderHarness.CLIENT;
import static dev.feedhandler.publisher.recovery.ResponderHarness.EPOCH;
import static dev.feedhandler.publisher.recovery.ResponderHarness.range;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery service's answers without a socket: request bytes in, reply frames out. Gap fills, snapshots and
 * errors as the protocol says, and catch-up streams: paced by the client's credit, following the topic, ending with
 * its range or its session, saying what no longer exists and going on after it.
 */
class StreamingResponderTest
{
    private static final long END = WireFormat.SEQUENCE_TO_END;

    @Nested
    class GapFills
    {
        private final ResponderHarness harness = new ResponderHarness(RecoveryConfiguration.DEFAULT_WINDOW_BYTES, 5);

        @Test
        void shouldFillAGapWithTheBatchesAsPublished()
        {
            final byte[] first = harness.publish("EURUSD", 1, 3);
            final byte[] second = harness.publish("EURUSD", 4, 2);
            harness.publish("USDJPY", 1, 2);
            harness.gapFill("EURUSD", 42, EPOCH, 2, 4);

            final ResponderHarness.Reply reply = harness.take().get(0);
            assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
            assertThat(reply.requestId()).isEqualTo(42);
            assertThat(reply.topic()).isEqualTo("EURUSD");
            assertThat(reply.from()).isEqualTo(2);
            assertThat(reply.to()).isEqualTo(4);
            assertThat(reply.next()).isZero();
            assertThat(reply.frames()).containsExactly(first, second);
        }

        @Test
        void shouldEndAFillThatCoversAnEndedTopicsLastUpdateWithItsEndOfSession()
        {
            final byte[] first = harness.publish("EURUSD", 1, 3);
            final byte[] second = harness.publish("EURUSD", 4, 2);
            harness.gapFill("EURUSD", 1, EPOCH, 2, 5);
            final ResponderHarness.Reply open = harness.take().get(0);
            assertThat(open.frames()).as("the topic goes on: its batches, no end").containsExactly(first, second);
            assertThat(open.endOfSession()).isEqualTo(-1);

            harness.heartbeat("EURUSD", 5, true);
            harness.gapFill("EURUSD", 2, EPOCH, 2, 3);
            harness.gapFill("EURUSD", 3, EPOCH, 4, 5);

            final List<ResponderHarness.Reply> replies = harness.take();
            assertThat(replies.get(0).endOfSession()).as("short of the topic's end").isEqualTo(-1);
            assertThat(replies.get(1).status()).isEqualTo(RecoveryStatus.OK);
            assertThat(replies.get(1).frames()).hasSize(2).startsWith(second);
            assertThat(replies.get(1).sequences()).isEqualTo(range(4, 5));
            assertThat(replies.get(1).endOfSession()).isEqualTo(5);
        }

        @Test
        void shouldEndAnUnavailableFillThatRunsToAnEndedTopicsLastUpdateWithItsEndOfSession()
        {
            // The hand-off missed the topic's last two updates (a full ring), not its end: the window holds 1..3.
            harness.publish("EURUSD", 1, 3);
            harness.heartbeat("EURUSD", 5, false);
            harness.gapFill("EURUSD", 1, EPOCH, 5, 5);
            harness.heartbeat("EURUSD", 5, true);
            harness.gapFill("EURUSD", 2, EPOCH, 5, 5);
            harness.gapFill("EURUSD", 3, EPOCH, 4, 5);
            harness.gapFill("EURUSD", 4, EPOCH, 4, 4);

            final List<ResponderHarness.Reply> replies = harness.take();
            assertThat(replies).extracting(ResponderHarness.Reply::status).containsOnly(RecoveryStatus.UNAVAILABLE);
            assertThat(replies.get(0).frames()).as("the topic had not ended yet").isEmpty();
            assertThat(replies.get(1).to()).isEqualTo(5);
            assertThat(replies.get(1).next()).isZero();
            assertThat(replies.get(1).endOfSession()).as("its last update again, to hear the end").isEqualTo(5);
            assertThat(replies.get(1).sequences()).isEmpty();
            assertThat(replies.get(2).endOfSession()).as("its lost tail").isEqualTo(5);
            assertThat(replies.get(3).frames()).as("short of the topic's end").isEmpty();
        }

        @Test
        void shouldPageARangeLargerThanAReply()
        {
            for (int i = 0; i < 5; i++)
            {
                harness.publish("EURUSD", 1 + 2L * i, 2);
            }
            harness.gapFill("EURUSD", 1, EPOCH, 1, 10);
            harness.gapFill("EURUSD", 2, EPOCH, 5, 10);
            harness.gapFill("EURUSD", 3, EPOCH, 9, 10);

            final List<ResponderHarness.Reply> replies = harness.take();
            assertThat(replies).extracting(ResponderHarness.Reply::status).containsExactly(RecoveryStatus.PARTIAL,
                RecoveryStatus.PARTIAL, RecoveryStatus.OK);
            assertThat(replies).extracting(ResponderHarness.Reply::next).containsExactly(5L, 9L, 0L);
            assertThat(replies.get(0).sequences()).isEqualTo(range(1, 4));
            assertThat(harness.counters.get(RecoveryCounters.PARTIAL)).isEqualTo(2);
        }

        @Test
        void shouldAnswerWhatWasNotPublishedYetWithAnOkThatCoversNothing()
        {
            harness.publish("EURUSD", 1, 3);
            harness.gapFill("EURUSD", 1, EPOCH, 10, 20);

            final ResponderHarness.Reply reply = harness.take().get(0);
            assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
            assertThat(reply.to()).isEqualTo(9);
            assertThat(reply.frames()).isEmpty();
        }

        @Test
        void shouldSayWhatTheWindowNoLongerHolds()
        {
            final ResponderHarness small = new ResponderHarness(64 * 1024, 1000);
            for (int i = 0; i < 300; i++)
            {
                small.publish("EURUSD", 1 + 10L * i, 10);
            }
            small.gapFill("EURUSD", 1, EPOCH, 1, 50);
            small.gapFill("EURUSD", 2, EPOCH, 1, 3000);

            final List<ResponderHarness.Reply> replies = small.take();
            assertThat(replies.get(0).status()).isEqualTo(RecoveryStatus.UNAVAILABLE);
            assertThat(replies.get(0).to()).isEqualTo(50);
            assertThat(replies.get(0).next()).isZero();
            assertThat(replies.get(1).status()).isEqualTo(RecoveryStatus.UNAVAILABLE);
            assertThat(replies.get(1).next()).as("where the window starts").isEqualTo(replies.get(1).to() + 1)
                .isGreaterThan(1000);
        }

        @Test
        void shouldAnswerAnUnknownSessionWithWrongEpoch()
        {
            harness.publish("EURUSD", 1, 3);
            harness.gapFill("EURUSD", 1, EPOCH - 1, 1, 3);

            assertThat(harness.take().get(0).status()).isEqualTo(RecoveryStatus.WRONG_EPOCH);
            assertThat(harness.responder).isNotNull();
            assertThat(harness.counters.errors()).isEqualTo(1);
        }
    }

    @Nested
    class SnapshotsAndErrors
    {
        private final ResponderHarness harness = new ResponderHarness();

        @Test
        void shouldGiveTheLastSequenceOfEveryTopicOfAPrefix()
        {
            harness.publish("EURUSD", 1, 3);
            harness.publish("USDJPY", 1, 2);
            harness.publish("EURGBP", 1, 1);
            harness.heartbeat("EURGBP", 4, false);
            harness.snapshot("EUR", 9);

            final ResponderHarness.Reply reply = harness.take().get(0);
            assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
            assertThat(reply.frames()).hasSize(4);
            assertThat(new String(reply.frames().get(0))).isEqualTo("EURUSD");
            assertThat(new String(reply.frames().get(2))).isEqualTo("EURGBP");
            assertThat(harness.counters.get(RecoveryCounters.SNAPSHOT_ENTRIES)).isEqualTo(2);
        }

        @Test
        void shouldAnswerEveryBadRequestWithItsErrorAndCountIt()
        {
            harness.gapFill("EURUSD", 1, EPOCH, 0, 5);
            harness.gapFill("EURUSD", 2, EPOCH, 5, 4);
            harness.gapFill("EUR USD", 3, EPOCH, 1, 4);
            harness.request(CLIENT, "EURUSD", new byte[2048]);
            harness.request(CLIENT, "EURUSD", ResponderHarness.batch(1, 1));
            harness.request(CLIENT, "EURUSD", new byte[3]);
            harness.request(CLIENT, "X".repeat(65), new byte[3]);
            harness.badEnvelope(CLIENT);
            harness.catchUp(CLIENT, "EURUSD", 4, EPOCH, 0, END, 1);
            harness.catchUp(CLIENT, "EURUSD", 5, EPOCH, 1, END, -1);
            harness.catchUp(CLIENT, "EURUSD", 6, EPOCH, 1, END, CatchUpStreams.MAX_CREDIT + 1);
            harness.credit(CLIENT, "EURUSD", 7, -1, false);

            assertThat(harness.take()).extracting(ResponderHarness.Reply::status).containsExactly(
                RecoveryStatus.MALFORMED, RecoveryStatus.MALFORMED, RecoveryStatus.MALFORMED,
                RecoveryStatus.TOO_LARGE, RecoveryStatus.UNKNOWN_REQUEST, RecoveryStatus.MALFORMED,
                RecoveryStatus.MALFORMED, RecoveryStatus.MALFORMED, RecoveryStatus.MALFORMED,
                RecoveryStatus.MALFORMED, RecoveryStatus.MALFORMED, RecoveryStatus.MALFORMED);
            assertThat(harness.counters.get(RecoveryCounters.MALFORMED)).isEqualTo(10);
            assertThat(harness.counters.get(RecoveryCounters.TOO_LARGE)).isEqualTo(1);
            assertThat(harness.counters.get(RecoveryCounters.UNKNOWN_REQUEST)).isEqualTo(1);
            assertThat(harness.responder.streams()).isZero();
        }
    }

    @Nested
    class Streams
    {
        private final ResponderHarness harness = new ResponderHarness(RecoveryConfiguration.DEFAULT_WINDOW_BYTES, 6);

        private void publishTen()
        {
            for (int i = 0; i < 10; i++)
            {
                harness.publish("EURUSD", 1 + 3L * i, 3);
                harness.publish("USDJPY", 1 + 3L * i, 3);
            }
        }

        @Test
        void shouldSendAsManyPagesAsTheClientHasCreditFor()
        {
            publishTen();
            harness.catchUp(CLIENT, "EURUSD", 5, EPOCH, 1, END, 2);
            harness.pollAll();

            List<ResponderHarness.Reply> pages = harness.take();
            assertThat(pages).extracting(ResponderHarness.Reply::status).containsExactly(RecoveryStatus.PARTIAL,
                RecoveryStatus.PARTIAL);
            assertThat(pages).extracting(ResponderHarness.Reply::requestId).containsOnly(5L);
            assertThat(pages).extracting(ResponderHarness.Reply::next).containsExactly(7L, 13L);
            assertThat(pages.get(0).frames()).as("one packed frame per page").hasSize(1);
            assertThat(pages.get(0).sequences()).isEqualTo(range(1, 6));
            assertThat(pages.get(1).sequences()).isEqualTo(range(7, 12));

            harness.credit(CLIENT, "EURUSD", 5, 1, false);
            harness.pollAll();

            pages = harness.take();
            assertThat(pages).hasSize(1);
            assertThat(pages.get(0).sequences()).isEqualTo(range(13, 18));
            assertThat(harness.counters.get(RecoveryCounters.CATCH_UP_PAGES)).isEqualTo(3);
            assertThat(harness.counters.get(RecoveryCounters.CATCH_UP_UPDATES)).isEqualTo(18);
        }

        @Test
        void shouldFollowTheTopicAsItIsPublishedAndEndWithItsSession()
        {
            publishTen();
            harness.catchUp(CLIENT, "EURUSD", 1, EPOCH, 1, END, 50);
            harness.pollAll();
            assertThat(harness.take()).flatExtracting(ResponderHarness.Reply::sequences).isEqualTo(range(1, 30));

            harness.pollAll();
            assertThat(harness.take()).as("nothing new, no keep-alive due").isEmpty();
            harness.nowNs += CatchUpStreams.KEEPALIVE_MS * 1_000_000;
            harness.pollAll();
            final List<ResponderHarness.Reply> keepAlive = harness.take();
            assertThat(keepAlive).hasSize(1);
            assertThat(keepAlive.get(0).status()).isEqualTo(RecoveryStatus.PARTIAL);
            assertThat(keepAlive.get(0).frames()).isEmpty();
            assertThat(keepAlive.get(0).next()).isEqualTo(31);

            harness.publish("EURUSD", 31, 2);
            harness.pollAll();
            final List<ResponderHarness.Reply> more = harness.take();
            assertThat(more).flatExtracting(ResponderHarness.Reply::sequences).containsExactly(31L, 32L);
            assertThat(more).extracting(ResponderHarness.Reply::endOfSession).containsOnly(-1L);

            harness.heartbeat("EURUSD", 32, true);
            harness.pollAll();
            final List<ResponderHarness.Reply> last = harness.take();
            assertThat(last).hasSize(1);
            assertThat(last.get(0).status()).isEqualTo(RecoveryStatus.OK);
            assertThat(last.get(0).next()).isZero();
            assertThat(last.get(0).sequences()).isEmpty();
            assertThat(last.get(0).endOfSession()).as("the topic's end, for a client that missed the feed's")
                .isEqualTo(32);
            assertThat(harness.responder.streams()).isZero();
        }

        @Test
        void shouldEndTheLastPageOfATopicThatEndedWithItsEndOfSession()
        {
            publishTen();
            harness.heartbeat("EURUSD", 30, true);
            harness.catchUp(CLIENT, "EURUSD", 3, EPOCH, 1, END, 50);
            harness.pollAll();

            final List<ResponderHarness.Reply> pages = harness.take();
            assertThat(pages).flatExtracting(ResponderHarness.Reply::sequences).isEqualTo(range(1, 30));
            assertThat(pages.get(pages.size() - 1).status()).isEqualTo(RecoveryStatus.OK);
            assertThat(pages).extracting(ResponderHarness.Reply::endOfSession).last().isEqualTo(30L);
            assertThat(pages.subList(0, pages.size() - 1)).extracting(ResponderHarness.Reply::endOfSession)
                .containsOnly(-1L);
        }

        @Test
        void shouldEndABoundedStreamWithThePageThatCoversItsEnd()
        {
            publishTen();
            harness.catchUp(CLIENT, "USDJPY", 2, EPOCH, 5, 14, 10);
            harness.pollAll();

            final List<ResponderHarness.Reply> pages = harness.take();
            assertThat(pages).extracting(ResponderHarness.Reply::status).containsExactly(RecoveryStatus.PARTIAL,
                RecoveryStatus.OK);
            assertThat(pages).flatExtracting(ResponderHarness.Reply::sequences).isEqualTo(range(4, 15));
            assertThat(harness.responder.streams()).isZero();
        }

        @Test
        void shouldSayWhatNeitherTheWindowNorTheJournalHoldsAndGoOnAfterIt()
        {
            final ResponderHarness small = new ResponderHarness(64 * 1024, 1000);
            for (int i = 0; i < 300; i++)
            {
                small.publish("EURUSD", 1 + 10L * i, 10);
            }
            small.catchUp(CLIENT, "EURUSD", 3, EPOCH, 1, END, 64);
            small.pollAll();

            final List<ResponderHarness.Reply> replies = small.take();
            final ResponderHarness.Reply lost = replies.get(0);
            assertThat(lost.status()).isEqualTo(RecoveryStatus.UNAVAILABLE);
            assertThat(lost.from()).isEqualTo(1);
            assertThat(lost.next()).isEqualTo(lost.to() + 1);
            assertThat(replies.subList(1, replies.size())).flatExtracting(ResponderHarness.Reply::sequences)
                .isEqualTo(range(lost.to() + 1, 3000));
            assertThat(small.counters.get(RecoveryCounters.UNAVAILABLE)).isEqualTo(1);
        }

        @Test
        void shouldSendNothingMoreAfterACancel()
        {
            publishTen();
            harness.catchUp(CLIENT, "EURUSD", 5, EPOCH, 1, END, 1);
            harness.pollAll();
            harness.credit(CLIENT, "EURUSD", 5, 0, true);
            harness.pollAll();

            assertThat(harness.take()).hasSize(1);
            assertThat(harness.responder.streams()).isZero();
        }

        @Test
        void shouldSendAPageAgainWhenTheClientsQueueHadNoRoomAndForgetAClientThatIsGone()
        {
            publishTen();
            harness.catchUp(CLIENT, "EURUSD", 5, EPOCH, 1, END, 2);
            harness.sinkResult = ReplySink.FULL;
            harness.pollAll();
            harness.sinkResult = ReplySink.SENT;
            harness.pollAll();
            assertThat(harness.take()).flatExtracting(ResponderHarness.Reply::sequences).isEqualTo(range(1, 12));

            harness.credit(CLIENT, "EURUSD", 5, 1, false);
            harness.sinkResult = ReplySink.GONE;
            harness.pollAll();
            assertThat(harness.responder.streams()).isZero();
            assertThat(harness.counters.get(RecoveryCounters.REPLIES_DROPPED)).isEqualTo(1);
        }

        @Test
        void shouldAnswerBusyBeyondTheMostStreamsAndForgetStreamsNobodyAsksMoreOf()
        {
            publishTen();
            for (int i = 0; i < CatchUpStreams.MAX_STREAMS; i++)
            {
                harness.catchUp(CLIENT, "EURUSD", 100 + i, EPOCH, 1, END, 0);
            }
            harness.catchUp(new Peer(new byte[] {9}, false), "EURUSD", 1, EPOCH, 1, END, 1);

            assertThat(harness.take()).extracting(ResponderHarness.Reply::status)
                .containsExactly(RecoveryStatus.BUSY);
            assertThat(harness.responder.streams()).isEqualTo(CatchUpStreams.MAX_STREAMS);

            harness.nowNs += (CatchUpStreams.IDLE_TIMEOUT_MS + 1) * 1_000_000;
            harness.pollAll();
            assertThat(harness.responder.streams()).isZero();
        }

        @Test
        void shouldRefuseAnEarlierSessionWithoutAJournal()
        {
            publishTen();
            harness.catchUp(CLIENT, "EURUSD", 5, EPOCH - 1, 1, END, 2);

            assertThat(harness.take()).extracting(ResponderHarness.Reply::status)
                .containsExactly(RecoveryStatus.WRONG_EPOCH);
        }
    }
}
