package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.journal.JournalConfiguration;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.journal.Origin;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.journal.JournalingPublication;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's decorator chain (recovery hand-off, journal, drop hook, socket) when the socket refuses frames
 * ({@code --backpressure block}): a frame offered again is handed to the recovery service once, journaled once
 * (when it goes) and counted and judged by the drop hook once.
 */
class RetriedFrameTest
{
    @TempDir
    Path dir;

    private final List<Long> onSocket = new ArrayList<>();
    private final FrameReader reader = new FrameReader();
    private int refuseNext;

    private int socket(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (refuseNext > 0)
        {
            refuseNext--;
            return Publication.BACK_PRESSURED;
        }
        final byte[] copy = new byte[length];
        payload.getBytes(offset, copy);
        assertThat(reader.read(new UnsafeBuffer(copy), 0, length)).isEqualTo(FrameKind.BATCH);
        onSocket.add(reader.batchHeader().firstSequence());
        return Publication.SENT;
    }

    @Test
    void shouldHandEachFrameOnOnceHoweverOftenTheSocketRefusesIt()
    {
        final RecoveryHandoff handoff = new RecoveryHandoff(64 * 1024);
        final JournalRecorder journal = JournalRecorder.open(JournalConfiguration.defaults(dir.resolve("journal")),
            Origin.SENT, "journal-test");
        try
        {
            final DroppingPublication dropping = new DroppingPublication(this::socket, DropSpec.parse("every:2"));
            final Publication chain = new RecoveryPublication(
                new JournalingPublication(dropping, journal, WallClock.shared()), handoff);
            final InstrumentRegistry registry = new InstrumentRegistry();
            registry.register("EURUSD");
            final SmartBatcher batcher = new SmartBatcher(new BatchConfiguration(256, 16384, 0, 0), registry, chain,
                WallClock.shared(), 7);

            refuseNext = 2;
            publishOne(batcher);
            assertThat(batcher.retryBackPressured()).isZero();
            assertThat(batcher.retryBackPressured()).isEqualTo(1);
            publishOne(batcher);
            refuseNext = 1;
            publishOne(batcher);
            assertThat(batcher.retryBackPressured()).isEqualTo(1);

            final List<Integer> windowed = new ArrayList<>();
            handoff.readAll((type, buffer, index, length) -> windowed.add(length));
            assertThat(windowed).as("frames handed to the recovery service").hasSize(3);
            assertThat(journal.offered()).as("frames journaled").isEqualTo(3);
            assertThat(dropping.dropped()).isEqualTo(1);
            assertThat(onSocket).as("the second batch is the one dropped").containsExactly(1L, 3L);
        }
        finally
        {
            journal.close();
        }
    }

    private static void publishOne(final SmartBatcher batcher)
    {
        batcher.onQuote(0, 1, 2, 3, 4, 5);
        batcher.flushDue(0, true);
    }
}
