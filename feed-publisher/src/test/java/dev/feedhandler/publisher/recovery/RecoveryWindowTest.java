package dev.feedhandler.publisher.recovery;

import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class RecoveryWindowTest
{
    private static final int COUNT = 3;
    private static final int PAYLOAD = 112;

    private final RecoveryWindow window = new RecoveryWindow(16 * 1024);
    private final TopicSlot eur = new TopicSlot(0, "EURUSD".getBytes(StandardCharsets.US_ASCII));
    private final TopicSlot gbp = new TopicSlot(1, "GBPUSD".getBytes(StandardCharsets.US_ASCII));
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
    private final LongArrayList out = new LongArrayList();

    /** Appends batches of 3 updates to both topics, interleaved; returns each topic's next sequence. */
    private long[] append(final int batchesPerTopic, final long[] next)
    {
        for (int i = 0; i < batchesPerTopic; i++)
        {
            for (int t = 0; t < 2; t++)
            {
                payload.putLong(0, next[t]);
                window.append(t == 0 ? eur : gbp, payload, 0, PAYLOAD, next[t], COUNT);
                next[t] += COUNT;
            }
        }
        return next;
    }

    private List<Long> firstSequences(final TopicSlot slot, final long from, final long to, final int maxUpdates)
    {
        return firstSequences(slot, from, to, maxUpdates, Integer.MAX_VALUE);
    }

    private List<Long> firstSequences(final TopicSlot slot, final long from, final long to, final int maxUpdates,
        final int maxBytes)
    {
        window.collect(slot, from, to, maxUpdates, maxBytes, out);
        final List<Long> firsts = new ArrayList<>();
        for (int i = 0; i < out.size(); i++)
        {
            final long position = out.getLong(i);
            assertThat(window.intact(position)).isTrue();
            // The record's own bytes: the payload written for that batch.
            assertThat(window.buffer().getLong(window.payloadOffset(position)))
                .isEqualTo(window.firstSequence(position));
            firsts.add(window.firstSequence(position));
        }
        return firsts;
    }

    @Test
    void shouldFindTheRecordsThatCarryARangeOldestFirst()
    {
        append(10, new long[] {1, 1});

        assertThat(firstSequences(eur, 1, 3, 100)).containsExactly(1L);
        assertThat(firstSequences(eur, 2, 8, 100)).containsExactly(1L, 4L, 7L);
        assertThat(firstSequences(gbp, 9, 9, 100)).containsExactly(7L);
        assertThat(firstSequences(eur, 28, 1_000, 100)).containsExactly(28L);
        assertThat(firstSequences(eur, 31, 40, 100)).isEmpty();
        assertThat(firstSequences(eur, 1, 30, 10)).as("a page of 10 updates: up to the record past them")
            .containsExactly(1L, 4L, 7L, 10L);
        assertThat(firstSequences(eur, 1, 30, 9)).containsExactly(1L, 4L, 7L, 10L);
        assertThat(firstSequences(eur, 1, 30, 100, 2 * PAYLOAD)).as("two records' bytes, and the one past them")
            .containsExactly(1L, 4L, 7L);
        assertThat(firstSequences(new TopicSlot(2, new byte[] {'X'}), 1, 10, 100)).isEmpty();
    }

    @Test
    void shouldStartAtTheOldestIntactRecordOnceTheWriterHasGoneRound()
    {
        // 128-byte records in 16 KiB: 128 records fit; 2 x 500 records go round the window several times, and
        // grow the topics' position arrays past their first size.
        final long[] next = append(500, new long[] {1, 1});
        final List<Long> all = firstSequences(eur, 1, next[0], Integer.MAX_VALUE);

        assertThat(all).hasSizeBetween(60, 64);
        assertThat(all.get(all.size() - 1)).isEqualTo(next[0] - COUNT);
        for (int i = 1; i < all.size(); i++)
        {
            assertThat(all.get(i)).isEqualTo(all.get(i - 1) + COUNT);
        }
        assertThat(eur.positionsSize).isLessThanOrEqualTo(64);
        final long oldest = all.get(0);
        assertThat(firstSequences(eur, 1, oldest, 100)).containsExactly(oldest);
        assertThat(firstSequences(gbp, oldest + 4, oldest + 7, 100)).containsExactly(oldest + 3, oldest + 6);
    }
}
