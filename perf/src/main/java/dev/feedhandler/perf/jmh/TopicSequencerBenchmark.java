package dev.feedhandler.perf.jmh;

import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.sequence.RecoveryRequests;
import dev.feedhandler.subscriber.sequence.SequencerListener;
import dev.feedhandler.subscriber.sequence.TopicSequencer;
import dev.feedhandler.subscriber.sequence.TopicState;
import dev.feedhandler.subscriber.sequence.Verdict;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The subscriber's per-batch sequence rules ({@link TopicSequencer}): a batch that continues its topic with
 * recovery on (the common case: a few comparisons), and a batch after a gap with the plain rules (reported
 * unrecoverable at once).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TopicSequencerBenchmark
{
    private static final RecoveryRequests NO_REQUESTS = new RecoveryRequests()
    {
        @Override
        public void fillGap(final long task, final TopicState topic, final long epoch, final long from,
            final long to)
        {
        }

        @Override
        public void catchUp(final long task, final TopicState topic, final long epoch, final long from)
        {
        }

        @Override
        public void snapshot(final long task)
        {
        }

        @Override
        public void cancel(final long task)
        {
        }
    };

    private static final SequencerListener NO_LISTENER = new SequencerListener()
    {
        @Override
        public void onTopicEvent(final TopicState topic, final Verdict verdict, final byte[] frame, final int offset,
            final int length)
        {
        }

        @Override
        public void onSnapshot(final TopicState topic, final long sessionEpoch, final long lastSequence,
            final long quoteSequence, final byte[] entry, final int quoteOffset)
        {
        }

        @Override
        public void onSessionEnd(final long sessionEpoch, final long sendTimestampNs)
        {
        }
    };

    private final SubscriberCounters counters = new SubscriberCounters();
    private final TopicSequencer recovering =
        new TopicSequencer(NO_REQUESTS, NO_LISTENER, counters, new SystemNanoClock(), 1 << 20);
    private final TopicSequencer plain = new TopicSequencer(null, NO_LISTENER, counters, new SystemNanoClock(), 0);
    private final TopicState live = state();
    private final TopicState gappy = state();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
    private long next = 1;
    private long gappyNext = 1;

    private static TopicState state()
    {
        return new TopicState(new Topic(0, "EURUSD"), "EURUSD".getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A batch that follows the previous one, with recovery on.
     *
     * @return the verdict's kind.
     */
    @Benchmark
    public int consecutiveBatch()
    {
        final int kind = recovering.onBatch(live, 1, next, 64, frame, 0, 64).kind();
        recovering.afterFrame();
        next += 64;
        return kind;
    }

    /**
     * A batch after a gap of one batch, plain rules.
     *
     * @return the gap's end.
     */
    @Benchmark
    public long batchAfterGap()
    {
        gappyNext += 64;
        final long gapTo = plain.onBatch(gappy, 1, gappyNext, 64, frame, 0, 64).gapTo();
        plain.afterFrame();
        gappyNext += 64;
        return gapTo;
    }
}
