package dev.feedhandler.journal;

import dev.feedhandler.common.wire.FrameKind;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One journal entry (one Chronicle Queue excerpt): a small fixed header that indexes the frame without decoding
 * it, then the topic (frame 0) and the payload (frame 1) exactly as they went on (or came off) the wire. This class
 * is both the layout and a read-only flyweight over an entry; a view is valid only during the call that hands it
 * out. All integers are little-endian.
 * <pre>
 *   offset size type   field
 *      0     1  uint8  version            1
 *      1     1  uint8  kind               0 INVALID, 1 BATCH, 2 HEARTBEAT, 3 SESSION_STATUS (what frame 1 holds)
 *      2     1  uint8  origin             1 SENT by a publisher, 2 RECEIVED by a subscriber (--record)
 *      3     1  uint8  topicLength        bytes of frame 0 (1 to 64)
 *      4     4  int32  payloadLength      bytes of frame 1
 *      8     8  int64  sessionEpoch       from the frame (0 if INVALID)
 *     16     8  int64  sequence           BATCH: firstSequence; HEARTBEAT: lastSequence; otherwise 0
 *     24     8  int64  sendTimestampNs    from the frame: the publisher's send time, epoch ns (0 if INVALID)
 *     32     8  int64  journalTimestampNs when the frame was handed to the journal: sent (publisher) or received
 *                                         (subscriber), epoch ns; what --from/--to and replay pacing use
 *     40     2  uint16 updateCount        BATCH: updates in the frame; otherwise 0
 *     42     1  uint8  flags              BATCH: BatchFlags; HEARTBEAT: HeartbeatFlags; SESSION_STATUS: state
 *     43     5         reserved           zero
 *     48     t         topic              frame 0, topicLength bytes
 *   48+t     p         payload            frame 1, payloadLength bytes, byte for byte
 * </pre>
 */
public final class JournalEntry
{
    /** Version written by this code; a reader rejects entries of another version. */
    public static final int VERSION = 1;

    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 48;

    /** Kind of an entry whose payload is not a valid frame (a subscriber records what it received, valid or not). */
    public static final int KIND_INVALID = 0;
    /** Kind of an entry holding a data batch. */
    public static final int KIND_BATCH = 1;
    /** Kind of an entry holding a heartbeat. */
    public static final int KIND_HEARTBEAT = 2;
    /** Kind of an entry holding a session status (control topic). */
    public static final int KIND_SESSION_STATUS = 3;

    static final int VERSION_OFFSET = 0;
    static final int KIND_OFFSET = 1;
    static final int ORIGIN_OFFSET = 2;
    static final int TOPIC_LENGTH_OFFSET = 3;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int SESSION_EPOCH_OFFSET = 8;
    static final int SEQUENCE_OFFSET = 16;
    static final int SEND_TIMESTAMP_OFFSET = 24;
    static final int JOURNAL_TIMESTAMP_OFFSET = 32;
    static final int UPDATE_COUNT_OFFSET = 40;
    static final int FLAGS_OFFSET = 42;
    static final int RESERVED_OFFSET = 43;

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private long index;

    /**
     * Points the view at an entry in memory.
     *
     * @param address where the entry starts.
     * @param length  entry length.
     * @param index   the entry's journal index.
     * @return this.
     */
    JournalEntry wrap(final long address, final int length, final long index)
    {
        buffer.wrap(address, length);
        this.index = index;
        return this;
    }

    /**
     * Points the view at an entry in a buffer (tests and tools).
     *
     * @param source holding the entry.
     * @param offset where it starts.
     * @param length entry length.
     * @param index  the entry's journal index.
     * @return this.
     */
    public JournalEntry wrap(final DirectBuffer source, final int offset, final int length, final long index)
    {
        buffer.wrap(source, offset, length);
        this.index = index;
        return this;
    }

    /**
     * Whether the bytes are an entry this code can read: our version, a header and the lengths it declares.
     *
     * @return true if well-formed.
     */
    public boolean isWellFormed()
    {
        final int capacity = buffer.capacity();
        return capacity >= HEADER_LENGTH &&
            version() == VERSION &&
            topicLength() > 0 &&
            payloadLength() >= 0 &&
            (long)HEADER_LENGTH + topicLength() + payloadLength() == capacity;
    }

    /**
     * The Chronicle Queue index of this entry: ordered, unique within the journal, usable with {@code --from}.
     *
     * @return the index.
     */
    public long index()
    {
        return index;
    }

    /**
     * Entry format version.
     *
     * @return the version byte.
     */
    public int version()
    {
        return buffer.getByte(VERSION_OFFSET) & 0xFF;
    }

    /**
     * What the payload holds, as a code ({@link #KIND_BATCH}, ...).
     *
     * @return the kind code.
     */
    public int kindCode()
    {
        return buffer.getByte(KIND_OFFSET) & 0xFF;
    }

    /**
     * What the payload holds.
     *
     * @return the kind, {@link FrameKind#INVALID} for an invalid payload or an unknown code.
     */
    public FrameKind kind()
    {
        switch (kindCode())
        {
            case KIND_BATCH:
                return FrameKind.BATCH;
            case KIND_HEARTBEAT:
                return FrameKind.HEARTBEAT;
            case KIND_SESSION_STATUS:
                return FrameKind.SESSION_STATUS;
            default:
                return FrameKind.INVALID;
        }
    }

    /**
     * Who wrote the entry.
     *
     * @return the origin.
     */
    public Origin origin()
    {
        return Origin.of(buffer.getByte(ORIGIN_OFFSET) & 0xFF);
    }

    /**
     * Length of the topic.
     *
     * @return bytes.
     */
    public int topicLength()
    {
        return buffer.getByte(TOPIC_LENGTH_OFFSET) & 0xFF;
    }

    /**
     * Length of the payload.
     *
     * @return bytes.
     */
    public int payloadLength()
    {
        return buffer.getInt(PAYLOAD_LENGTH_OFFSET, ORDER);
    }

    /**
     * Session epoch of the frame.
     *
     * @return the epoch, 0 for an invalid frame.
     */
    public long sessionEpoch()
    {
        return buffer.getLong(SESSION_EPOCH_OFFSET, ORDER);
    }

    /**
     * First sequence of a batch, last sequence of a heartbeat, otherwise 0.
     *
     * @return the sequence number.
     */
    public long sequence()
    {
        return buffer.getLong(SEQUENCE_OFFSET, ORDER);
    }

    /**
     * The publisher's send timestamp carried by the frame.
     *
     * @return epoch nanoseconds, 0 for an invalid frame.
     */
    public long sendTimestampNs()
    {
        return buffer.getLong(SEND_TIMESTAMP_OFFSET, ORDER);
    }

    /**
     * When the frame was handed to the journal: just sent (publisher) or just received (subscriber).
     *
     * @return epoch nanoseconds.
     */
    public long journalTimestampNs()
    {
        return buffer.getLong(JOURNAL_TIMESTAMP_OFFSET, ORDER);
    }

    /**
     * Updates in a batch.
     *
     * @return the count, 0 for other kinds.
     */
    public int updateCount()
    {
        return buffer.getShort(UPDATE_COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * The frame's flags: batch flags, heartbeat flags, or the session state.
     *
     * @return the flags byte.
     */
    public int flags()
    {
        return buffer.getByte(FLAGS_OFFSET) & 0xFF;
    }

    /**
     * The buffer holding the whole entry; the topic and payload are at {@link #topicOffset()} and
     * {@link #payloadOffset()}.
     *
     * @return the buffer, valid during the call that handed out this view.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Offset of the topic in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int topicOffset()
    {
        return HEADER_LENGTH;
    }

    /**
     * Offset of the payload in {@link #buffer()}.
     *
     * @return the offset.
     */
    public int payloadOffset()
    {
        return HEADER_LENGTH + topicLength();
    }

    /**
     * Whether the topic starts with a prefix (byte comparison, no allocation).
     *
     * @param prefix topic prefix bytes.
     * @return true if it does.
     */
    public boolean topicStartsWith(final byte[] prefix)
    {
        if (prefix.length > topicLength())
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (buffer.getByte(HEADER_LENGTH + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the topic equals the given bytes.
     *
     * @param topic topic bytes.
     * @return true if equal.
     */
    public boolean topicEquals(final byte[] topic)
    {
        return topic.length == topicLength() && topicStartsWith(topic);
    }

    /**
     * Whether the entry is on a reserved (control) topic.
     *
     * @return true if frame 0 starts with byte 0.
     */
    public boolean isControlTopic()
    {
        return buffer.getByte(HEADER_LENGTH) == 0;
    }

    /**
     * The topic as text (allocates: cold path).
     *
     * @return the topic.
     */
    public String topic()
    {
        return buffer.getStringWithoutLengthAscii(HEADER_LENGTH, topicLength());
    }

    /**
     * A copy of the topic (allocates).
     *
     * @return frame 0.
     */
    public byte[] topicBytes()
    {
        final byte[] bytes = new byte[topicLength()];
        buffer.getBytes(HEADER_LENGTH, bytes);
        return bytes;
    }

    /**
     * A copy of the payload (allocates).
     *
     * @return frame 1.
     */
    public byte[] payloadBytes()
    {
        final byte[] bytes = new byte[payloadLength()];
        buffer.getBytes(payloadOffset(), bytes);
        return bytes;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "JournalEntry{index=" + index + ", kind=" + kind() + ", topic=" +
            new String(topicBytes(), StandardCharsets.US_ASCII).replace("\0", "\\0") + ", epoch=" + sessionEpoch() +
            ", sequence=" + sequence() + ", updates=" + updateCount() + ", payload=" + payloadLength() + "}";
    }
}
