package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmartBatcherTest
{
    private final InstrumentRegistry registry = new InstrumentRegistry();
    private final RecordingPublication publication = new RecordingPublication();

    private SmartBatcher batcher(final int maxUpdates, final int maxBytes, final long lingerNs)
    {
        registry.register("EURUSD");
        registry.register("GBPUSD");
        return new SmartBatcher(new BatchConfiguration(maxUpdates, maxBytes, lingerNs), registry, publication,
            WallClock.shared(), 99);
    }

    private static void quote(final SmartBatcher batcher, final int id)
    {
        batcher.onQuote(id, 1, 2, 3, 4, 5);
    }

    @Test
    void shouldHoldUpdatesUntilTheSourceHasNothingMoreReady()
    {
        final SmartBatcher batcher = batcher(100, 16384, 0);
        quote(batcher, 0);
        quote(batcher, 1);
        quote(batcher, 0);
        assertThat(publication.sent).isEmpty();

        assertThat(batcher.flushAll()).isEqualTo(2);
        assertThat(publication.batches()).extracting(RecordingPublication.Sent::topic)
            .containsExactlyInAnyOrder("EURUSD", "GBPUSD");
        assertThat(publication.batches()).filteredOn(s -> s.topic().equals("EURUSD"))
            .singleElement().extracting(RecordingPublication.Sent::updates).isEqualTo(2);
        assertThat(batcher.flushAll()).isZero();
    }

    @Test
    void shouldSendABatchAsSoonAsItHoldsTheMaximumUpdates()
    {
        final SmartBatcher batcher = batcher(3, 16384, 0);
        for (int i = 0; i < 7; i++)
        {
            quote(batcher, 0);
        }
        assertThat(publication.batches()).extracting(RecordingPublication.Sent::firstSequence,
            RecordingPublication.Sent::updates).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, 3), org.assertj.core.groups.Tuple.tuple(4L, 3));
        batcher.flushAll();
        assertThat(publication.batches()).last().extracting(RecordingPublication.Sent::firstSequence,
            RecordingPublication.Sent::updates).isEqualTo(java.util.List.of(7L, 1));
        assertThat(batcher.fullBatches()).isEqualTo(2);
    }

    @Test
    void shouldNeverExceedTheMaximumBytes()
    {
        final int maxBytes = WireFormat.BATCH_HEADER_LENGTH + 3 * WireFormat.QUOTE_LENGTH + 10;
        final SmartBatcher batcher = batcher(1000, maxBytes, 0);
        for (int i = 0; i < 20; i++)
        {
            if (i % 2 == 0)
            {
                quote(batcher, 0);
            }
            else
            {
                batcher.onTrade(0, AggressorSide.SELL, 7, 8, i, 9);
            }
        }
        batcher.flushAll();
        assertThat(publication.batches()).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(maxBytes));
        assertThat(publication.batches().stream().mapToInt(RecordingPublication.Sent::updates).sum()).isEqualTo(20);
    }

    @Test
    void shouldSendABatchWhoseFirstUpdateWaitedLongerThanTheLinger()
    {
        final SmartBatcher batcher = batcher(100, 16384, 1_000);
        batcher.nowNs(10_000);
        quote(batcher, 0);
        batcher.nowNs(10_500);
        quote(batcher, 1);
        assertThat(batcher.flushDue(10_900, false)).isZero();
        assertThat(batcher.flushDue(11_000, false)).isEqualTo(1);
        assertThat(publication.batches()).extracting(RecordingPublication.Sent::topic).containsExactly("EURUSD");
        assertThat(batcher.flushDue(11_500, false)).isEqualTo(1);
        assertThat(batcher.lingerFlushes()).isEqualTo(2);
    }

    @Test
    void shouldNumberEachTopicsUpdatesFromOneWithoutHoles()
    {
        final SmartBatcher batcher = batcher(4, 16384, 0);
        for (int i = 0; i < 50; i++)
        {
            quote(batcher, i % 3 == 0 ? 1 : 0);
            if (i % 7 == 0)
            {
                batcher.flushAll();
            }
        }
        batcher.flushAll();
        for (final String topic : new String[] {"EURUSD", "GBPUSD"})
        {
            long next = 1;
            for (final RecordingPublication.Sent s : publication.batches())
            {
                if (s.topic().equals(topic))
                {
                    assertThat(s.firstSequence()).isEqualTo(next);
                    next += s.updates();
                }
            }
        }
        assertThat(batcher.publishedUpdates()).isEqualTo(50);
    }

    @Test
    void shouldHeartbeatIdleTopicsWithTheirLastSequenceAndEndTheSession()
    {
        final SmartBatcher batcher = batcher(100, 16384, 0);
        batcher.nowNs(0);
        quote(batcher, 0);
        quote(batcher, 0);
        batcher.flushAll();
        assertThat(batcher.sendHeartbeats(500, 1_000)).isZero();
        assertThat(batcher.sendHeartbeats(1_000, 1_000)).isEqualTo(2);
        assertThat(publication.sent).filteredOn(s -> s.kind() == FrameKind.HEARTBEAT)
            .extracting(RecordingPublication.Sent::topic, RecordingPublication.Sent::lastSequence)
            .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("EURUSD", 2L),
                org.assertj.core.groups.Tuple.tuple("GBPUSD", 0L));

        quote(batcher, 1);
        batcher.endSession();
        assertThat(publication.sent.subList(publication.sent.size() - 3, publication.sent.size()))
            .extracting(RecordingPublication.Sent::kind, RecordingPublication.Sent::topic,
                RecordingPublication.Sent::lastSequence, RecordingPublication.Sent::end)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(FrameKind.BATCH, "GBPUSD", 0L, false),
                org.assertj.core.groups.Tuple.tuple(FrameKind.HEARTBEAT, "EURUSD", 2L, true),
                org.assertj.core.groups.Tuple.tuple(FrameKind.HEARTBEAT, "GBPUSD", 1L, true));
    }

    @Test
    void shouldKeepFramesInOrderBehindBackPressureAndOfferEachUntilItGoes()
    {
        final SmartBatcher batcher = batcher(100, 16384, 0);
        batcher.nowNs(0);
        quote(batcher, 0);
        quote(batcher, 1);
        publication.refuse(1);
        assertThat(batcher.flushDue(0, true)).isEqualTo(2);
        batcher.sendSessionStatus(dev.feedhandler.common.codec.SessionState.ACTIVE);

        assertThat(batcher.isBackPressured()).isTrue();
        assertThat(publication.sent).isEmpty();
        assertThat(publication.offers).as("frames behind a refused one are not offered before it").isEqualTo(1);

        publication.refuse(1);
        assertThat(batcher.retryBackPressured()).isZero();
        assertThat(batcher.isBackPressured()).isTrue();
        assertThat(batcher.retryBackPressured()).isEqualTo(3);
        assertThat(batcher.isBackPressured()).isFalse();

        quote(batcher, 0);
        batcher.flushDue(0, true);
        assertThat(publication.sent).extracting(RecordingPublication.Sent::kind, RecordingPublication.Sent::topic,
            RecordingPublication.Sent::firstSequence).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FrameKind.BATCH, "EURUSD", 1L),
                org.assertj.core.groups.Tuple.tuple(FrameKind.BATCH, "GBPUSD", 1L),
                org.assertj.core.groups.Tuple.tuple(FrameKind.SESSION_STATUS, WireFormat.CONTROL_TOPIC, 0L),
                org.assertj.core.groups.Tuple.tuple(FrameKind.BATCH, "EURUSD", 2L));
        assertThat(batcher.sendQueue().backPressured()).isEqualTo(2);
        assertThat(batcher.sendQueue().maxWaitingFrames()).isEqualTo(3);
        assertThat(batcher.unsentFrames()).isZero();
    }

    @Test
    void shouldCountTheFramesItGivesUpOnAtTheEnd()
    {
        final SmartBatcher batcher = batcher(100, 16384, 0);
        quote(batcher, 0);
        publication.refuse(Integer.MAX_VALUE);
        batcher.endSession();
        batcher.retryBackPressured();

        assertThat(batcher.discardBackPressured()).as("a batch and two final heartbeats").isEqualTo(3);
        assertThat(batcher.isBackPressured()).isFalse();
        assertThat(batcher.unsentFrames()).isEqualTo(3);
        assertThat(publication.sent).isEmpty();
    }

    @Test
    void shouldCountWhatIsMadeAfterThePublicationClosed()
    {
        final SmartBatcher batcher = batcher(100, 16384, 0);
        publication.close();
        quote(batcher, 0);
        batcher.flushDue(0, true);
        batcher.sendHeartbeats(Long.MAX_VALUE, 1);

        assertThat(batcher.isClosed()).isTrue();
        assertThat(batcher.isBackPressured()).isFalse();
        assertThat(batcher.unsentFrames()).isEqualTo(3);
        assertThat(publication.offers).isEqualTo(1);
    }
}
