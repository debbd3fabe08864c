package dev.feedhandler.common.shm;

import dev.feedhandler.common.wire.WireFormat;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one writer of a shared-memory broadcast log ({@link ShmLogDescriptor}): appends every frame it is given and
 * never waits for anyone, since readers only map the file read-only and keep their positions to themselves. A
 * reader that falls a whole ring behind is lapped and finds out by itself.
 * <p>
 * {@link #create} makes the file under a temporary name (mode 0600, or 0640 with a group), fills its pages so that no
 * write faults later, and renames it over the path at once, so a reader never sees a half-made file. A file left at
 * the path by a publisher that is gone is replaced (and marked superseded, so that its readers move on); one whose
 * publisher is alive, or one that is not a feed log, is left alone with a one-line error. {@link #close()} marks the
 * file closed and removes it. Publisher thread only; {@link #write} allocates nothing.
 */
public final class ShmLogWriter implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ShmLogWriter.class);
    private static final int PAGE = 4096;
    private static final double MIB = 1024.0 * 1024.0;

    private final Path path;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer ring;
    private final Object fileKey;
    private final int capacity;
    private final int mask;
    private final int maxRecord;
    private final int shift;
    private final boolean wakesReaders;
    private final long wakeAddress;
    private long tail;
    private long framesSignalled;
    private long wakeCalls;
    private long readersWoken;
    private long lastSegment = -1;
    private long framesWritten;
    private long bytesWritten;
    private long oversized;
    private long wraps;
    private boolean closed;

    private ShmLogWriter(final Path path, final MappedByteBuffer mapped, final Object fileKey)
    {
        this.path = path;
        this.mapped = mapped;
        this.fileKey = fileKey;
        this.header = new UnsafeBuffer(mapped, 0, ShmLogDescriptor.HEADER_LENGTH);
        this.capacity = header.getInt(ShmLogDescriptor.CAPACITY_OFFSET);
        this.ring = new UnsafeBuffer(mapped, ShmLogDescriptor.HEADER_LENGTH, capacity);
        this.mask = capacity - 1;
        this.maxRecord = header.getInt(ShmLogDescriptor.MAX_RECORD_OFFSET);
        this.shift = header.getInt(ShmLogDescriptor.SYNC_SHIFT_OFFSET);
        this.wakesReaders = (header.getInt(ShmLogDescriptor.FLAGS_OFFSET) & ShmLogDescriptor.FLAG_WAKES_READERS) != 0;
        this.wakeAddress = header.addressOffset() + ShmLogDescriptor.WAKE_OFFSET;
    }

    /**
     * The largest aligned record a frame with a payload of up to {@code maxPayloadBytes} takes.
     *
     * @param maxPayloadBytes the largest payload (batch) the publisher sends.
     * @return bytes.
     */
    public static int recordLengthFor(final int maxPayloadBytes)
    {
        return ShmLogDescriptor.aligned(ShmLogDescriptor.RECORD_HEADER_LENGTH + WireFormat.MAX_TOPIC_LENGTH +
            maxPayloadBytes);
    }

    /**
     * Creates the log at {@code location}, waking readers: {@link #create(ShmLocation, int, int, String, long,
     * boolean)} with {@code wakeReaders} true.
     *
     * @param location        where.
     * @param capacity        bytes of the ring.
     * @param maxPayloadBytes the largest payload that will be written.
     * @param group           a group given read access, or null.
     * @param sessionEpoch    the publisher's session epoch.
     * @return the writer, at position 0.
     */
    public static ShmLogWriter create(final ShmLocation location, final int capacity, final int maxPayloadBytes,
        final String group, final long sessionEpoch)
    {
        return create(location, capacity, maxPayloadBytes, group, sessionEpoch, true);
    }

    /**
     * Creates the log at {@code location} and puts it in place of whatever file of an ended publisher was there.
     *
     * @param location        where.
     * @param capacity        bytes of the ring, a power of two from 64 KiB to 1 GiB.
     * @param maxPayloadBytes the largest payload that will be written (the publisher's batch limit).
     * @param group           a group given read access (mode 0640), or null for the owner only (0600).
     * @param sessionEpoch    the publisher's session epoch, written in the header.
     * @param wakeReaders     whether {@link #signal()} wakes readers waiting for records (if futexes are available
     *                        here): one system call per signal, and the kernel's work of waking each waiting reader;
     *                        without it readers look on their timer.
     * @return the writer, at position 0.
     * @throws ShmLogException with one line naming the file when it cannot be made or put in place.
     */
    public static ShmLogWriter create(final ShmLocation location, final int capacity, final int maxPayloadBytes,
        final String group, final long sessionEpoch, final boolean wakeReaders)
    {
        final Path path = location.path();
        final String capacityError = ShmLogDescriptor.checkCapacity(capacity);
        if (capacityError != null)
        {
            throw new ShmLogException("shared memory " + path + ": " + capacityError);
        }
        final int maxRecord = recordLengthFor(maxPayloadBytes);
        if (maxRecord > ShmLogDescriptor.maxRecordLimit(capacity))
        {
            throw new ShmLogException("shared memory " + path + ": a capacity of " + capacity + " bytes holds " +
                "records of up to " + ShmLogDescriptor.maxRecordLimit(capacity) + " bytes, batches of " +
                maxPayloadBytes + " bytes need " + maxRecord + " (a capacity of at least " + minCapacityFor(maxRecord) +
                ")");
        }
        if (!Files.isDirectory(location.directory()))
        {
            throw new ShmLogException("shared memory " + path + ": no directory " + location.directory());
        }
        final GroupPrincipal groupPrincipal = group == null ? null : lookupGroup(path, group);
        final Path temporary = location.directory().resolve("." + location.name() + "." +
            ProcessHandle.current().pid() + ".tmp");
        MappedByteBuffer mapped = null;
        try
        {
            ShmLogFiles.deleteLeftovers(location.directory(), location.name());
            final long needed = (long)ShmLogDescriptor.HEADER_LENGTH + capacity;
            final long free = Files.getFileStore(location.directory()).getUsableSpace();
            if (free < needed)
            {
                throw new ShmLogException(noRoom(path, needed, free));
            }
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
            final long length = (long)ShmLogDescriptor.HEADER_LENGTH + capacity;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.READ,
                StandardOpenOption.WRITE))
            {
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            }
            // Give the file its memory now: no page fault on the first lap.
            final UnsafeBuffer all = new UnsafeBuffer(mapped);
            try
            {
                for (int offset = 0; offset < length; offset += PAGE)
                {
                    all.putLong(offset, 0L);
                }
            }
            catch (final InternalError ex)
            {
                // A page the file system could not back (SIGBUS): filled up since the check above.
                throw new ShmLogException(noRoom(path, length,
                    Files.getFileStore(location.directory()).getUsableSpace()));
            }
            writeHeader(all, capacity, maxRecord, sessionEpoch, wakeReaders && Futex.available());
            if (groupPrincipal != null)
            {
                final PosixFileAttributeView view =
                    Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
                view.setGroup(groupPrincipal);
                view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
            }
            final Object fileKey = Files.readAttributes(temporary, BasicFileAttributes.class).fileKey();
            ShmLogFiles.takeOver(path, temporary);
            LOG.info("shared memory {}: {} MiB ring, mode {}{}", path, capacity >> 20,
                groupPrincipal == null ? "0600" : "0640", groupPrincipal == null ? "" : " group " + group);
            return new ShmLogWriter(path, mapped, fileKey);
        }
        catch (final AccessDeniedException ex)
        {
            ShmLogFiles.unmapQuietly(mapped);
            ShmLogFiles.deleteQuietly(temporary);
            throw new ShmLogException("shared memory " + path + ": permission denied (" + ex.getFile() + ")");
        }
        catch (final IOException ex)
        {
            ShmLogFiles.unmapQuietly(mapped);
            ShmLogFiles.deleteQuietly(temporary);
            throw new ShmLogException("shared memory " + path + ": " + ShmLogFiles.describe(ex));
        }
        catch (final RuntimeException ex)
        {
            ShmLogFiles.unmapQuietly(mapped);
            ShmLogFiles.deleteQuietly(temporary);
            throw ex;
        }
    }

    private static String noRoom(final Path path, final long needed, final long free)
    {
        // The new ring is written beside the old log before it replaces it: the old one's room is not free yet.
        long old = 0;
        try
        {
            old = Files.isRegularFile(path) ? Files.size(path) : 0;
        }
        catch (final IOException ex)
        {
            LOG.debug("cannot read the size of {}", path, ex);
        }
        return String.format(java.util.Locale.ROOT, "shared memory %s: no room for the ring: it needs %.1f MiB, " +
            "%.1f MiB are free on %s (a smaller --shm-capacity, or room in the directory%s)", path, needed / MIB,
            free / MIB, path.getParent(), old == 0 ? "" : String.format(java.util.Locale.ROOT,
            "; the old log %s holds %.1f MiB until the new one replaces it", path.getFileName(), old / MIB));
    }

    private static long minCapacityFor(final int maxRecord)
    {
        return Math.max(ShmLogDescriptor.MIN_CAPACITY, Long.highestOneBit((long)maxRecord * 8 - 1) << 1);
    }

    private static GroupPrincipal lookupGroup(final Path path, final String group)
    {
        try
        {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        }
        catch (final UserPrincipalNotFoundException ex)
        {
            throw new ShmLogException("shared memory " + path + ": no group '" + group + "'");
        }
        catch (final IOException ex)
        {
            throw new ShmLogException("shared memory " + path + ": cannot look up group '" + group + "': " +
                ShmLogFiles.describe(ex));
        }
    }

    private static void writeHeader(final UnsafeBuffer buffer, final int capacity, final int maxRecord,
        final long sessionEpoch, final boolean wakeReaders)
    {
        final ProcessHandle self = ProcessHandle.current();
        buffer.putInt(ShmLogDescriptor.VERSION_OFFSET, ShmLogDescriptor.VERSION);
        buffer.putInt(ShmLogDescriptor.HEADER_LENGTH_OFFSET, ShmLogDescriptor.HEADER_LENGTH);
        buffer.putInt(ShmLogDescriptor.CAPACITY_OFFSET, capacity);
        buffer.putInt(ShmLogDescriptor.MAX_RECORD_OFFSET, maxRecord);
        buffer.putInt(ShmLogDescriptor.SYNC_SHIFT_OFFSET, ShmLogDescriptor.syncShift(capacity));
        buffer.putInt(ShmLogDescriptor.FLAGS_OFFSET, wakeReaders ? ShmLogDescriptor.FLAG_WAKES_READERS : 0);
        buffer.putLong(ShmLogDescriptor.SESSION_EPOCH_OFFSET, sessionEpoch);
        buffer.putLong(ShmLogDescriptor.WRITER_PID_OFFSET, self.pid());
        buffer.putLong(ShmLogDescriptor.WRITER_START_OFFSET,
            self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
        final Instant now = Instant.now();
        buffer.putLong(ShmLogDescriptor.CREATED_OFFSET, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        buffer.putInt(ShmLogDescriptor.STATE_OFFSET, ShmLogDescriptor.STATE_ACTIVE);
        for (int i = 0; i < ShmLogDescriptor.SYNC_POINTS; i++)
        {
            buffer.putLong(ShmLogDescriptor.SYNC_POINTS_OFFSET + i * Long.BYTES, -1L);
        }
        // The magic last: a file with it is complete (and readers only ever see it after the rename anyway).
        buffer.putLongVolatile(ShmLogDescriptor.MAGIC_OFFSET, ShmLogDescriptor.MAGIC);
    }

    /**
     * Appends one frame {@code [topic][payload]}. Never waits.
     *
     * @param topic   frame 0.
     * @param payload holds frame 1.
     * @param offset  where frame 1 starts.
     * @param length  its length.
     * @return true if written; false if the record would exceed the log's max record length (counted).
     */
    public boolean write(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final int recordLength = ShmLogDescriptor.RECORD_HEADER_LENGTH + topic.length + length;
        final int alignedLength = ShmLogDescriptor.aligned(recordLength);
        if (alignedLength > maxRecord || topic.length > WireFormat.MAX_TOPIC_LENGTH)
        {
            oversized++;
            return false;
        }
        long position = tail;
        int index = (int)position & mask;
        final int toEnd = capacity - index;
        final boolean wrap = alignedLength > toEnd;
        final long newTail = position + alignedLength + (wrap ? toEnd : 0);

        header.putLongRelease(ShmLogDescriptor.TAIL_INTENT_OFFSET, newTail);
        // The intent must be visible before any byte of the record is: a reader checks it after its copy.
        VarHandle.releaseFence();
        if (wrap)
        {
            ring.putShort(index + ShmLogDescriptor.RECORD_TYPE_OFFSET, ShmLogDescriptor.TYPE_PADDING);
            ring.putShort(index + ShmLogDescriptor.RECORD_TOPIC_LENGTH_OFFSET, (short)0);
            ring.putInt(index, toEnd);
            position += toEnd;
            index = 0;
            wraps++;
        }
        ring.putShort(index + ShmLogDescriptor.RECORD_TYPE_OFFSET, ShmLogDescriptor.TYPE_FRAME);
        ring.putShort(index + ShmLogDescriptor.RECORD_TOPIC_LENGTH_OFFSET, (short)topic.length);
        ring.putBytes(index + ShmLogDescriptor.RECORD_HEADER_LENGTH, topic);
        ring.putBytes(index + ShmLogDescriptor.RECORD_HEADER_LENGTH + topic.length, payload, offset, length);
        ring.putInt(index, recordLength);

        final long segment = position >> shift;
        if (segment != lastSegment)
        {
            lastSegment = segment;
            header.putLongRelease(ShmLogDescriptor.SYNC_POINTS_OFFSET +
                (int)(segment & (ShmLogDescriptor.SYNC_POINTS - 1)) * Long.BYTES, position);
        }
        header.putLongRelease(ShmLogDescriptor.LATEST_OFFSET, position);
        header.putLongRelease(ShmLogDescriptor.TAIL_OFFSET, newTail);
        tail = newTail;
        framesWritten++;
        bytesWritten += length;
        return true;
    }

    /**
     * Wakes the readers waiting for records if anything was written since the last signal: the writer calls it
     * once after each burst of writes (the publisher after each duty cycle), not after every record, so that a
     * batch of frames costs one system call. Does nothing for a log made without waking readers. Never waits.
     */
    public void signal()
    {
        if (wakesReaders && framesSignalled != framesWritten)
        {
            framesSignalled = framesWritten;
            wake();
        }
    }

    private void wake()
    {
        header.putIntVolatile(ShmLogDescriptor.WAKE_OFFSET, header.getInt(ShmLogDescriptor.WAKE_OFFSET) + 1);
        final int woken = Futex.wakeAll(wakeAddress);
        wakeCalls++;
        if (woken > 0)
        {
            readersWoken += woken;
        }
    }

    /**
     * Whether {@link #signal()} wakes waiting readers (asked for, and futexes available here).
     *
     * @return true if readers sleep until woken, false if they look on their timer.
     */
    public boolean wakesReaders()
    {
        return wakesReaders;
    }

    /**
     * Marks the log closed (its readers deliver what it holds and then wait for a new publisher), unmaps it and
     * removes the file, unless a newer publisher has put its own at the path. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        header.putIntVolatile(ShmLogDescriptor.STATE_OFFSET, ShmLogDescriptor.STATE_CLOSED);
        if (wakesReaders)
        {
            // Readers asleep learn now that the log ended, not at their next timeout.
            wake();
        }
        ShmLogFiles.unmapQuietly(mapped);
        try
        {
            final BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            if (Objects.equals(now.fileKey(), fileKey))
            {
                Files.delete(path);
            }
        }
        catch (final NoSuchFileException ex)
        {
            // removed already
        }
        catch (final IOException ex)
        {
            LOG.warn("shared memory {}: cannot remove it: {}", path, ShmLogFiles.describe(ex));
        }
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
     * Bytes of the ring.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * The largest aligned record the log takes.
     *
     * @return bytes.
     */
    public int maxRecordLength()
    {
        return maxRecord;
    }

    /**
     * Where the next record goes: bytes written since the start, padding included.
     *
     * @return the position.
     */
    public long position()
    {
        return tail;
    }

    /**
     * Frames written.
     *
     * @return the count.
     */
    public long framesWritten()
    {
        return framesWritten;
    }

    /**
     * Frames refused because they exceed the max record length (none when the capacity fits the batch limit).
     *
     * @return the count.
     */
    public long oversized()
    {
        return oversized;
    }

    /**
     * The writer's figures for a summary: {@code path}, {@code capacity}, {@code frames}, {@code payloadBytes},
     * {@code position}, {@code wraps} (times the ring wrapped), {@code oversized}, {@code wakesReaders},
     * {@code wakeCalls} (system calls to wake readers) and {@code readersWoken} (summed over those calls; a reader
     * busy reading when the writer signalled is not counted). Publisher thread, or after it ended.
     *
     * @return an ordered map.
     */
    public Map<String, Object> summary()
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("path", path.toString());
        summary.put("capacity", capacity);
        summary.put("frames", framesWritten);
        summary.put("payloadBytes", bytesWritten);
        summary.put("position", tail);
        summary.put("wraps", wraps);
        summary.put("oversized", oversized);
        summary.put("wakesReaders", wakesReaders);
        summary.put("wakeCalls", wakeCalls);
        summary.put("readersWoken", readersWoken);
        return summary;
    }
}
