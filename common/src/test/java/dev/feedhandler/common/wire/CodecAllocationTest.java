package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.AggressorSide;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The hot path of the wire codecs allocates nothing: writing batches with {@link BatchWriter}, validating them with
 * {@link FrameReader} and walking them with {@link UpdateCursor}, measured with the JVM's per-thread allocation
 * counter after a warm-up. No timing is asserted.
 */
class CodecAllocationTest
{
    private static final int UPDATES = 1_000_000;
    private static final int UPDATES_PER_BATCH = 100;
    private static final int WARM_UP_ROUNDS = 5;
    private static final long MAX_ALLOCATED_BYTES = 64 * 1024;
    private static final AggressorSide[] SIDES = {AggressorSide.BUY, AggressorSide.SELL, AggressorSide.UNKNOWN};

    private final UnsafeBuffer buffer = new UnsafeBuffer(
        new byte[WireFormat.BATCH_HEADER_LENGTH + UPDATES_PER_BATCH * WireFormat.MAX_UPDATE_LENGTH]);
    private final BatchWriter writer = new BatchWriter();
    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();

    @Test
    void shouldWriteValidateAndIterateAMillionUpdatesWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).as("per-thread allocation counter").isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);

        for (int i = 0; i < WARM_UP_ROUNDS; i++)
        {
            assertThat(writeAndRead(UPDATES / 5)).isEqualTo(expectedChecksum(UPDATES / 5));
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        final long checksum = writeAndRead(UPDATES);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        System.out.println("allocated " + allocated + " bytes for " + UPDATES + " updates written and read");
        assertThat(checksum).as("every field read back").isEqualTo(expectedChecksum(UPDATES));
        assertThat(allocated).as("bytes allocated for %d updates", UPDATES).isLessThan(MAX_ALLOCATED_BYTES);
    }

    /**
     * Writes the updates in batches, then validates each batch and reads every field back; returns a checksum of
     * what was read. Update {@code n} carries values derived from {@code n}; every third one is a trade.
     */
    private long writeAndRead(final int updates)
    {
        long checksum = 0;
        int failures = 0;
        for (int first = 0; first < updates; first += UPDATES_PER_BATCH)
        {
            final int count = Math.min(UPDATES_PER_BATCH, updates - first);
            writer.wrap(buffer, 0);
            for (int n = first; n < first + count; n++)
            {
                if (n % 3 == 0)
                {
                    writer.appendTrade(n, SIDES[n % SIDES.length], n * 10L, n, n * 7L, n + 1L);
                }
                else
                {
                    writer.appendQuote(n, n * 10L, n, n % 5 == 0 ? WireFormat.NULL_PRICE : n * 11L, n * 2L, n + 1L);
                }
            }
            final int length = writer.finish(42, first + 1, first, false);

            if (reader.read(buffer, 0, length) != FrameKind.BATCH)
            {
                failures++;
                continue;
            }
            checksum += reader.batchHeader().firstSequence();
            cursor.wrap(buffer, reader.updatesOffset(), reader.batchHeader().updateCount());
            int template;
            while ((template = cursor.next()) != UpdateCursor.END)
            {
                if (template == UpdateCursor.QUOTE)
                {
                    final long ask = cursor.quote().askPrice().mantissa();
                    checksum += cursor.quote().instrumentId() + cursor.quote().bidPrice().mantissa() +
                        cursor.quote().bidSize() + (ask == WireFormat.NULL_PRICE ? 0 : ask) + cursor.quote().askSize() +
                        cursor.quote().sourceTimestampNs();
                }
                else
                {
                    checksum += cursor.trade().instrumentId() + cursor.trade().aggressorSide().value() +
                        cursor.trade().price().mantissa() + cursor.trade().size() + cursor.trade().tradeId() +
                        cursor.trade().sourceTimestampNs();
                }
            }
        }
        return failures == 0 ? checksum : -failures;
    }

    private static long expectedChecksum(final int updates)
    {
        long checksum = 0;
        for (int first = 0; first < updates; first += UPDATES_PER_BATCH)
        {
            checksum += first + 1;
        }
        for (long n = 0; n < updates; n++)
        {
            if (n % 3 == 0)
            {
                checksum += n + SIDES[(int)(n % SIDES.length)].value() + n * 10 + n + n * 7 + n + 1;
            }
            else
            {
                checksum += n + n * 10 + n + (n % 5 == 0 ? 0 : n * 11) + n * 2 + n + 1;
            }
        }
        return checksum;
    }
}
