package dev.feedhandler.common.shm;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a shared-memory broadcast log: one file, written by one publisher, read by any number of reader
 * processes that map it read-only, so a reader can never slow the writer nor corrupt the log. The file is a
 * page-sized header followed by a ring of {@code capacity} bytes (a power of two) holding records; every number is
 * little-endian (the order of x86-64 and AArch64).
 * <pre>
 *   header (4096 bytes)
 *   offset  size  field
 *        0     8  magic "FEEDSHM1" (ASCII)
 *        8     4  layout version (1)
 *       12     4  header length (4096): where the ring starts
 *       16     4  capacity: bytes of the ring, a power of two
 *       20     4  max record length, aligned (at most capacity / 8)
 *       24     4  sync shift: log2 of a segment's length (capacity / 64)
 *       28     4  flags: bit 0 set if the writer wakes readers through the wake word (0 in older files)
 *       32     8  session epoch of the publisher
 *       40     8  writer's process id
 *       48     8  writer's process start, epoch milliseconds (0: unknown)
 *       56     8  created, epoch nanoseconds (with the epoch, the identity of this file)
 *       64     4  state: 1 active, 2 closed (the writer ended), 3 superseded (a newer file replaced this one)
 *      256     8  tail intent: position up to which the writer may be writing (set before it writes)
 *      264     8  tail: position up to which records are complete (set after it writes)
 *      320     8  latest: position of the newest record
 *      384     4  wake word: the writer adds one after it wrote (or changed the state) and wakes the readers
 *                 waiting on it (a Linux futex, {@link Futex}); with flag bit 0 only
 *      512   512  sync points: 64 positions, entry (s mod 64) the first record that starts in segment s
 *
 *   record (at position p, in the ring at p mod capacity; 8-byte aligned; never split at the ring's end)
 *   +-------------+---------+---------------+-------------+--------------+---------------------+
 *   | length (4)  | type(2) | topicLength(2)| topic       | payload      | padding to 8 bytes  |
 *   +-------------+---------+---------------+-------------+--------------+---------------------+
 *   length = 8 + topicLength + payload length; type 1 is a frame {@code [topic][payload]} as the feed sends it on a
 *   socket, type 2 pads to the ring's end (its length covers the rest of the ring; the next record is at 0).
 * </pre>
 * Positions only grow. The writer raises the tail intent, writes the record, then publishes the tail. A reader at
 * position {@code c} copies a record out and then reads the tail intent: if it is beyond {@code c + capacity} the
 * writer may have overwritten what was copied, so the reader was lapped (the copy is discarded), and it resumes at a
 * sync point just ahead of the writer's overwrite front, or at the latest record.
 * <p>
 * A reader with nothing left to read sleeps on the wake word rather than on a timer when the writer sets flag bit 0:
 * it reads the word before it looks for records, and sleeps only while the word still holds what it read, so a
 * write between its look and its sleep is never missed. A file without the flag (an older writer, or one where
 * futexes are unavailable) is read as before, looked at on the reader's timer.
 */
public final class ShmLogDescriptor
{
    /** "FEEDSHM1" read as a little-endian long. */
    public static final long MAGIC = magic();

    /** The layout version this code writes and reads. */
    public static final int VERSION = 1;

    /** Bytes of the header; the ring starts at this offset of the file (one page, so the ring is page-aligned). */
    public static final int HEADER_LENGTH = 4096;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the header length. */
    public static final int HEADER_LENGTH_OFFSET = 12;
    /** Offset of the capacity. */
    public static final int CAPACITY_OFFSET = 16;
    /** Offset of the max record length. */
    public static final int MAX_RECORD_OFFSET = 20;
    /** Offset of the sync shift. */
    public static final int SYNC_SHIFT_OFFSET = 24;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 28;
    /** Flag: the writer adds one to the wake word after it writes and wakes the readers waiting on it. */
    public static final int FLAG_WAKES_READERS = 1;
    /** Offset of the wake word (a 4-byte futex word, on a cache line of its own). */
    public static final int WAKE_OFFSET = 384;
    /** Offset of the session epoch. */
    public static final int SESSION_EPOCH_OFFSET = 32;
    /** Offset of the writer's process id. */
    public static final int WRITER_PID_OFFSET = 40;
    /** Offset of the writer's process start time. */
    public static final int WRITER_START_OFFSET = 48;
    /** Offset of the creation time. */
    public static final int CREATED_OFFSET = 56;
    /** Offset of the state. */
    public static final int STATE_OFFSET = 64;
    /** Offset of the tail intent (its own cache lines, apart from the read-mostly fields). */
    public static final int TAIL_INTENT_OFFSET = 256;
    /** Offset of the tail. */
    public static final int TAIL_OFFSET = 264;
    /** Offset of the latest record's position. */
    public static final int LATEST_OFFSET = 320;
    /** Offset of the sync points. */
    public static final int SYNC_POINTS_OFFSET = 512;
    /** Number of sync points (and of segments per ring). */
    public static final int SYNC_POINTS = 64;

    /** State: the writer is (or was, if it was killed) writing. */
    public static final int STATE_ACTIVE = 1;
    /** State: the writer ended; nothing more will be written. */
    public static final int STATE_CLOSED = 2;
    /** State: a newer file of a new publisher replaced this one at its path. */
    public static final int STATE_SUPERSEDED = 3;

    /** Bytes of a record header. */
    public static final int RECORD_HEADER_LENGTH = 8;
    /** Records are aligned to this many bytes. */
    public static final int RECORD_ALIGNMENT = 8;
    /** Record type of a frame. */
    public static final short TYPE_FRAME = 1;
    /** Record type of the padding at the ring's end. */
    public static final short TYPE_PADDING = 2;
    /** Offset of a record's type within it. */
    public static final int RECORD_TYPE_OFFSET = 4;
    /** Offset of a record's topic length within it. */
    public static final int RECORD_TOPIC_LENGTH_OFFSET = 6;

    /** Smallest capacity: 64 segments of at least 1 KiB. */
    public static final int MIN_CAPACITY = 64 * 1024;
    /** Largest capacity (1 GiB). */
    public static final int MAX_CAPACITY = 1 << 30;

    private ShmLogDescriptor()
    {
    }

    private static long magic()
    {
        final byte[] bytes = "FEEDSHM1".getBytes(StandardCharsets.US_ASCII);
        long value = 0;
        for (int i = 7; i >= 0; i--)
        {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    /**
     * The aligned length of a record.
     *
     * @param length the record's length (header, topic and payload).
     * @return the length rounded up to {@link #RECORD_ALIGNMENT}.
     */
    public static int aligned(final int length)
    {
        return BitUtil.align(length, RECORD_ALIGNMENT);
    }

    /**
     * The largest record a ring of this capacity holds.
     *
     * @param capacity the ring's capacity.
     * @return capacity / 8.
     */
    public static int maxRecordLimit(final int capacity)
    {
        return capacity / 8;
    }

    /**
     * The sync shift of a ring: log2 of a segment's length.
     *
     * @param capacity the ring's capacity, a power of two.
     * @return log2(capacity / {@link #SYNC_POINTS}).
     */
    public static int syncShift(final int capacity)
    {
        return Integer.numberOfTrailingZeros(capacity / SYNC_POINTS);
    }

    /**
     * Checks a capacity.
     *
     * @param capacity bytes of the ring.
     * @return null if valid, otherwise what is wrong (for a one-line message).
     */
    public static String checkCapacity(final long capacity)
    {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Long.bitCount(capacity) != 1)
        {
            return "capacity must be a power of two from 64 KiB to 1 GiB, was " + capacity;
        }
        return null;
    }

    /**
     * Checks a header against the file's length, so that nothing a foreign or damaged file holds is trusted.
     *
     * @param header     the file's first bytes (at least {@link #HEADER_LENGTH} if {@code fileLength} allows).
     * @param fileLength the file's length.
     * @return null if the header describes a log of this layout that fits the file, otherwise what is wrong, as in
     *         "not a feed shared-memory log (...)" or "a damaged feed shared-memory log (...)".
     */
    public static String checkHeader(final DirectBuffer header, final long fileLength)
    {
        if (fileLength < HEADER_LENGTH)
        {
            return "not a feed shared-memory log (" + fileLength + " bytes, shorter than the " + HEADER_LENGTH +
                "-byte header)";
        }
        if (header.getLong(MAGIC_OFFSET) != MAGIC)
        {
            return "not a feed shared-memory log (no FEEDSHM1 magic)";
        }
        final int version = header.getInt(VERSION_OFFSET);
        if (version != VERSION)
        {
            return "a feed shared-memory log of layout version " + version + ", this program reads version " + VERSION;
        }
        final int headerLength = header.getInt(HEADER_LENGTH_OFFSET);
        final int capacity = header.getInt(CAPACITY_OFFSET);
        final int maxRecord = header.getInt(MAX_RECORD_OFFSET);
        final int shift = header.getInt(SYNC_SHIFT_OFFSET);
        final int state = header.getInt(STATE_OFFSET);
        if (headerLength != HEADER_LENGTH || checkCapacity(capacity) != null ||
            fileLength != (long)HEADER_LENGTH + capacity)
        {
            return "a damaged feed shared-memory log (header length " + headerLength + ", capacity " + capacity +
                ", but " + fileLength + " bytes)";
        }
        if (maxRecord < RECORD_HEADER_LENGTH + 1 || maxRecord > maxRecordLimit(capacity) ||
            maxRecord != aligned(maxRecord) || shift != syncShift(capacity))
        {
            return "a damaged feed shared-memory log (max record " + maxRecord + ", sync shift " + shift +
                " for capacity " + capacity + ")";
        }
        if (state != STATE_ACTIVE && state != STATE_CLOSED && state != STATE_SUPERSEDED)
        {
            return "a damaged feed shared-memory log (state " + state + ")";
        }
        return null;
    }

    /**
     * A state's name.
     *
     * @param state a state.
     * @return "active", "closed", "superseded" or "unknown".
     */
    public static String stateName(final int state)
    {
        switch (state)
        {
            case STATE_ACTIVE:
                return "active";
            case STATE_CLOSED:
                return "closed";
            case STATE_SUPERSEDED:
                return "superseded";
            default:
                return "unknown";
        }
    }
}
