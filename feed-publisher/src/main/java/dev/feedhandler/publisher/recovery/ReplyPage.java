package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a reply being built: batches taken in sequence order while they continue the range without a hole and
 * fit the page's limits (at least one batch is always taken). A gap fill's page keeps each batch as a frame of its
 * own; a catch-up stream's page packs them into one frame, each behind its int32 length, so that a page of thousands
 * of updates costs the sockets one frame. Cold path: the frames are arrays the socket then owns.
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

    private final boolean packed;
    private final ExpandableArrayBuffer packedBuffer;
    private int maxUpdates;
    private int maxBytes;
    final List<byte[]> frames = new ArrayList<>();
    long from;
    long coveredTo;
    long holeAt;
    int updates;
    int bytes;
    int batches;
    boolean full;
    /** Journal index of the last batch taken or passed over as covered, or {@link Long#MIN_VALUE}. */
    long journalIndex = Long.MIN_VALUE;

    /**
     * A gap fill's page: one frame per batch.
     *
     * @param from       first sequence wanted.
     * @param maxUpdates most updates.
     * @param maxBytes   most payload bytes.
     */
    ReplyPage(final long from, final int maxUpdates, final int maxBytes)
    {
        this.packed = false;
        this.packedBuffer = null;
        reset(from, maxUpdates, maxBytes);
    }

    /**
     * A catch-up stream's page, reused page after page ({@link #reset}): one frame packing every batch.
     */
    ReplyPage()
    {
        this.packed = true;
        this.packedBuffer = new ExpandableArrayBuffer(64 * 1024);
    }

    /**
     * Empties the page for the next one.
     *
     * @param first      first sequence wanted.
     * @param mostUpdates most updates.
     * @param mostBytes   most payload bytes (with the length prefixes, for a packed page).
     * @return this.
     */
    ReplyPage reset(final long first, final int mostUpdates, final int mostBytes)
    {
        frames.clear();
        from = first;
        coveredTo = first - 1;
        holeAt = 0;
        updates = 0;
        bytes = 0;
        batches = 0;
        full = false;
        journalIndex = Long.MIN_VALUE;
        maxUpdates = mostUpdates;
        maxBytes = mostBytes;
        return this;
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
        final int size = packed ? WireFormat.PAGE_LENGTH_PREFIX + length : length;
        if (batches > 0 && (updates + count > maxUpdates || bytes + size > maxBytes))
        {
            full = true;
            return FULL;
        }
        if (packed)
        {
            packedBuffer.putInt(bytes, length, ByteOrder.LITTLE_ENDIAN);
            packedBuffer.putBytes(bytes + WireFormat.PAGE_LENGTH_PREFIX, buffer, offset, length);
        }
        else
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame, 0, length);
            frames.add(frame);
        }
        coveredTo = last;
        updates += count;
        bytes += size;
        batches++;
        return TAKEN;
    }

    /**
     * Ends a packed page with the topic's end-of-session heartbeat, after its batches (or alone): a client that missed
     * the feed's own end hears it from the stream that brought the topic's last updates. Covers no update.
     *
     * @param writer          writes the heartbeat.
     * @param sessionEpoch    the topic's session.
     * @param lastSequence    its last update.
     * @param sendTimestampNs now, epoch nanoseconds.
     */
    void endOfSession(final ControlWriter writer, final long sessionEpoch, final long lastSequence,
        final long sendTimestampNs)
    {
        final int length = writer.heartbeat(packedBuffer, bytes + WireFormat.PAGE_LENGTH_PREFIX, sessionEpoch,
            lastSequence, sendTimestampNs, true);
        packedBuffer.putInt(bytes, length, ByteOrder.LITTLE_ENDIAN);
        bytes += WireFormat.PAGE_LENGTH_PREFIX + length;
        batches++;
        frames.clear();
    }

    int maxUpdates()
    {
        return maxUpdates;
    }

    int maxBytes()
    {
        return maxBytes;
    }

    boolean isEmpty()
    {
        return batches == 0;
    }

    /**
     * The frames that follow the response: the batches of a gap fill page, or the one frame of a packed page (none
     * when it is empty).
     *
     * @return the frames.
     */
    List<byte[]> frames()
    {
        if (packed && batches > 0 && frames.isEmpty())
        {
            final byte[] frame = new byte[bytes];
            packedBuffer.getBytes(0, frame, 0, bytes);
            frames.add(frame);
        }
        return frames;
    }
}
