package dev.feedhandler.journal;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.codec.SessionStatusDecoder;
import dev.feedhandler.common.concurrent.RingBuffers;
import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.WireFormat;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The journal thread's unit of work: drains the handoff ring into Chronicle Queue excerpts (one per frame, laid out
 * as {@link JournalEntry} describes), decoding each frame only to fill the entry's fixed header, and applies the
 * retention when a new cycle starts. A failed write is counted, logged and reported; the loop goes on. Below
 * {@link JournalSpace#MIN_FREE_BYTES} free on its file system (or after a write faulted on a mapped page) it writes
 * nothing and counts every frame as failed, so the producer never waits for a journal that cannot write; it writes
 * again once {@link JournalSpace#RESUME_FREE_BYTES} are free.
 */
final class JournalWriterAgent implements Agent, org.agrona.concurrent.MessageHandler
{
    /** Ring record: journal timestamp, topic length, then topic and payload back to back. */
    static final int RECORD_TIMESTAMP_OFFSET = 0;
    static final int RECORD_TOPIC_LENGTH_OFFSET = 8;
    static final int RECORD_HEADER_LENGTH = 12;

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriterAgent.class);
    private static final int DRAIN_LIMIT = 256;
    /** Reads of {@link #DRAIN_LIMIT} per duty cycle at most: the thread parks after every cycle, so a cycle drains. */
    private static final int MAX_READS_PER_CYCLE = 64;

    private final SingleChronicleQueue queue;
    private final RingBuffer ring;
    private final Origin origin;
    private final int keepCycles;
    private final Path directory;
    private final String name;
    private final FrameReader frameReader = new FrameReader();
    private final UnsafeBuffer header = new UnsafeBuffer(ByteBuffer.allocateDirect(JournalEntry.HEADER_LENGTH));
    private final long ringAddress;
    private final AtomicCounter written;
    private final AtomicCounter bytesWritten;
    private final AtomicCounter failed;
    private final AtomicCounter cyclesDeleted;
    private final AtomicCounter suspensions;
    private final ErrorHandler errorHandler;
    private final JournalSpace space;
    private final PageCacheRelease pageCache;
    private final AtomicCounter released;

    private ExcerptAppender appender;
    private int lastCycle = Integer.MIN_VALUE;
    private volatile String lastError;
    /** Why the journal writes nothing now, or null while it writes. Written by the journal thread only. */
    private volatile String suspended;
    private long failedWhenSuspended;
    private long resumeNotBeforeNs;
    /** A write faulted: Chronicle's write lock is left held, so this run writes no more. */
    private boolean faulted;

    JournalWriterAgent(final SingleChronicleQueue queue, final RingBuffer ring, final Origin origin,
        final int keepCycles, final Path directory, final String name, final ProcessCounters counters,
        final ErrorHandler errorHandler, final JournalSpace space, final long cachedBytes)
    {
        this.space = space;
        this.released = counters.newCounter(CounterTypes.JOURNAL, name + ": bytes released from the page cache");
        this.pageCache = new PageCacheRelease(cachedBytes, released);
        this.suspensions = counters.newCounter(CounterTypes.JOURNAL, name + ": stops for lack of space");
        this.written = counters.newCounter(CounterTypes.JOURNAL, name + ": frames written");
        this.bytesWritten = counters.newCounter(CounterTypes.JOURNAL, name + ": bytes written");
        this.failed = counters.newCounter(CounterTypes.JOURNAL, name + ": writes failed");
        this.cyclesDeleted = counters.newCounter(CounterTypes.JOURNAL, name + ": cycle files deleted");
        this.errorHandler = errorHandler;
        this.queue = queue;
        this.ring = ring;
        this.origin = origin;
        this.keepCycles = keepCycles;
        this.directory = directory;
        this.name = name;
        this.ringAddress = ring.buffer().addressOffset();
    }

    @Override
    public void onStart()
    {
        final String shortage = space.shortage(space.free());
        if (shortage != null)
        {
            suspend(shortage, System.nanoTime());
            return;
        }
        try
        {
            appender = queue.createAppender();
        }
        catch (final RuntimeException ex)
        {
            onError("cannot append to journal " + directory + ": " + JournalFiles.reason(ex), ex);
        }
    }

    @Override
    public int doWork()
    {
        final long nowNs = System.nanoTime();
        if (space.due(nowNs))
        {
            watchSpace(nowNs);
        }
        int read = 0;
        int last;
        int reads = 0;
        do
        {
            last = ring.read(this, DRAIN_LIMIT);
            read += last;
        }
        while (last == DRAIN_LIMIT && ++reads < MAX_READS_PER_CYCLE);
        if (read > 0 && appender != null)
        {
            final int cycle = appender.cycle();
            if (cycle != lastCycle)
            {
                lastCycle = cycle;
                applyRetention();
            }
            releasePages(nowNs);
        }
        return read;
    }

    private void releasePages(final long nowNs)
    {
        if (pageCache.due(nowNs))
        {
            final Wire wire = appender.wire();
            if (wire != null)
            {
                pageCache.afterWrite(appender.currentFile(), wire.bytes().writePosition(), nowNs);
            }
        }
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (appender == null)
        {
            failed.incrementRelease();
            return;
        }
        final long journalTimestampNs = buffer.getLong(index + RECORD_TIMESTAMP_OFFSET, JournalEntry.ORDER);
        final int topicLength = buffer.getInt(index + RECORD_TOPIC_LENGTH_OFFSET, JournalEntry.ORDER);
        final int topicIndex = index + RECORD_HEADER_LENGTH;
        final int payloadLength = length - RECORD_HEADER_LENGTH - topicLength;
        fillHeader(buffer, topicIndex + topicLength, payloadLength, topicLength, journalTimestampNs);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.unsafeWrite(header.addressOffset(), JournalEntry.HEADER_LENGTH);
            bytes.unsafeWrite(ringAddress + topicIndex, topicLength + payloadLength);
        }
        catch (final RuntimeException ex)
        {
            onError("journal write failed: " + JournalFiles.reason(ex), ex);
            return;
        }
        catch (final InternalError ex)
        {
            // A fault on a mapped page (SIGBUS): the file system could not back it. The entry it was writing keeps
            // Chronicle's write lock and an incomplete header, so not one more write in this run: an appender would
            // wait for that lock for ever (seen: the journal thread stuck, then the publisher behind it).
            failed.incrementRelease();
            faulted = true;
            appender = null;
            suspend("a write faulted on a mapped page (" + JournalSpace.mib(space.free()) + " free on " +
                space.where() + "); the journal is not written again in this run (a restart journals again, after " +
                "the entries before the fault)", System.nanoTime());
            return;
        }
        bytesWritten.getAndAddRelease(JournalEntry.HEADER_LENGTH + topicLength + payloadLength);
        written.incrementRelease();
    }

    private void fillHeader(final MutableDirectBuffer buffer, final int payloadIndex, final int payloadLength,
        final int topicLength, final long journalTimestampNs)
    {
        long epoch = 0;
        long sequence = 0;
        long sendTimestampNs = 0;
        int updateCount = 0;
        int flags = 0;
        int kind = JournalEntry.KIND_INVALID;
        final FrameKind frameKind = frameReader.read(buffer, payloadIndex, payloadLength);
        switch (frameKind)
        {
            case BATCH:
                final BatchHeaderDecoder batch = frameReader.batchHeader();
                kind = JournalEntry.KIND_BATCH;
                epoch = batch.sessionEpoch();
                sequence = batch.firstSequence();
                sendTimestampNs = batch.sendTimestampNs();
                updateCount = batch.updateCount();
                flags = buffer.getByte(
                    payloadIndex + WireFormat.HEADER_LENGTH + BatchHeaderDecoder.flagsEncodingOffset());
                break;
            case HEARTBEAT:
                final HeartbeatDecoder heartbeat = frameReader.heartbeat();
                kind = JournalEntry.KIND_HEARTBEAT;
                epoch = heartbeat.sessionEpoch();
                sequence = heartbeat.lastSequence();
                sendTimestampNs = heartbeat.sendTimestampNs();
                flags = buffer.getByte(
                    payloadIndex + WireFormat.HEADER_LENGTH + HeartbeatDecoder.flagsEncodingOffset());
                break;
            case SESSION_STATUS:
                final SessionStatusDecoder status = frameReader.sessionStatus();
                kind = JournalEntry.KIND_SESSION_STATUS;
                epoch = status.sessionEpoch();
                sendTimestampNs = status.sendTimestampNs();
                flags = status.stateRaw();
                break;
            default:
                break;
        }
        header.putByte(JournalEntry.VERSION_OFFSET, (byte)JournalEntry.VERSION);
        header.putByte(JournalEntry.KIND_OFFSET, (byte)kind);
        header.putByte(JournalEntry.ORIGIN_OFFSET, (byte)origin.code());
        header.putByte(JournalEntry.TOPIC_LENGTH_OFFSET, (byte)topicLength);
        header.putInt(JournalEntry.PAYLOAD_LENGTH_OFFSET, payloadLength, JournalEntry.ORDER);
        header.putLong(JournalEntry.SESSION_EPOCH_OFFSET, epoch, JournalEntry.ORDER);
        header.putLong(JournalEntry.SEQUENCE_OFFSET, sequence, JournalEntry.ORDER);
        header.putLong(JournalEntry.SEND_TIMESTAMP_OFFSET, sendTimestampNs, JournalEntry.ORDER);
        header.putLong(JournalEntry.JOURNAL_TIMESTAMP_OFFSET, journalTimestampNs, JournalEntry.ORDER);
        header.putShort(JournalEntry.UPDATE_COUNT_OFFSET, (short)updateCount, JournalEntry.ORDER);
        header.putByte(JournalEntry.FLAGS_OFFSET, (byte)flags);
        header.setMemory(JournalEntry.RESERVED_OFFSET, JournalEntry.HEADER_LENGTH - JournalEntry.RESERVED_OFFSET,
            (byte)0);
    }

    /**
     * Keeps the newest {@code keepCycles} cycle files and deletes the older ones, then tells Chronicle to re-read
     * the directory. Runs when the appender starts a cycle, so an older cycle is released by then.
     */
    private void applyRetention()
    {
        if (keepCycles <= 0)
        {
            return;
        }
        final List<Path> files = JournalFiles.cycleFiles(directory);
        final int excess = files.size() - keepCycles;
        if (excess <= 0)
        {
            return;
        }
        for (int i = 0; i < excess; i++)
        {
            try
            {
                Files.deleteIfExists(files.get(i));
                cyclesDeleted.incrementRelease();
                LOG.debug("deleted journal cycle {}", files.get(i));
            }
            catch (final IOException ex)
            {
                onError("cannot delete journal cycle " + files.get(i) + ": " + JournalFiles.reason(ex), ex);
            }
        }
        queue.refreshDirectoryListing();
    }

    private void watchSpace(final long nowNs)
    {
        final long free = space.free();
        if (free == JournalSpace.UNKNOWN)
        {
            return;
        }
        final String shortage = space.shortage(free);
        if (suspended == null && shortage != null)
        {
            suspend(shortage, nowNs);
        }
        else if (suspended != null && !faulted && free >= JournalSpace.RESUME_FREE_BYTES &&
            nowNs - resumeNotBeforeNs >= 0)
        {
            resume(free);
        }
    }

    private void suspend(final String reason, final long nowNs)
    {
        if (appender != null)
        {
            try
            {
                appender.close();
            }
            catch (final RuntimeException | InternalError ex)
            {
                LOG.debug("closing the appender of journal {}", directory, ex);
            }
            appender = null;
        }
        suspended = reason;
        failedWhenSuspended = failed.get();
        // Free space can hover around the bounds: at most one stop and start a second.
        resumeNotBeforeNs = nowNs + TimeUnit.SECONDS.toNanos(1);
        suspensions.incrementRelease();
        lastError = "journal " + directory + ": " + reason + "; frames are not journaled (counted as failed)" +
            (faulted ? "" : " until " + JournalSpace.mib(JournalSpace.RESUME_FREE_BYTES) + " are free") +
            "; the feed goes on";
        LOG.error(lastError);
    }

    private void resume(final long free)
    {
        try
        {
            appender = queue.createAppender();
        }
        catch (final RuntimeException | InternalError ex)
        {
            LOG.debug("journal {}: cannot append yet", directory, ex);
            return;
        }
        LOG.warn("journal {}: {} free again on {}; journaling again ({} frame(s) were not journaled meanwhile)",
            directory, JournalSpace.mib(free), space.where(), failed.get() - failedWhenSuspended);
        suspended = null;
    }

    private void onError(final String message, final Throwable ex)
    {
        failed.incrementRelease();
        lastError = message;
        errorHandler.onError(new JournalException(message, ex));
    }

    @Override
    public void onClose()
    {
        // Whatever the producer committed before close is still written, also across the ring's wrap point: the
        // audit trail is complete.
        RingBuffers.readAll(ring, this);
        pageCache.close();
        if (appender != null)
        {
            try
            {
                appender.close();
            }
            catch (final InternalError ex)
            {
                LOG.error("journal {}: closing faulted on a mapped page ({} free on {})", directory,
                    JournalSpace.mib(space.free()), space.where());
            }
        }
    }

    @Override
    public String roleName()
    {
        return name;
    }

    long written()
    {
        return written.get();
    }

    /**
     * Bytes of entries written (header, topic and payload), Chronicle's own framing excluded. Safe from any thread.
     */
    long bytesWritten()
    {
        return bytesWritten.get();
    }

    AtomicCounter writtenCounter()
    {
        return written;
    }

    long failed()
    {
        return failed.get();
    }

    long releasedBytes()
    {
        return released.get();
    }

    long cyclesDeleted()
    {
        return cyclesDeleted.get();
    }

    /**
     * Why the journal writes nothing now. Safe from any thread.
     *
     * @return the reason, or null while it writes.
     */
    String suspended()
    {
        return suspended;
    }

    String lastError()
    {
        return lastError;
    }
}
