package dev.feedhandler.perf.jmh;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.UpdateCursor;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Encoding and decoding per update: a batch of 256 updates (one in eight a trade) written with {@link BatchWriter},
 * then validated with {@link FrameReader} and walked with {@link UpdateCursor}. Scores are per update.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark
{
    private static final int UPDATES = 256;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final BatchWriter writer = new BatchWriter();
    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();
    private int length;
    private long sequence = 1;

    /**
     * Encodes one batch to decode.
     */
    @Setup
    public void setUp()
    {
        length = encodeBatch();
    }

    /**
     * Encodes a batch of 256 updates.
     *
     * @return its length.
     */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public int encodeBatch()
    {
        writer.wrap(buffer, 0);
        for (int i = 0; i < UPDATES; i++)
        {
            if ((i & 7) == 0)
            {
                writer.appendTrade(3, AggressorSide.BUY, 1_085_010_000L, 1_000_000, sequence + i, 1L);
            }
            else
            {
                writer.appendQuote(3, 1_085_000_000L + i, 1_000_000, 1_085_020_000L + i, 2_000_000, 1L);
            }
        }
        final int encoded = writer.finish(7, sequence, 2L, false);
        sequence += UPDATES;
        return encoded;
    }

    /**
     * Validates and decodes a batch of 256 updates, reading every field of each.
     *
     * @return a checksum.
     */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public long decodeBatch()
    {
        reader.read(buffer, 0, length);
        cursor.wrap(buffer, reader.updatesOffset(), reader.batchHeader().updateCount());
        long sum = 0;
        int type;
        while ((type = cursor.next()) != UpdateCursor.END)
        {
            if (type == UpdateCursor.QUOTE)
            {
                sum += cursor.quote().bidPrice().mantissa() + cursor.quote().askPrice().mantissa() +
                    cursor.quote().bidSize() + cursor.quote().askSize() + cursor.quote().sourceTimestampNs();
            }
            else
            {
                sum += cursor.trade().price().mantissa() + cursor.trade().size() + cursor.trade().tradeId();
            }
        }
        return sum;
    }
}
