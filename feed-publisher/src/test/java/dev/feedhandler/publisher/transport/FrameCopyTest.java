package dev.feedhandler.publisher.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The copy of each frame handed to JeroMQ holds exactly the frame's bytes, whatever backs the buffer and wherever
 * in its array the buffer starts, and a range outside the buffer is refused rather than read past its end.
 */
class FrameCopyTest
{
    @Test
    void shouldCopyExactlyTheFramesBytesFromAnyBuffer()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] backing = new byte[4096];
        for (int i = 0; i < backing.length; i++)
        {
            backing[i] = (byte)random.nextInt();
        }
        final ByteBuffer direct = ByteBuffer.allocateDirect(backing.length);
        direct.put(backing).clear();
        for (int round = 0; round < 200; round++)
        {
            final int start = random.nextInt(64);
            final int offset = random.nextInt(1024);
            final int length = random.nextInt(2048);
            final UnsafeBuffer heap = new UnsafeBuffer(backing, start, backing.length - start);
            final UnsafeBuffer offHeap = new UnsafeBuffer(direct, start, backing.length - start);
            final byte[] expected = Arrays.copyOfRange(backing, start + offset, start + offset + length);

            assertThat(XPubPublication.copy(heap, offset, length)).as("seed %d, heap", seed).isEqualTo(expected);
            assertThat(XPubPublication.copy(offHeap, offset, length)).as("seed %d, direct", seed).isEqualTo(expected);
        }
    }

    @Test
    void shouldRefuseARangeBeyondTheBuffer()
    {
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[64], 8, 32);

        assertThatThrownBy(() -> XPubPublication.copy(heap, 16, 17)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
