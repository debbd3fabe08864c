package dev.feedhandler.publisher.recovery;

import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The recent data batches of the session, byte for byte, in one circular byte array: each batch is a record with a
 * small header that links it to the previous batch of its topic, so a lookup walks back through one topic's
 * batches only, from its newest. Positions are virtual (they only grow); a record is intact while the writer is
 * less than a whole capacity past it, and records are never split at the end of the array. Appending allocates
 * nothing; lookups (requests are rare) may. Recovery thread only.
 * <pre>
 *   record:  0 int32 payload length | 4 int32 updates | 8 int64 first sequence | 16 int64 previous record of the
 *            topic (virtual position, -1 none) | 24 int32 topic id | 28 padding | 32 payload, padded to 8 bytes
 * </pre>
 */
final class RecoveryWindow
{
    /** No record. */
    static final long NONE = -1;

    private static final int LENGTH_OFFSET = 0;
    private static final int COUNT_OFFSET = 4;
    private static final int FIRST_SEQUENCE_OFFSET = 8;
    private static final int PREVIOUS_OFFSET = 16;
    private static final int HEADER_LENGTH = 32;
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
        buffer.putLong(index + PREVIOUS_OFFSET, slot.newestPosition, ORDER);
        buffer.putBytes(index + HEADER_LENGTH, payload, offset, length);
        slot.newestPosition = writePosition;
        writePosition += recordLength;
        appended++;
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
     * the window reaches (the first one may start after {@code from}: the window does not reach back that far).
     *
     * @param slot the topic.
     * @param from first sequence wanted.
     * @param to   last sequence wanted.
     * @param out  cleared, then filled with the records' positions.
     */
    void collect(final TopicSlot slot, final long from, final long to, final LongArrayList out)
    {
        out.clear();
        long position = slot.newestPosition;
        while (intact(position))
        {
            final long first = firstSequence(position);
            final long last = first + count(position) - 1;
            if (last < from)
            {
                break;
            }
            if (first <= to)
            {
                out.addLong(position);
            }
            if (first <= from)
            {
                break;
            }
            position = buffer.getLong(index(position) + PREVIOUS_OFFSET, ORDER);
        }
        for (int i = 0, j = out.size() - 1; i < j; i++, j--)
        {
            final long swap = out.getLong(i);
            out.setLong(i, out.getLong(j));
            out.setLong(j, swap);
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
