package dev.feedhandler.publisher.recovery;

import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The recent data batches of the session, byte for byte, in one circular byte array: each batch is a record with a
 * small header, and each topic keeps the positions of its records in order ({@link TopicSlot}), so a lookup is a
 * binary search in one topic's records and costs the same however much was published after the range asked for.
 * Positions are virtual (they only grow); a record is intact while the writer is less than a whole capacity past it,
 * and records are never split at the end of the array. Appending allocates only when a topic's position array grows
 * (rarely, then never once the window is full); lookups (requests are rare) may. Recovery thread only.
 * <pre>
 *   record:  0 int32 payload length | 4 int32 updates | 8 int64 first sequence | 16 payload, padded to 8 bytes
 * </pre>
 */
final class RecoveryWindow
{
    private static final int LENGTH_OFFSET = 0;
    private static final int COUNT_OFFSET = 4;
    private static final int FIRST_SEQUENCE_OFFSET = 8;
    private static final int HEADER_LENGTH = 16;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private long writePosition;
    private long appended;
    private long tooLarge;

    /**
     * A window.
     *
     * @param capacityBytes its size, rounded up to a power of two.
     */
    RecoveryWindow(final int capacityBytes)
    {
        int size = Integer.highestOneBit(Math.max(capacityBytes, 4096));
        if (size < capacityBytes)
        {
            size <<= 1;
        }
        this.capacity = size;
        this.mask = size - 1;
        this.buffer = new UnsafeBuffer(new byte[size]);
    }

    /**
     * Appends a batch of a topic.
     *
     * @param slot          the topic.
     * @param payload       holds the batch.
     * @param offset        where it starts.
     * @param length        its length.
     * @param firstSequence its first sequence number.
     * @param count         its updates.
     */
    void append(final TopicSlot slot, final DirectBuffer payload, final int offset, final int length,
        final long firstSequence, final int count)
    {
        final int recordLength = (HEADER_LENGTH + length + 7) & ~7;
        if (recordLength > capacity >> 2)
        {
            tooLarge++;
            return;
        }
        int index = (int)(writePosition & mask);
        if (index + recordLength > capacity)
        {
            writePosition += capacity - index;
            index = 0;
        }
        buffer.putInt(index + LENGTH_OFFSET, length, ORDER);
        buffer.putInt(index + COUNT_OFFSET, count, ORDER);
        buffer.putLong(index + FIRST_SEQUENCE_OFFSET, firstSequence, ORDER);
        buffer.putBytes(index + HEADER_LENGTH, payload, offset, length);
        addPosition(slot, writePosition);
        writePosition += recordLength;
        appended++;
        dropOverwritten(slot);
    }

    private static void addPosition(final TopicSlot slot, final long position)
    {
        long[] positions = slot.positions;
        if (slot.positionsSize == positions.length)
        {
            final long[] grown = new long[positions.length * 2];
            for (int i = 0; i < slot.positionsSize; i++)
            {
                grown[i] = positions[(slot.positionsHead + i) & (positions.length - 1)];
            }
            slot.positions = positions = grown;
            slot.positionsHead = 0;
        }
        positions[(slot.positionsHead + slot.positionsSize) & (positions.length - 1)] = position;
        slot.positionsSize++;
    }

    /**
     * Forgets a topic's oldest records the writer has overwritten.
     */
    private void dropOverwritten(final TopicSlot slot)
    {
        while (slot.positionsSize > 0 && !intact(slot.positions[slot.positionsHead]))
        {
            slot.positionsHead = (slot.positionsHead + 1) & (slot.positions.length - 1);
            slot.positionsSize--;
        }
    }

    private static long positionAt(final TopicSlot slot, final int i)
    {
        return slot.positions[(slot.positionsHead + i) & (slot.positions.length - 1)];
    }

    /**
     * Whether a record's bytes are still there.
     *
     * @param position the record's virtual position.
     * @return true if intact.
     */
    boolean intact(final long position)
    {
        return position >= 0 && position >= writePosition - capacity;
    }

    /**
     * The records of a topic that carry any update from {@code from} to {@code to}, oldest first, as far back as
     * the window reaches (the first one may start after {@code from}: the window does not reach back that far): a
     * page's worth, up to and including the first record that takes the updates past {@code maxUpdates} or the
     * payload bytes past {@code maxBytes} (so a page with those limits fills up from them, and no more is looked at).
     *
     * @param slot       the topic.
     * @param from       first sequence wanted.
     * @param to         last sequence wanted.
     * @param maxUpdates the page's most updates.
     * @param maxBytes   the page's most payload bytes.
     * @param out        cleared, then filled with the records' positions.
     */
    void collect(final TopicSlot slot, final long from, final long to, final int maxUpdates, final int maxBytes,
        final LongArrayList out)
    {
        out.clear();
        dropOverwritten(slot);
        // The first record whose last update is at or after from: sequences grow with the positions.
        int low = 0;
        int high = slot.positionsSize;
        while (low < high)
        {
            final int middle = (low + high) >>> 1;
            final long position = positionAt(slot, middle);
            if (firstSequence(position) + count(position) - 1 < from)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        long updates = 0;
        long bytes = 0;
        for (int i = low; i < slot.positionsSize; i++)
        {
            final long position = positionAt(slot, i);
            if (firstSequence(position) > to)
            {
                break;
            }
            out.addLong(position);
            updates += count(position);
            bytes += length(position);
            if (updates > maxUpdates || bytes > maxBytes)
            {
                break;
            }
        }
    }

    long firstSequence(final long position)
    {
        return buffer.getLong(index(position) + FIRST_SEQUENCE_OFFSET, ORDER);
    }

    int count(final long position)
    {
        return buffer.getInt(index(position) + COUNT_OFFSET, ORDER);
    }

    int length(final long position)
    {
        return buffer.getInt(index(position) + LENGTH_OFFSET, ORDER);
    }

    int payloadOffset(final long position)
    {
        return index(position) + HEADER_LENGTH;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    private int index(final long position)
    {
        return (int)(position & mask);
    }

    /**
     * The window's size.
     *
     * @return bytes.
     */
    int capacity()
    {
        return capacity;
    }

    /**
     * Batches appended so far.
     *
     * @return the count.
     */
    long appended()
    {
        return appended;
    }

    /**
     * Batches too large for the window (over a quarter of it), never kept.
     *
     * @return the count.
     */
    long tooLarge()
    {
        return tooLarge;
    }
}
