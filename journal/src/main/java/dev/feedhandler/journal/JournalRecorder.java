package dev.feedhandler.journal;

import dev.feedhandler.common.concurrent.ParkingIdleStrategy;
import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hands frames to the journal without ever waiting on a disk write. The producer (the publisher's thread, or a
 * subscriber's receiver thread) copies each frame into a bounded lock-free ring (Agrona's
 * {@link OneToOneRingBuffer}); a journal thread (an Agrona {@link AgentRunner} that parks after every pass, 1 ms after
 * work and up to 4 ms while idle: it never spins nor yields) drains the ring into Chronicle Queue. When the ring is
 * full the {@link FullPolicy} decides: wait for room (the default, counted and timed) or drop and count. Closing
 * drains the ring before the queue is closed, so everything recorded before {@link #close()} is in the journal.
 * <p>
 * {@link #record} is called by one producer thread only and allocates nothing. Frames offered, dropped and waits are
 * {@link AtomicCounter}s written by the producer, frames and bytes written and failures by the journal thread (each
 * counter by one thread, in a slot of its own, in the process's counters that {@code feed stat} reads); the other
 * figures are for the producer thread, or for any thread once the producer has stopped. The journal thread's errors
 * go to its error handler: each distinct error is logged once, all are counted.
 */
public final class JournalRecorder implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalRecorder.class);
    private static final int MSG_TYPE_FRAME = 1;
    private static final long CLOSE_DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final JournalConfiguration configuration;
    private final SingleChronicleQueue queue;
    private final RingBuffer ring;
    private final AtomicBuffer ringBuffer;
    private final JournalWriterAgent agent;
    private final AtomicCounter written;
    private final AtomicCounter offered;
    private final AtomicCounter dropped;
    private final AtomicCounter waits;
    private final ErrorHandler errorHandler;
    /**
     * The journal thread's park after a pass that wrote: nothing reads the journal within a millisecond of the send
     * (replay and recovery serve older data, the recovery window the newest), and the ring holds far more than a
     * millisecond of any rate. The backing-off strategy this replaces (spin, yield, then park) kept the thread at 0.38
     * of a core at 1M updates/s over 50 instruments, spinning and yielding between frames; parking, 0.13
     * (docs/journal.md).
     */
    static final long PARK_AFTER_WORK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The journal thread's longest park, after idle passes in a row. */
    static final long PARK_MAX_NS = TimeUnit.MILLISECONDS.toNanos(4);

    private final IdleStrategy waitIdle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
    private final String threadName;
    private volatile AgentRunner runner;

    private long oversized;
    private long waitNs;
    private long waitMaxNs;
    private long lagMax;
    private boolean closed;
    private boolean threadLost;

    private JournalRecorder(final JournalConfiguration configuration, final SingleChronicleQueue queue,
        final Origin origin, final String threadName, final ProcessCounters counters, final JournalSpace space)
    {
        this.configuration = configuration;
        this.queue = queue;
        this.threadName = threadName;
        final int capacity = configuration.ringBytes() + RingBufferDescriptor.TRAILER_LENGTH;
        this.ringBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        this.ring = new OneToOneRingBuffer(ringBuffer);
        this.offered = counters.newCounter(CounterTypes.JOURNAL, threadName + ": frames offered");
        this.dropped = counters.newCounter(CounterTypes.JOURNAL, threadName + ": frames dropped");
        this.waits = counters.newCounter(CounterTypes.JOURNAL, threadName + ": waits for room");
        this.errorHandler = counters.errors().handler(LOG, Level.ERROR, null,
            counters.newCounter(CounterTypes.ERRORS, "errors: " + threadName + " thread"));
        this.agent = new JournalWriterAgent(queue, ring, origin, configuration.keepCycles(),
            configuration.directory(), threadName, counters, errorHandler,
            space != null ? space : JournalSpace.of(configuration.directory()), configuration.cachedBytes());
        this.written = agent.writtenCounter();
    }

    /**
     * Opens (creating if missing) the journal and prepares the handoff; call {@link #start()} to start the journal
     * thread.
     *
     * @param configuration where and how.
     * @param origin        {@link Origin#SENT} for a publisher, {@link Origin#RECEIVED} for a recording subscriber.
     * @param threadName    name of the journal thread.
     * @return the recorder, not started.
     * @throws JournalException if the journal cannot be opened for writing.
     */
    public static JournalRecorder open(final JournalConfiguration configuration, final Origin origin,
        final String threadName)
    {
        return open(configuration, origin, threadName, ProcessCounters.inMemory(threadName));
    }

    /**
     * Opens (creating if missing) the journal and prepares the handoff, its counters and its thread's error handler
     * in the process's counters; call {@link #start()} to start the journal thread.
     *
     * @param configuration where and how.
     * @param origin        {@link Origin#SENT} for a publisher, {@link Origin#RECEIVED} for a recording subscriber.
     * @param threadName    name of the journal thread, and of its counters.
     * @param counters      the process's counters and error log.
     * @return the recorder, not started.
     * @throws JournalException if the journal cannot be opened for writing.
     */
    public static JournalRecorder open(final JournalConfiguration configuration, final Origin origin,
        final String threadName, final ProcessCounters counters)
    {
        return open(configuration, origin, threadName, counters, null);
    }

    static JournalRecorder open(final JournalConfiguration configuration, final Origin origin,
        final String threadName, final ProcessCounters counters, final JournalSpace space)
    {
        final SingleChronicleQueue queue = JournalFiles.openForWriting(configuration);
        return new JournalRecorder(configuration, queue, origin, threadName, counters, space);
    }

    /**
     * Starts the journal thread. Frames recorded before are kept in the ring (up to its capacity).
     *
     * @return this.
     */
    public JournalRecorder start()
    {
        if (runner == null)
        {
            runner = new AgentRunner(
                new ParkingIdleStrategy(PARK_AFTER_WORK_NS, PARK_MAX_NS), this::onAgentError, null, agent);
            AgentRunner.startOnThread(runner, runnable ->
            {
                final Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                return thread;
            });
        }
        return this;
    }

    /**
     * Whether the journal thread runs: started, not closed, and alive (health probes). Safe from any thread.
     *
     * @return true while the thread runs.
     */
    public boolean isRunning()
    {
        final AgentRunner current = runner;
        final Thread thread = current == null ? null : current.thread();
        return current != null && !current.isClosed() && thread != null && thread != AgentRunner.TOMBSTONE &&
            thread.isAlive();
    }

    /** The journal thread ran and is gone (an error it did not survive): nothing will make room in the ring. */
    private boolean threadEnded()
    {
        final AgentRunner current = runner;
        final Thread thread = current == null ? null : current.thread();
        return thread != null && (thread == AgentRunner.TOMBSTONE || !thread.isAlive());
    }

    private void onAgentError(final Throwable ex)
    {
        errorHandler.onError(new JournalException("journal thread error; it goes on", ex));
    }

    /**
     * Largest frame (topic plus payload) the ring accepts.
     *
     * @return bytes.
     */
    public int maxFrameLength()
    {
        return ring.maxMsgLength() - JournalWriterAgent.RECORD_HEADER_LENGTH;
    }

    /**
     * Hands one frame to the journal: copies it into the ring, or, with the ring full, waits for room
     * ({@link FullPolicy#BLOCK}) or drops it and counts ({@link FullPolicy#DROP}). Producer thread only.
     *
     * @param topic              frame 0.
     * @param topicLength        bytes of {@code topic} to use.
     * @param payload            holds frame 1.
     * @param offset             where frame 1 starts.
     * @param length             frame 1 length.
     * @param journalTimestampNs when it was sent or received, epoch nanoseconds.
     * @return true if it is in the ring, false if it was dropped.
     */
    public boolean record(final byte[] topic, final int topicLength, final DirectBuffer payload, final int offset,
        final int length, final long journalTimestampNs)
    {
        final int recordLength = JournalWriterAgent.RECORD_HEADER_LENGTH + topicLength + length;
        if (recordLength > ring.maxMsgLength())
        {
            oversized++;
            dropped.incrementRelease();
            if (oversized == 1)
            {
                LOG.error("a frame of {} bytes is larger than the journal ring takes ({} bytes); it is not journaled " +
                    "(dropped and counted)", topicLength + length, maxFrameLength());
            }
            return false;
        }
        int index = ring.tryClaim(MSG_TYPE_FRAME, recordLength);
        if (index < 0)
        {
            if (configuration.fullPolicy() == FullPolicy.DROP || closed)
            {
                dropped.incrementRelease();
                return false;
            }
            index = awaitRoom(recordLength);
            if (index < 0)
            {
                dropped.incrementRelease();
                return false;
            }
        }
        ringBuffer.putLong(index + JournalWriterAgent.RECORD_TIMESTAMP_OFFSET, journalTimestampNs,
            JournalEntry.ORDER);
        ringBuffer.putInt(index + JournalWriterAgent.RECORD_TOPIC_LENGTH_OFFSET, topicLength, JournalEntry.ORDER);
        ringBuffer.putBytes(index + JournalWriterAgent.RECORD_HEADER_LENGTH, topic, 0, topicLength);
        ringBuffer.putBytes(index + JournalWriterAgent.RECORD_HEADER_LENGTH + topicLength, payload, offset, length);
        ring.commit(index);
        final long offeredCount = offered.incrementRelease() + 1;
        final long lag = offeredCount - written.get() - agent.failed();
        if (lag > lagMax)
        {
            lagMax = lag;
        }
        return true;
    }

    private int awaitRoom(final int recordLength)
    {
        final long startNs = System.nanoTime();
        waits.incrementRelease();
        waitIdle.reset();
        int index;
        while ((index = ring.tryClaim(MSG_TYPE_FRAME, recordLength)) < 0)
        {
            if (threadEnded())
            {
                // Nothing will ever make room: the producer goes on, the frame is dropped and counted.
                if (!threadLost)
                {
                    threadLost = true;
                    LOG.error("journal {}: the journal thread is not running; frames are dropped (counted)",
                        configuration.directory());
                }
                return -1;
            }
            waitIdle.idle();
        }
        final long waitedNs = System.nanoTime() - startNs;
        waitNs += waitedNs;
        if (waitedNs > waitMaxNs)
        {
            waitMaxNs = waitedNs;
        }
        return index;
    }

    /**
     * Why the journal writes nothing now (no room on its file system, or a write faulted), for health probes and
     * tests. Safe from any thread.
     *
     * @return the reason, or null while it writes.
     */
    public String stoppedReason()
    {
        return agent.suspended();
    }

    /**
     * Frames handed to the ring.
     *
     * @return the count.
     */
    public long offered()
    {
        return offered.get();
    }

    /**
     * Frames written to the journal.
     *
     * @return the count.
     */
    public long written()
    {
        return written.get();
    }

    /**
     * Bytes written to the journal: each entry's header, topic and payload (Chronicle's own framing excluded). Safe
     * from any thread.
     *
     * @return the count.
     */
    public long bytesWritten()
    {
        return agent.bytesWritten();
    }

    /** @return bytes behind the writer released from the page cache ({@code --journal-cached}); any thread. */
    public long releasedBytes()
    {
        return agent.releasedBytes();
    }

    /**
     * Bytes in use in the hand-off ring: frames recorded and not yet written. Safe from any thread.
     *
     * @return the bytes.
     */
    public long ringOccupancy()
    {
        return ring.size();
    }

    /**
     * Bytes the hand-off ring holds.
     *
     * @return the capacity.
     */
    public long ringCapacity()
    {
        return ring.capacity();
    }

    /**
     * Frames not journaled because the ring was full ({@link FullPolicy#DROP}) or the frame was too large.
     *
     * @return the count.
     */
    public long dropped()
    {
        return dropped.get();
    }

    /**
     * Frames the journal thread failed to write (errors are logged).
     *
     * @return the count.
     */
    public long failed()
    {
        return agent.failed();
    }

    /**
     * Times the producer found the ring full and waited ({@link FullPolicy#BLOCK}).
     *
     * @return the count.
     */
    public long waits()
    {
        return waits.get();
    }

    /**
     * Total time the producer waited for room.
     *
     * @return nanoseconds.
     */
    public long waitNs()
    {
        return waitNs;
    }

    /**
     * Most frames ever waiting in the ring for the journal thread, seen when a frame was handed over.
     *
     * @return the count.
     */
    public long lagMax()
    {
        return lagMax;
    }

    /**
     * Cycle files deleted by the retention.
     *
     * @return the count.
     */
    public long cyclesDeleted()
    {
        return agent.cyclesDeleted();
    }

    /**
     * The settings.
     *
     * @return the configuration.
     */
    public JournalConfiguration configuration()
    {
        return configuration;
    }

    /**
     * The {@code journal} object of a summary: {@code dir}, {@code written}, {@code dropped}, {@code failed},
     * {@code lagMax} (frames), {@code waits}, {@code waitMs}, {@code waitMaxUs}, the settings, {@code releasedBytes},
     * and {@code error} if a write failed. Call after the producer stopped (after {@link #close()} for final figures).
     *
     * @return an ordered map for the JSON writer.
     */
    public Map<String, Object> summary()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("dir", configuration.directory().toString());
        map.put("written", written());
        map.put("dropped", dropped());
        map.put("failed", failed());
        map.put("lagMax", lagMax);
        map.put("waits", waits());
        map.put("waitMs", Math.round(waitNs / 1e4) / 100.0);
        map.put("waitMaxUs", Math.round(waitMaxNs / 1e2) / 10.0);
        map.put("fullPolicy", configuration.fullPolicy().name().toLowerCase());
        map.put("rollCycle", JournalRollCycles.name(queue.rollCycle()));
        map.put("keepCycles", configuration.keepCycles());
        map.put("cyclesDeleted", cyclesDeleted());
        map.put("ringBytes", configuration.ringBytes());
        map.put("cachedBytes", configuration.cachedBytes() == JournalConfiguration.CACHED_ALL ? "all" :
            configuration.cachedBytes());
        map.put("releasedBytes", releasedBytes());
        if (oversized > 0)
        {
            map.put("oversized", oversized);
        }
        if (agent.lastError() != null)
        {
            map.put("error", agent.lastError());
        }
        return map;
    }

    /**
     * Lets the journal thread write everything in the ring, stops it and closes the queue. Call from the producer
     * thread (or after it stopped). Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (runner != null)
            {
                final long deadline = System.nanoTime() + CLOSE_DRAIN_TIMEOUT_NS;
                while (written.get() + agent.failed() < offered() && System.nanoTime() - deadline < 0 &&
                    !runner.isClosed())
                {
                    waitIdle.idle();
                }
                runner.close(5_000, thread -> LOG.warn("journal thread {} did not stop; interrupting it", thread));
            }
            else
            {
                // Never started: write what was recorded on this thread.
                agent.onStart();
                agent.onClose();
            }
        }
        finally
        {
            queue.close();
        }
        if (written.get() < offered())
        {
            LOG.error("journal {}: {} frame(s) handed over were not written ({} failed)", configuration.directory(),
                offered() - written.get(), agent.failed());
        }
    }
}
