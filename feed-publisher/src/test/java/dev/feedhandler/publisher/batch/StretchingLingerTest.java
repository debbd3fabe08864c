package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --batch-linger-max} on the simulated clock of {@link BatchingPolicyTest}: 200k updates/s over 2,000
 * instruments, three simulated seconds, a duty cycle every 50 us. Messages are counted in the last second.
 */
@Timeout(30)
class StretchingLingerTest
{
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long CYCLE_NS = 50_000;
    private static final long MS = 1_000_000;

    private final RecordingPublication publication = new RecordingPublication();
    private long lastSecondMessages;
    private long maxWaitNs;

    @Test
    void aFixedLingerSendsAboutOneMessagePerUpdate()
    {
        simulate(new BatchConfiguration(1024, 65536, MS, 20_000));
        assertThat(lastSecondMessages).isGreaterThan(100_000);
        assertThat(maxWaitNs).isLessThanOrEqualTo(MS + CYCLE_NS);
    }

    @Test
    void aStretchingLingerKeepsToTheBudgetAndWithinItsMost()
    {
        final SmartBatcher batcher = simulate(new BatchConfiguration(1024, 65536, MS, 20_000, 200 * MS));
        assertThat(lastSecondMessages).isBetween(15_000L, 22_000L);
        assertThat(maxWaitNs).isLessThanOrEqualTo(200 * MS + CYCLE_NS);
        assertThat(batcher.linger().stretchedNanos()).isBetween(32 * MS, 200 * MS);
    }

    @Test
    void aStretchedLingerComesBackWhenTheLoadFalls()
    {
        final SmartBatcher batcher = simulate(new BatchConfiguration(1024, 65536, MS, 20_000, 200 * MS));
        final long stretched = batcher.linger().nanos();
        assertThat(stretched).isGreaterThan(MS);
        // A quiet second: a few updates, far under the budget.
        for (long nowNs = 3 * SECOND_NS + CYCLE_NS; nowNs <= 4 * SECOND_NS; nowNs += CYCLE_NS)
        {
            publication.nowNs = nowNs;
            batcher.nowNs(nowNs);
            if (nowNs % (10 * MS) == 0)
            {
                batcher.onQuote(7, 1, 2, 3, 4, nowNs);
            }
            batcher.flushDue(nowNs, true);
        }
        assertThat(batcher.linger().nanos()).isEqualTo(MS);
    }

    private SmartBatcher simulate(final BatchConfiguration configuration)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final int instruments = 2_000;
        for (int i = 0; i < instruments; i++)
        {
            registry.register("SYM" + i);
        }
        final SmartBatcher batcher = new SmartBatcher(configuration, registry, publication, WallClock.shared(), 1);
        final SplittableRandom random = new SplittableRandom(42);
        final double perNs = 200_000 / (double)SECOND_NS;
        long emitted = 0;
        long messagesBeforeLastSecond = 0;
        for (long nowNs = CYCLE_NS; nowNs <= 3 * SECOND_NS; nowNs += CYCLE_NS)
        {
            if (nowNs == 2 * SECOND_NS)
            {
                messagesBeforeLastSecond = publication.batches().size();
            }
            publication.nowNs = nowNs;
            batcher.nowNs(nowNs);
            final long due = (long)(nowNs * perNs);
            for (; emitted < due; emitted++)
            {
                batcher.onQuote(random.nextInt(instruments), 1, 2, 3, 4, nowNs);
            }
            batcher.flushDue(nowNs, true);
        }
        lastSecondMessages = publication.batches().size() - messagesBeforeLastSecond;
        for (final RecordingPublication.Sent sent : publication.batches())
        {
            maxWaitNs = Math.max(maxWaitNs, sent.sentAtNs() - sent.firstSourceNs());
        }
        return batcher;
    }
}
