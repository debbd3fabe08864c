package dev.feedhandler.common.counters;

import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.event.Level;

import java.nio.ByteBuffer;

/**
 * The one error path of a process: every error of every thread is recorded in one Agrona {@link DistinctErrorLog}
 * (in the counters file, where {@code feed stat --errors} reads it), which keeps each distinct error (same class,
 * message and stack trace) once, with its count and the times it was first and last seen. The first observation
 * of a distinct error is logged with its stack trace; repeats are counted, not logged (at DEBUG only), so a fault
 * that repeats per update cannot flood the log. Each thread gets its own handler ({@link #handler}) whose
 * {@link CountedErrorHandler} counts that thread's errors in a counter of its own.
 */
public final class ErrorLog
{
    /** Default bytes of the log: room for some hundreds of distinct stack traces. */
    public static final int DEFAULT_LENGTH_BYTES = 1 << 20;

    /** What recording an error found. */
    public enum Observation
    {
        /** The first time this error was seen: log it. */
        NEW,
        /** Seen before: its count went up. */
        REPEAT,
        /** The log had no room for a new distinct error: counted by its thread's counter only. */
        NO_SPACE
    }

    private static final String REPEATS = " (repeats of this error are counted, not logged)";

    private final AtomicBuffer buffer;
    private final DistinctErrorLog log;
    private int end;
    private boolean fullReported;

    /**
     * A log over a buffer (a section of a counters file).
     *
     * @param buffer where the records go; 8-byte aligned.
     * @param clock  the time of observations.
     */
    public ErrorLog(final AtomicBuffer buffer, final EpochClock clock)
    {
        this.buffer = buffer;
        this.log = new DistinctErrorLog(buffer, clock);
    }

    /**
     * A log in memory, for a process without a counters file (an embedded library, a test).
     *
     * @param lengthBytes its size.
     * @return the log.
     */
    public static ErrorLog inMemory(final int lengthBytes)
    {
        return new ErrorLog(new UnsafeBuffer(ByteBuffer.allocateDirect(lengthBytes)), SystemEpochClock.INSTANCE);
    }

    /**
     * Records an error. Safe from any thread; cold path (it compares stack traces).
     *
     * @param error the error.
     * @return whether it was new, a repeat, or found no room.
     */
    public synchronized Observation record(final Throwable error)
    {
        if (!log.record(error))
        {
            return Observation.NO_SPACE;
        }
        // Every record goes through here: a record appended by this call is the new distinct error.
        boolean appended = false;
        int length;
        while (end + Integer.BYTES <= buffer.capacity() &&
            (length = buffer.getIntVolatile(end + DistinctErrorLog.LENGTH_OFFSET)) > 0)
        {
            end = BitUtil.align(end + length, DistinctErrorLog.RECORD_ALIGNMENT);
            appended = true;
        }
        return appended ? Observation.NEW : Observation.REPEAT;
    }

    /**
     * Whether a full log was already reported, and marks it reported.
     */
    private synchronized boolean firstNoSpace()
    {
        final boolean first = !fullReported;
        fullReported = true;
        return first;
    }

    /**
     * The error handler of one thread: counts each error in {@code counter}, records it here, and logs it the first
     * time it is seen.
     *
     * @param logger  the logger of the code that fails (so the lines keep their logger's name).
     * @param level   {@link Level#ERROR} or {@link Level#WARN}.
     * @param what    the line to log with the error, such as {@code "listener threw; delivery continues"}; or null
     *                to log the error's own message.
     * @param counter the thread's error counter (one writer: that thread).
     * @return the handler.
     */
    public CountedErrorHandler handler(final Logger logger, final Level level, final String what,
        final AtomicCounter counter)
    {
        return new CountedErrorHandler(loggingHandler(logger, level, what), counter);
    }

    /**
     * The handler of {@link #handler} without a counter.
     *
     * @param logger the logger of the code that fails.
     * @param level  {@link Level#ERROR} or {@link Level#WARN}.
     * @param what   the line to log with the error, or null for the error's own message.
     * @return the handler.
     */
    public ErrorHandler loggingHandler(final Logger logger, final Level level, final String what)
    {
        return error ->
        {
            final String line = what != null ? what : String.valueOf(error.getMessage());
            switch (record(error))
            {
                case NEW:
                    if (level == Level.WARN)
                    {
                        logger.warn(line + REPEATS, error);
                    }
                    else
                    {
                        logger.error(line + REPEATS, error);
                    }
                    break;
                case NO_SPACE:
                    if (firstNoSpace())
                    {
                        logger.error("{} (the error log of {} bytes is full: further new errors are counted, not " +
                            "logged)", line, buffer.capacity(), error);
                        break;
                    }
                    logger.debug(line, error);
                    break;
                default:
                    logger.debug(line, error);
                    break;
            }
        };
    }

    /**
     * Reads every distinct error recorded: count, first and last time, and the stack trace. Safe from any thread.
     *
     * @param consumer gets each error.
     * @return how many distinct errors.
     */
    public int read(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(buffer, consumer);
    }

    /**
     * The buffer the records are in.
     *
     * @return the buffer.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }
}
