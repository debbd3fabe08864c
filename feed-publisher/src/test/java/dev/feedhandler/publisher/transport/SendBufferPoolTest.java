package dev.feedhandler.publisher.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SendBufferPoolTest
{
    @Test
    void shouldNeverOverwriteAFrameAmongTheLastHwmPlusSlackMessages()
    {
        final long seed = Long.getLong("feed.test.seed", System.nanoTime());
        System.out.println("SendBufferPoolTest seed " + seed);
        final Random random = new Random(seed);
        long pooled = 0;
        long fallbacks = 0;
        for (int trial = 0; trial < 100; trial++)
        {
            final int capacity = 500 + random.nextInt(5000);
            final int hwm = 1 + random.nextInt(30);
            final SendBufferPool pool = new SendBufferPool(capacity, hwm);
            // JeroMQ may still reference the last SNDHWM messages plus what its engine holds: 64 covers that.
            final int referenced = hwm + 2;
            final ArrayDeque<ByteBuffer> live = new ArrayDeque<>();
            final ArrayDeque<byte[]> expected = new ArrayDeque<>();
            for (int m = 0; m < 3000; m++)
            {
                final int length = 1 + random.nextInt(Math.max(1, capacity / (1 + random.nextInt(64))));
                final byte[] data = new byte[length];
                random.nextBytes(data);
                final ByteBuffer frame = pool.copyOf(new UnsafeBuffer(data), 0, length);
                if (frame == null)
                {
                    pool.skip();
                    fallbacks++;
                    live.add(ByteBuffer.wrap(data));
                }
                else
                {
                    pooled++;
                    assertThat(frame.position()).isZero();
                    assertThat(frame.remaining()).isEqualTo(length);
                    live.add(frame);
                }
                expected.add(data);
                while (live.size() > referenced)
                {
                    live.poll();
                    expected.poll();
                }
                final Iterator<ByteBuffer> frames = live.iterator();
                for (final byte[] bytes : expected)
                {
                    final ByteBuffer view = frames.next().duplicate();
                    final byte[] actual = new byte[view.remaining()];
                    view.get(actual);
                    assertThat(Arrays.equals(actual, bytes)).as("trial %d message %d (seed %d)", trial, m, seed)
                        .isTrue();
                }
            }
        }
        assertThat(pooled).isPositive();
        assertThat(fallbacks).isPositive();
    }

    @Test
    void shouldRefuseAFrameLargerThanThePool()
    {
        final SendBufferPool pool = new SendBufferPool(100, 10);
        assertThat(pool.copyOf(new UnsafeBuffer(new byte[101]), 0, 101)).isNull();
        assertThat(pool.copyOf(new UnsafeBuffer(new byte[100]), 0, 100)).isNotNull();
    }
}
