package dev.feedhandler.perf.jmh;

import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.receive.SequenceTracker;
import dev.feedhandler.subscriber.receive.TopicState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The subscriber's sequence check per batch: consecutive batches, and batches after a gap.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SequenceTrackerBenchmark
{
    private final SequenceTracker tracker = new SequenceTracker();
    private final TopicState state = new TopicState(new Topic(0, "EURUSD"));
    private long next = 1;

    /**
     * A batch that follows the previous one.
     *
     * @return the verdict.
     */
    @Benchmark
    public int consecutiveBatch()
    {
        final int verdict = tracker.onBatch(state, 1, next, 64);
        next += 64;
        return verdict;
    }

    /**
     * A batch after a gap of one batch.
     *
     * @return the verdict.
     */
    @Benchmark
    public long batchAfterGap()
    {
        next += 64;
        tracker.onBatch(state, 1, next, 64);
        next += 64;
        return tracker.gapTo();
    }
}
