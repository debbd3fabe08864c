package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.journal.JournalConfiguration;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.journal.Origin;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.feedhandler.publisher.recovery.ResponderHarness.CLIENT;
import static dev.feedhandler.publisher.recovery.ResponderHarness.EPOCH;
import static dev.feedhandler.publisher.recovery.ResponderHarness.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst the hand-off to the recovery service could not take (its ring full: {@link RecoveryHandoff#notWindowed()})
 * leaves the window short of a topic's newest updates, which only the journal holds. A catch-up stream or a gap fill
 * reads on in the journal past the last sequence the window knows of, and when the publisher ends its session the
 * stream ends where the journal does, with an end of session that says so.
 */
@Timeout(60)
class MissedFramesFromJournalTest
{
    private static final long END = WireFormat.SEQUENCE_TO_END;
    private static final byte[] EURUSD = ResponderHarness.ascii("EURUSD");

    @TempDir
    Path dir;

    private JournalRecorder journal;
    private ResponderHarness harness;

    @BeforeEach
    void setUp()
    {
        final Path path = dir.resolve("journal");
        journal = JournalRecorder.open(JournalConfiguration.defaults(path), Origin.SENT, "missed").start();
        // The service opens the journal before the session writes to it, as the publisher's does.
        harness = new ResponderHarness(RecoveryConfiguration.DEFAULT_WINDOW_BYTES, 1000, path);
    }

    /** Sequences 1-100 in batches of 10 and the topic's end, all journaled; the window got the first five only. */
    private void publishWithTheLastHalfMissed()
    {
        journal(1, 100);
        journalEnd(100);
        window(1, 50);
    }

    private void journal(final long from, final long to)
    {
        for (long first = from; first <= to; first += 10)
        {
            final byte[] batch = ResponderHarness.batch(first, 10);
            journal.record(EURUSD, EURUSD.length, new UnsafeBuffer(batch), 0, batch.length, System.nanoTime());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> journal.written() == journal.offered());
    }

    private void journalEnd(final long last)
    {
        final UnsafeBuffer end = new UnsafeBuffer(new byte[64]);
        final int endLength = new ControlWriter().heartbeat(end, 0, EPOCH, last, 0, true);
        journal.record(EURUSD, EURUSD.length, end, 0, endLength, System.nanoTime());
        await().atMost(Duration.ofSeconds(20)).until(() -> journal.written() == journal.offered());
    }

    private void window(final long from, final long to)
    {
        for (long first = from; first <= to; first += 10)
        {
            harness.publish("EURUSD", first, 10);
        }
    }

    @AfterEach
    void tearDown()
    {
        journal.close();
    }

    @Test
    void shouldNotReadPastTheWindowWhileTheHandoffMissedNothing()
    {
        publishWithTheLastHalfMissed();
        harness.gapFill("EURUSD", 1, EPOCH, 41, 100);

        final ResponderHarness.Reply reply = harness.take().get(0);
        assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
        assertThat(reply.to()).as("the topic's last sequence as the service knows it").isEqualTo(50);
        assertThat(reply.sequences()).isEqualTo(range(41, 50));
    }

    @Test
    void shouldFillAGapPastTheWindowFromTheJournalOnceFramesWereMissed()
    {
        publishWithTheLastHalfMissed();
        harness.store.missedFrames(() -> 6);
        harness.gapFill("EURUSD", 1, EPOCH, 41, 100);

        final ResponderHarness.Reply reply = harness.take().get(0);
        assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
        assertThat(reply.to()).isEqualTo(100);
        assertThat(reply.sequences()).as("the window's 41-50, then the journal's 51-100").isEqualTo(range(41, 100));
    }

    @Test
    void shouldStreamPastTheWindowAndEndWhereTheJournalEndsOnceTheSessionEnded()
    {
        publishWithTheLastHalfMissed();
        harness.store.missedFrames(() -> 6);
        harness.catchUp(CLIENT, "EURUSD", 1, EPOCH, 21, END, 64);
        harness.pollAll();

        final List<ResponderHarness.Reply> live = harness.take();
        assertThat(live).flatExtracting(ResponderHarness.Reply::sequences).isEqualTo(range(21, 100));
        assertThat(live).extracting(ResponderHarness.Reply::status).as("the session goes on: no end yet")
            .doesNotContain(RecoveryStatus.OK, RecoveryStatus.UNAVAILABLE);
        assertThat(harness.responder.streams()).isEqualTo(1);

        harness.store.endSession();
        harness.nowNs += 1_000_000_000L;
        harness.pollAll();

        final List<ResponderHarness.Reply> last = harness.take();
        assertThat(last).isNotEmpty();
        assertThat(last.get(last.size() - 1).status()).isEqualTo(RecoveryStatus.OK);
        assertThat(last).flatExtracting(ResponderHarness.Reply::sequences).as("nothing twice").isEmpty();
        assertThat(last.get(last.size() - 1).endOfSession()).as("the topic's end, where the journal ends")
            .isEqualTo(100);
        assertThat(harness.responder.streams()).isZero();
    }

    @Test
    void shouldStreamAnEndedSessionToTheJournalsEndInOneGo()
    {
        publishWithTheLastHalfMissed();
        harness.store.missedFrames(() -> 6);
        harness.store.endSession();
        harness.catchUp(CLIENT, "EURUSD", 1, EPOCH, 1, END, 64);
        harness.pollAll();

        final List<ResponderHarness.Reply> pages = harness.take();
        assertThat(pages).flatExtracting(ResponderHarness.Reply::sequences).isEqualTo(range(1, 100));
        assertThat(pages).as("the window's part and the journal's in one page").hasSize(1);
        assertThat(pages.get(pages.size() - 1).status()).isEqualTo(RecoveryStatus.OK);
        assertThat(pages.get(pages.size() - 1).endOfSession()).isEqualTo(100);
        assertThat(harness.responder.streams()).isZero();
    }

    @Test
    void shouldNotNameATopicsEndShortOfTheJournalWhenAskedForItsLastUpdateAfterTheSession()
    {
        // A subscriber that got up to 60 on the feed and lost the rest with the feed's end asks for its last update
        // again to hear the end: the answer must not say the topic ended before 100.
        publishWithTheLastHalfMissed();
        harness.store.missedFrames(() -> 6);
        harness.store.endSession();
        harness.gapFill("EURUSD", 1, EPOCH, 60, 60);

        final ResponderHarness.Reply reply = harness.take().get(0);
        assertThat(reply.sequences()).isEqualTo(range(51, 60));
        assertThat(reply.endOfSession()).as("no end at 60: the topic went on to 100").isEqualTo(-1);

        harness.snapshot("EURUSD", 2);
        assertThat(harness.take()).isNotEmpty();
        assertThat(harness.store.existingSlot(EURUSD).lastSequence).as("the snapshot's last sequence").isEqualTo(100);
    }

    @Test
    void shouldReadOnlyWhatWasJournaledAfterTheHandoffLastHadMissedNothing()
    {
        journal(1, 50);
        window(1, 50);
        final long[] missed = {0};
        harness.store.missedFrames(() -> missed[0]);
        harness.store.noteJournalClean(System.nanoTime());

        journal(51, 100);
        journalEnd(100);
        window(51, 60);
        missed[0] = 4;
        harness.store.noteJournalClean(System.nanoTime() + RecoveryStore.CLEAN_CHECK_NS);
        harness.store.endSession();

        assertThat(harness.store.tailsFromJournal()).as("the five batches and the end after the clean index")
            .isEqualTo(6);
        assertThat(harness.store.existingSlot(EURUSD).lastSequence).isEqualTo(100);
        assertThat(harness.store.existingSlot(EURUSD).ended).isTrue();
    }

    @Test
    void shouldLearnOfATopicWhoseEveryFrameTheHandoffMissed()
    {
        publishWithTheLastHalfMissed();
        final byte[] gbpusd = ResponderHarness.ascii("GBPUSD");
        final byte[] batch = ResponderHarness.batch(1, 10);
        journal.record(gbpusd, gbpusd.length, new UnsafeBuffer(batch), 0, batch.length, System.nanoTime());
        await().atMost(Duration.ofSeconds(20)).until(() -> journal.written() == journal.offered());
        harness.store.missedFrames(() -> 7);
        harness.store.endSession();

        assertThat(harness.store.existingSlot(gbpusd)).isNotNull();
        assertThat(harness.store.existingSlot(gbpusd).lastSequence).isEqualTo(10);
        harness.gapFill("GBPUSD", 1, EPOCH, 1, 10);
        final ResponderHarness.Reply reply = harness.take().get(0);
        assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
        assertThat(reply.sequences()).isEqualTo(range(1, 10));
        assertThat(reply.endOfSession()).isEqualTo(10);
    }
}
