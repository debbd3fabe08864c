package dev.feedhandler.common.shm;

import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A reader of a shared-memory broadcast log ({@link ShmLogDescriptor}): maps the file read-only, keeps its position
 * to itself, and hands each frame of the wanted topics to a {@link ShmFrameHandler}, copied out of the ring first and
 * checked not to have been overwritten meanwhile. When the writer laps it, it says so ({@link #laps()}), skips to a
 * sync point just ahead of the writer's overwrite front, and goes on: what it skipped is a gap for the subscriber to
 * recover. A record that cannot be one (a damaged file) is counted and skipped the same way. One thread; {@link #poll}
 * allocates nothing.
 */
public final class ShmLogReader implements AutoCloseable
{
    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer ring;
    private final UnsafeBuffer scratch;
    private final byte[][] prefixes;
    private final int capacity;
    private final int mask;
    private final int maxRecord;
    private final int shift;
    private final long sessionEpoch;
    private final long createdNs;
    private final long writerPid;
    private final long writerStartMs;
    private final long wakeAddress;
    private final Futex futex;
    private int wakeSeen;
    private long cursor;
    private long laps;
    private long bytesSkipped;
    private long damagedRecords;
    private long frames;
    private String firstDamage;
    private boolean closed;

    private ShmLogReader(final Path path, final MappedByteBuffer mapped, final List<String> topicPrefixes,
        final boolean fromStart)
    {
        this.path = path;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, ShmLogDescriptor.HEADER_LENGTH);
        this.capacity = header.getInt(ShmLogDescriptor.CAPACITY_OFFSET);
        this.ring = new UnsafeBuffer(mapped, ShmLogDescriptor.HEADER_LENGTH, capacity);
        this.mask = capacity - 1;
        this.maxRecord = header.getInt(ShmLogDescriptor.MAX_RECORD_OFFSET);
        this.shift = header.getInt(ShmLogDescriptor.SYNC_SHIFT_OFFSET);
        this.sessionEpoch = header.getLong(ShmLogDescriptor.SESSION_EPOCH_OFFSET);
        this.createdNs = header.getLong(ShmLogDescriptor.CREATED_OFFSET);
        this.writerPid = header.getLong(ShmLogDescriptor.WRITER_PID_OFFSET);
        this.writerStartMs = header.getLong(ShmLogDescriptor.WRITER_START_OFFSET);
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(maxRecord));
        this.prefixes = prefixes(topicPrefixes);
        final boolean wakes = (header.getInt(ShmLogDescriptor.FLAGS_OFFSET) & ShmLogDescriptor.FLAG_WAKES_READERS) != 0;
        this.futex = wakes && Futex.available() ? new Futex() : null;
        this.wakeAddress = header.addressOffset() + ShmLogDescriptor.WAKE_OFFSET;
        this.cursor = fromStart ? 0 : header.getLongVolatile(ShmLogDescriptor.TAIL_OFFSET);
    }

    private static byte[][] prefixes(final List<String> topicPrefixes)
    {
        if (topicPrefixes.isEmpty() || topicPrefixes.contains(""))
        {
            return null;
        }
        final byte[][] all = new byte[topicPrefixes.size() + 1][];
        for (int i = 0; i < topicPrefixes.size(); i++)
        {
            all[i] = topicPrefixes.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        // The control topic always, as a SUB socket of the feed subscribes to it.
        all[topicPrefixes.size()] = WireFormat.CONTROL_TOPIC_BYTES;
        return all;
    }

    /**
     * Opens the log at {@code path}, if there is one.
     *
     * @param path          the file.
     * @param topicPrefixes topics to deliver, by prefix as a SUB socket matches them ({@code ""} or none: all); the
     *                      control topic is always delivered.
     * @param fromStart     whether to start at the log's beginning (a reader that waited for the file) rather than at
     *                      its end (a reader joining a running feed, as a socket subscriber does).
     * @return the reader, or null if there is no file at {@code path}.
     * @throws ShmLogException with one line naming the file if it is foreign, damaged or may not be read.
     */
    public static ShmLogReader open(final Path path, final List<String> topicPrefixes, final boolean fromStart)
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final ByteBuffer bytes = ByteBuffer.allocate(ShmLogDescriptor.HEADER_LENGTH);
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0)
            {
                // the header, or what there is of it
            }
            final String error = ShmLogDescriptor.checkHeader(new UnsafeBuffer(bytes.array()), size);
            if (error != null)
            {
                throw new ShmLogException("shared memory " + path + " is " + error);
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            // Map every page now rather than on the first lap.
            mapped.load();
            return new ShmLogReader(path, mapped, topicPrefixes, fromStart);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final AccessDeniedException ex)
        {
            throw new ShmLogException("shared memory " + path + ": permission denied" + owner(path) +
                "; the publisher's --shm-group gives a group read access");
        }
        catch (final IOException ex)
        {
            throw new ShmLogException("shared memory " + path + ": cannot read it: " + ShmLogFiles.describe(ex));
        }
    }

    private static String owner(final Path path)
    {
        try
        {
            final PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            return " (owner " + attributes.owner().getName() + ", group " + attributes.group().getName() +
                ", mode " + PosixFilePermissions.toString(attributes.permissions()) + ")";
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return "";
        }
    }

    /**
     * Hands the frames written since the last call to {@code handler}, up to {@code limit} records.
     *
     * @param handler gets each frame of a wanted topic.
     * @param limit   most records looked at.
     * @return records consumed (frames of any topic, padding), 0 if there was nothing new.
     */
    public int poll(final ShmFrameHandler handler, final int limit)
    {
        // Before the tail: a write after this read changes the word, so awaitRecords() does not sleep through it.
        wakeSeen = header.getIntVolatile(ShmLogDescriptor.WAKE_OFFSET);
        long tail = header.getLongVolatile(ShmLogDescriptor.TAIL_OFFSET);
        int records = 0;
        while (cursor < tail && records < limit)
        {
            records++;
            final int index = (int)cursor & mask;
            final int length = ring.getInt(index);
            final short type = ring.getShort(index + ShmLogDescriptor.RECORD_TYPE_OFFSET);
            final int topicLength = ring.getShort(index + ShmLogDescriptor.RECORD_TOPIC_LENGTH_OFFSET) & 0xFFFF;
            final int alignedLength = ShmLogDescriptor.aligned(length);
            final boolean frame = type == ShmLogDescriptor.TYPE_FRAME && topicLength > 0 &&
                topicLength <= WireFormat.MAX_TOPIC_LENGTH &&
                length >= ShmLogDescriptor.RECORD_HEADER_LENGTH + topicLength && alignedLength <= maxRecord &&
                index + alignedLength <= capacity;
            final boolean padding = type == ShmLogDescriptor.TYPE_PADDING && length == capacity - index;
            boolean wanted = false;
            if (frame)
            {
                scratch.putBytes(0, ring, index, ShmLogDescriptor.RECORD_HEADER_LENGTH + topicLength);
                wanted = wanted(topicLength);
                if (wanted)
                {
                    final int rest = length - ShmLogDescriptor.RECORD_HEADER_LENGTH - topicLength;
                    final int restOffset = ShmLogDescriptor.RECORD_HEADER_LENGTH + topicLength;
                    scratch.putBytes(restOffset, ring, index + restOffset, rest);
                }
            }
            // Everything read above must be read before the tail intent is: if the writer has since moved past this
            // record's place one ring later, what was read may be torn.
            VarHandle.acquireFence();
            if (header.getLongVolatile(ShmLogDescriptor.TAIL_INTENT_OFFSET) - cursor > capacity)
            {
                lapped();
                tail = header.getLongVolatile(ShmLogDescriptor.TAIL_OFFSET);
                continue;
            }
            if (!frame && !padding)
            {
                damaged(index, length, type, topicLength, tail);
                tail = header.getLongVolatile(ShmLogDescriptor.TAIL_OFFSET);
                continue;
            }
            cursor += padding ? length : alignedLength;
            if (wanted)
            {
                frames++;
                handler.onFrame(scratch, ShmLogDescriptor.RECORD_HEADER_LENGTH, topicLength,
                    ShmLogDescriptor.RECORD_HEADER_LENGTH + topicLength,
                    length - ShmLogDescriptor.RECORD_HEADER_LENGTH - topicLength);
            }
        }
        return records;
    }

    private boolean wanted(final int topicLength)
    {
        if (prefixes == null)
        {
            return true;
        }
        for (final byte[] prefix : prefixes)
        {
            if (prefix.length <= topicLength && matches(prefix))
            {
                return true;
            }
        }
        return false;
    }

    private boolean matches(final byte[] prefix)
    {
        for (int i = 0; i < prefix.length; i++)
        {
            if (scratch.getByte(ShmLogDescriptor.RECORD_HEADER_LENGTH + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private void lapped()
    {
        laps++;
        final long from = cursor;
        cursor = resumePosition();
        bytesSkipped += cursor - from;
    }

    private void damaged(final int index, final int length, final short type, final int topicLength,
        final long tail)
    {
        damagedRecords++;
        if (firstDamage == null)
        {
            firstDamage = "a damaged record at position " + cursor + " (ring offset " + index + "): length " + length +
                ", type " + type + ", topic length " + topicLength;
        }
        final long from = cursor;
        final long resume = resumePosition();
        // Never back, never onto the same place: past everything written if there is no better place.
        cursor = resume > cursor ? resume : tail;
        bytesSkipped += cursor - from;
    }

    /**
     * Where to go on after a lap: the first record of a segment at least one segment ahead of where the writer may
     * now be overwriting, so that a reader that was only just lapped loses little; the newest record if no such
     * segment has a record yet.
     */
    private long resumePosition()
    {
        final long intent = header.getLongVolatile(ShmLogDescriptor.TAIL_INTENT_OFFSET);
        long segment = ((intent - capacity) >> shift) + 2;
        for (int i = 0; i < ShmLogDescriptor.SYNC_POINTS - 4; i++, segment++)
        {
            final long position = header.getLongVolatile(ShmLogDescriptor.SYNC_POINTS_OFFSET +
                (int)(segment & (ShmLogDescriptor.SYNC_POINTS - 1)) * Long.BYTES);
            if (position >= 0 && position >> shift == segment && position > cursor)
            {
                return position;
            }
        }
        return header.getLongVolatile(ShmLogDescriptor.LATEST_OFFSET);
    }

    /**
     * Whether {@link #awaitRecords} can sleep until the writer writes: its writer wakes readers and futexes are
     * available here.
     *
     * @return true if woken by the writer, false if the caller must look on a timer.
     */
    public boolean wokenByWriter()
    {
        return futex != null;
    }

    /**
     * Sleeps until the writer writes or changes the log's state after the last {@link #poll} looked, or until
     * {@code timeoutNs}; returns at once if it did so already. Call it only after a poll that found nothing.
     *
     * @param timeoutNs the longest sleep.
     * @return true if it waited (or found it need not); false if this reader cannot be woken by the writer
     *         ({@link #wokenByWriter()}) or the wait failed: the caller waits on a timer instead.
     */
    public boolean awaitRecords(final long timeoutNs)
    {
        return futex != null && futex.await(wakeAddress, wakeSeen, timeoutNs);
    }

    /**
     * The log's state now: {@link ShmLogDescriptor#STATE_ACTIVE}, {@code _CLOSED} or {@code _SUPERSEDED}.
     *
     * @return the state.
     */
    public int state()
    {
        return header.getIntVolatile(ShmLogDescriptor.STATE_OFFSET);
    }

    /**
     * Whether everything the writer has published so far was read.
     *
     * @return true when the reader is at the tail.
     */
    public boolean caughtUp()
    {
        return cursor >= header.getLongVolatile(ShmLogDescriptor.TAIL_OFFSET);
    }

    /**
     * Whether the log will not grow any more and all of it was read: its writer closed it or a newer log replaced
     * it, and the reader is at its tail.
     *
     * @return true when the reader is done with this file.
     */
    public boolean finished()
    {
        // The state first: once it says closed or superseded, the tail read after it is final.
        return state() != ShmLogDescriptor.STATE_ACTIVE && caughtUp();
    }

    /**
     * Whether the process that writes this log still runs.
     *
     * @return true if alive.
     */
    public boolean writerAlive()
    {
        return ShmLogFiles.writerAlive(writerPid, writerStartMs);
    }

    /**
     * Whether this reader maps the same log as {@code other} (the same file, not just the same path).
     *
     * @param other another reader.
     * @return true for the same log.
     */
    public boolean sameLog(final ShmLogReader other)
    {
        return other.sessionEpoch == sessionEpoch && other.createdNs == createdNs && other.writerPid == writerPid;
    }

    /**
     * The file.
     *
     * @return its path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * The session epoch of the log's publisher.
     *
     * @return the epoch.
     */
    public long sessionEpoch()
    {
        return sessionEpoch;
    }

    /**
     * The writer's process id.
     *
     * @return the pid.
     */
    public long writerPid()
    {
        return writerPid;
    }

    /**
     * Bytes of the ring.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * The reader's position.
     *
     * @return bytes from the log's start.
     */
    public long position()
    {
        return cursor;
    }

    /**
     * How far the writer is ahead of this reader now.
     *
     * @return bytes.
     */
    public long lag()
    {
        return header.getLongVolatile(ShmLogDescriptor.TAIL_OFFSET) - cursor;
    }

    /**
     * Times the writer lapped this reader.
     *
     * @return the count.
     */
    public long laps()
    {
        return laps;
    }

    /**
     * Bytes skipped after laps and damaged records.
     *
     * @return the count.
     */
    public long bytesSkipped()
    {
        return bytesSkipped;
    }

    /**
     * Records that could not be records, skipped.
     *
     * @return the count.
     */
    public long damagedRecords()
    {
        return damagedRecords;
    }

    /**
     * What the first damaged record looked like.
     *
     * @return a one-line description, or null if there was none.
     */
    public String firstDamage()
    {
        return firstDamage;
    }

    /**
     * Frames handed to the handler.
     *
     * @return the count.
     */
    public long frames()
    {
        return frames;
    }

    /**
     * Unmaps the file. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            ShmLogFiles.unmapQuietly(mapped);
        }
    }
}
