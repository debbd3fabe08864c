package dev.feedhandler.publisher.recovery;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a gap fill reply being built: batches taken in sequence order while they continue the range without
 * a hole and fit the page's limits (at least one batch is always taken). Cold path: each batch is copied into an
 * array of its own, which the socket then owns.
 */
final class ReplyPage
{
    /** {@link #offer} result: taken. */
    static final int TAKEN = 0;
    /** {@link #offer} result: not taken, the page is full. */
    static final int FULL = 1;
    /** {@link #offer} result: not taken, it starts after a hole. */
    static final int HOLE = 2;
    /** {@link #offer} result: not taken, already covered. */
    static final int COVERED = 3;

    private final int maxUpdates;
    private final int maxBytes;
    final List<byte[]> frames = new ArrayList<>();
    final long from;
    long coveredTo;
    long holeAt;
    int updates;
    int bytes;
    boolean full;

    ReplyPage(final long from, final int maxUpdates, final int maxBytes)
    {
        this.from = from;
        this.coveredTo = from - 1;
        this.maxUpdates = maxUpdates;
        this.maxBytes = maxBytes;
    }

    /**
     * Offers the next batch in sequence order.
     *
     * @param buffer holding it.
     * @param offset where it starts.
     * @param length its length.
     * @param first  its first sequence number.
     * @param count  its updates.
     * @return {@link #TAKEN}, {@link #FULL}, {@link #HOLE} ({@link #holeAt} is then its first sequence) or
     * {@link #COVERED}.
     */
    int offer(final DirectBuffer buffer, final int offset, final int length, final long first, final int count)
    {
        final long last = first + count - 1;
        if (last <= coveredTo)
        {
            return COVERED;
        }
        if (first > coveredTo + 1)
        {
            holeAt = first;
            return HOLE;
        }
        if (!frames.isEmpty() && (updates + count > maxUpdates || bytes + length > maxBytes))
        {
            full = true;
            return FULL;
        }
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame, 0, length);
        frames.add(frame);
        coveredTo = last;
        updates += count;
        bytes += length;
        return TAKEN;
    }

    boolean isEmpty()
    {
        return frames.isEmpty();
    }
}
