package dev.feedhandler.publisher.batch;

import com.sun.management.ThreadMXBean;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's per-update path (source, batcher, encoding) allocates nothing in steady state. The socket's
 * own per-frame copy is outside this path and measured in the benchmarks.
 */
class PublisherAllocationTest
{
    @Test
    void shouldNotAllocatePerUpdateInSteadyState()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(50, Long.MAX_VALUE, 3, 0.2, 0,
            Duration.ofSeconds(1), 0), registry, WallClock.shared());
        final long[] bytes = new long[1];
        final Publication sink = (final byte[] topic, final DirectBuffer payload, final int offset,
            final int length) ->
        {
            bytes[0] += length;
            return Publication.SENT;
        };
        final SmartBatcher batcher = new SmartBatcher(new BatchConfiguration(64, 8192, 100_000), registry, sink,
            WallClock.shared(), 1);

        run(source, batcher, 2_000_000);
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        final int updates = 2_000_000;
        run(source, batcher, updates);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        System.out.printf("allocated for %d updates: %d bytes%n", updates, allocated);
        assertThat(bytes[0]).isPositive();
        assertThat(allocated).as("bytes allocated for %d updates", updates).isLessThan(64 * 1024);
    }

    private static void run(final SyntheticSource source, final SmartBatcher batcher, final int updates)
    {
        int done = 0;
        long now = System.nanoTime();
        while (done < updates)
        {
            now += 1_000;
            batcher.nowNs(now);
            done += source.poll(batcher, 256, now);
            batcher.flushDue(now, (done & 4095) == 0);
        }
        batcher.flushAll();
    }
}
