package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-off to the recovery service: before it answers a request, the service must know every frame handed over,
 * also when the ring has just wrapped (a read that ends at the wrap point consumes only the padding there and says
 * it read nothing, though frames follow at the start of the ring: issue 12's "unrecoverable" updates that the
 * service's window held all along). The session's end waits for room in a full ring, for a bounded time; data never
 * does.
 */
class RecoveryHandoffTest
{
    private static final byte[] TOPIC = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final int RING_BYTES = 64 * 1024;

    @Test
    void shouldReadEveryFrameHandedOverAlsoRightAfterTheRingWrapped()
    {
        final RecoveryHandoff handoff = new RecoveryHandoff(RING_BYTES);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1000]);
        final List<Integer> read = new ArrayList<>();
        int offered = 0;
        for (int round = 0; round < 400; round++)
        {
            // Frames of a size that does not divide the ring: the wrap point moves from round to round, and in the
            // rounds of one frame the ring wraps right where the previous read stopped.
            final int frames = round % 2 == 0 ? 1 : 1 + round % 7;
            for (int i = 0; i < frames; i++)
            {
                payload.putInt(0, offered++);
                handoff.offer(TOPIC, payload, 0, 500 + round % 13);
            }
            handoff.readAll((type, buffer, index, length) ->
                read.add(buffer.getInt(index + RecoveryHandoff.TOPIC_OFFSET + TOPIC.length)));
            assertThat(read).as("round %d", round).hasSize(offered);
        }
        assertThat(handoff.notWindowed()).isZero();
        for (int i = 0; i < offered; i++)
        {
            assertThat(read.get(i)).isEqualTo(i);
        }
    }

    @Test
    @Timeout(30)
    void shouldWaitForRoomForTheSessionsEndButNeverForData() throws Exception
    {
        final RecoveryHandoff handoff = new RecoveryHandoff(RING_BYTES);
        fill(handoff);
        final long missed = handoff.notWindowed();
        handoff.offer(TOPIC, new UnsafeBuffer(new byte[500]), 0, 500);
        assertThat(handoff.notWindowed()).as("a data frame does not wait").isEqualTo(missed + 1);

        final List<Long> ends = new ArrayList<>();
        final CountDownLatch offering = new CountDownLatch(1);
        final AtomicBoolean returned = new AtomicBoolean();
        final Thread service = new Thread(() ->
        {
            awaitQuietly(offering);
            // Drains only once the end is being offered (as a service that is behind).
            LockSupport.parkNanos(20_000_000L);
            // Until the end is read, or the offer has returned and what it left in the ring is read.
            boolean last = false;
            while (ends.isEmpty() && !last)
            {
                last = returned.get();
                handoff.readAll((type, buffer, index, length) ->
                {
                    final int payload = index + RecoveryHandoff.TOPIC_OFFSET + TOPIC.length;
                    if (WireFormat.isEndOfSession(buffer, payload, length - RecoveryHandoff.TOPIC_OFFSET -
                        TOPIC.length))
                    {
                        ends.add(buffer.getLong(payload + WireFormat.HEADER_LENGTH +
                            HeartbeatDecoder.lastSequenceEncodingOffset(), ByteOrder.LITTLE_ENDIAN));
                    }
                });
            }
        });
        service.start();
        offering.countDown();
        handoff.offer(TOPIC, end(12_345), 0, WireFormat.HEARTBEAT_LENGTH);
        returned.set(true);
        service.join();

        assertThat(ends).containsExactly(12_345L);
        assertThat(handoff.notWindowed()).as("the end waited for room").isEqualTo(missed + 1);
        assertThat(handoff.endsWaited()).isEqualTo(1);
    }

    @Test
    void shouldWaitForTheSessionsEndOnlySoLongInAllThenHandItOverBesideTheRingInOrder()
    {
        final RecoveryHandoff handoff = new RecoveryHandoff(RING_BYTES, 20_000_000L);
        final int inRing = fill(handoff);
        final long missed = handoff.notWindowed();

        handoff.offer(TOPIC, end(7), 0, WireFormat.HEARTBEAT_LENGTH);
        handoff.offer(TOPIC, end(8), 0, WireFormat.HEARTBEAT_LENGTH);

        assertThat(handoff.notWindowed()).as("nobody read: neither end missed, the second without a wait of its own")
            .isEqualTo(missed);
        assertThat(handoff.endsWaited()).isZero();
        assertThat(handoff.endsLate()).isEqualTo(2);
        assertThat(handoff.isEmpty()).isFalse();

        final List<Long> read = new ArrayList<>();
        final int count = handoff.readLateEnds((type, buffer, index, length) ->
        {
            final int payload = index + RecoveryHandoff.TOPIC_OFFSET + TOPIC.length;
            read.add(WireFormat.isEndOfSession(buffer, payload, length - RecoveryHandoff.TOPIC_OFFSET - TOPIC.length) ?
                buffer.getLong(payload + WireFormat.HEADER_LENGTH + HeartbeatDecoder.lastSequenceEncodingOffset(),
                ByteOrder.LITTLE_ENDIAN) : 0L);
        });
        assertThat(count).isEqualTo(inRing + 2);
        assertThat(read).as("the ring's frames first, then the ends in the order offered").hasSize(inRing + 2)
            .endsWith(7L, 8L);
        assertThat(read.subList(0, inRing)).containsOnly(0L);
        assertThat(handoff.isEmpty()).isTrue();
        assertThat(handoff.readLateEnds((type, buffer, index, length) -> read.add(-1L))).isZero();
    }

    /** Fills the ring until a frame finds no room: returns how many went in. */
    private static int fill(final RecoveryHandoff handoff)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[500]);
        int offered = 0;
        while (handoff.notWindowed() == 0)
        {
            handoff.offer(TOPIC, payload, 0, 500);
            offered++;
        }
        return offered - 1;
    }

    private static UnsafeBuffer end(final long lastSequence)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[WireFormat.HEARTBEAT_LENGTH]);
        new ControlWriter().heartbeat(frame, 0, 7, lastSequence, 0, true);
        return frame;
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
