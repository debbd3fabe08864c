package dev.feedhandler.perf.jmh;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The smart batcher per update: sequencing, encoding into the topic's batch, and sending full batches to a
 * publication that only consumes them. Scores are per update.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BatcherBenchmark
{
    private static final int UPDATES = 1024;

    /** Instruments the updates rotate over. */
    @Param({"10", "1000"})
    public int instruments;

    private SmartBatcher batcher;
    private Blackhole sink;
    private int next;

    /**
     * Builds the batcher.
     *
     * @param blackhole consumes the sent frames.
     */
    @Setup
    public void setUp(final Blackhole blackhole)
    {
        sink = blackhole;
        final InstrumentRegistry registry = new InstrumentRegistry();
        for (int i = 0; i < instruments; i++)
        {
            registry.register("SYM" + i);
        }
        final Publication publication = (final byte[] topic, final DirectBuffer payload, final int offset,
            final int length) ->
        {
            sink.consume(length);
            return Publication.SENT;
        };
        batcher = new SmartBatcher(BatchConfiguration.defaults(), registry, publication,
            WallClock.shared(), 1);
    }

    /**
     * Hands 1024 quotes to the batcher.
     */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public void onQuote()
    {
        for (int i = 0; i < UPDATES; i++)
        {
            batcher.onQuote(next, 1_085_000_000L, 1_000_000, 1_085_020_000L, 2_000_000, 1L);
            next = next + 1 == instruments ? 0 : next + 1;
        }
    }
}
