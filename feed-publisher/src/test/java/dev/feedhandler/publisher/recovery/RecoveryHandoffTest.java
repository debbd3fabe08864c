package dev.feedhandler.publisher.recovery;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-off to the recovery service: before it answers a request, the service must know every frame handed over,
 * also when the ring has just wrapped (a read that ends at the wrap point consumes only the padding there and says
 * it read nothing, though frames follow at the start of the ring: issue 12's "unrecoverable" updates that the
 * service's window held all along).
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
}
