package dev.feedhandler.publisher.source.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPInputStream;

/**
 * One thread that reads inputs ahead of the replay into a few fixed chunks per input: it waits on the disk or a pipe
 * (standard input) and inflates compressed files off the publisher's thread, so that the publisher's
 * {@link ByteSource#read} never blocks. Each input is a single-producer single-consumer ring of chunks
 * (this thread fills, the publisher's thread empties); nothing is allocated per chunk. The thread parks when every
 * ring is full and is woken when the consumer frees a chunk; it ends when every input has ended.
 * <p>
 * A read error (a corrupt archive) is kept and thrown by the consumer's read once the bytes before it are used up,
 * so the error is reported at the line where it happened.
 */
final class ReadAhead implements AutoCloseable
{
    /** Bytes per chunk. */
    static final int CHUNK_BYTES = 64 * 1024;
    /** Chunks per input: how far the reader may run ahead. */
    static final int CHUNKS = 4;

    private static final long PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long JOIN_MS = 1_000;
    private static final long FIRST_CHUNK_WAIT_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    private final String threadName;
    private final boolean joinOnClose;
    private final List<Input> inputs = new ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean parked;
    private Thread thread;

    /**
     * A reader whose thread will have the given name.
     *
     * @param threadName  the thread's name, such as {@code csv-reader}.
     * @param joinOnClose wait (up to a second) for the thread to end in {@link #close()}: true for files; false for
     *                    a pipe, whose read may never return and must not hold the publisher's shutdown.
     */
    ReadAhead(final String threadName, final boolean joinOnClose)
    {
        this.threadName = threadName;
        this.joinOnClose = joinOnClose;
    }

    /**
     * Adds an input; call before {@link #start()}.
     *
     * @param in        the stream; this reader closes it.
     * @param pipe      true for a pipe (standard input): each read hands over what has arrived at once, so a tool
     *                  writing a line at a time sees it published without waiting for a chunk to fill; false for a
     *                  file: chunks are filled.
     * @param sniffGzip inflate the stream if it starts with the gzip magic number.
     * @return the consumer's side.
     */
    ByteSource add(final InputStream in, final boolean pipe, final boolean sniffGzip)
    {
        if (thread != null)
        {
            throw new IllegalStateException("already started");
        }
        final Input input = new Input(in, pipe, sniffGzip);
        inputs.add(input);
        return input;
    }

    /**
     * Whether inputs were added.
     *
     * @return true if there is something to read.
     */
    boolean isEmpty()
    {
        return inputs.isEmpty();
    }

    /**
     * Starts the thread (a daemon: a pipe that never ends must not keep the process alive).
     */
    void start()
    {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits until every input has a full first chunk or has ended (start-up, cold path): a file smaller than a chunk
     * is then wholly in memory, its end known, before the first poll, so the replay of a small file does not depend on
     * how fast this thread was scheduled. Not for a pipe, which may stay silent for as long as it likes.
     *
     * @throws IllegalStateException if interrupted.
     */
    void awaitFirstChunks()
    {
        for (final Input input : inputs)
        {
            // A first chunk that is not full means the input ended in it: wait for that end to be flagged too.
            while (!input.ended && (input.produced.get() == 0 || input.lengths[0] < CHUNK_BYTES))
            {
                LockSupport.parkNanos(FIRST_CHUNK_WAIT_NS);
                if (Thread.interrupted())
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while opening the inputs");
                }
            }
        }
    }

    private void run()
    {
        final List<Input> inputs = this.inputs;
        try
        {
            while (running)
            {
                boolean open = false;
                boolean worked = false;
                for (int i = 0; i < inputs.size(); i++)
                {
                    final Input input = inputs.get(i);
                    if (input.ended)
                    {
                        continue;
                    }
                    open = true;
                    if (input.hasRoom())
                    {
                        input.fill();
                        worked = true;
                    }
                }
                if (!open)
                {
                    break;
                }
                if (!worked)
                {
                    parked = true;
                    if (running && !anyRoom())
                    {
                        LockSupport.parkNanos(this, PARK_NS);
                    }
                    parked = false;
                }
            }
        }
        finally
        {
            for (final Input input : inputs)
            {
                input.closeStream();
            }
        }
    }

    private boolean anyRoom()
    {
        for (final Input input : inputs)
        {
            if (!input.ended && input.hasRoom())
            {
                return true;
            }
        }
        return false;
    }

    private void wake()
    {
        if (parked)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Stops the thread, which closes the inputs as it ends. A thread blocked on a pipe that never delivers is left
     * behind (it is a daemon); a file reader is waited for, so its inputs are closed when this returns.
     */
    @Override
    public void close()
    {
        running = false;
        if (thread == null)
        {
            for (final Input input : inputs)
            {
                input.closeStream();
            }
            return;
        }
        LockSupport.unpark(thread);
        if (!joinOnClose)
        {
            return;
        }
        try
        {
            thread.join(JOIN_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** One input's ring of chunks. */
    private final class Input implements ByteSource
    {
        private final boolean pipe;
        private final byte[][] chunks = new byte[CHUNKS][CHUNK_BYTES];
        private final int[] lengths = new int[CHUNKS];
        private final AtomicLong produced = new AtomicLong();
        private final AtomicLong consumed = new AtomicLong();
        private InputStream in;
        private boolean sniffGzip;
        private volatile boolean ended;
        private volatile IOException failure;
        private long consumedPlain;
        private int readOffset;
        private boolean closed;

        Input(final InputStream in, final boolean pipe, final boolean sniffGzip)
        {
            this.in = in;
            this.pipe = pipe;
            this.sniffGzip = sniffGzip;
        }

        boolean hasRoom()
        {
            return produced.get() - consumed.get() < CHUNKS;
        }

        /** Reader thread: fills the next chunk, or marks the end. */
        void fill()
        {
            final long next = produced.get();
            final int slot = (int)(next % CHUNKS);
            final byte[] chunk = chunks[slot];
            int length = 0;
            boolean end = false;
            try
            {
                if (sniffGzip)
                {
                    sniffGzip = false;
                    in = sniff(in);
                }
                while (length < chunk.length)
                {
                    final int read = in.read(chunk, length, chunk.length - length);
                    if (read < 0)
                    {
                        end = true;
                        break;
                    }
                    length += read;
                    if (pipe && length > 0)
                    {
                        break;
                    }
                }
            }
            catch (final IOException ex)
            {
                failure = ex;
                end = true;
            }
            catch (final RuntimeException ex)
            {
                failure = new IOException(ex.toString(), ex);
                end = true;
            }
            if (length > 0)
            {
                lengths[slot] = length;
                produced.set(next + 1);
            }
            if (end)
            {
                closeStream();
                ended = true;
            }
        }

        private InputStream sniff(final InputStream raw) throws IOException
        {
            final PushbackInputStream in = new PushbackInputStream(raw, 2);
            final int first = in.read();
            if (first < 0)
            {
                return in;
            }
            final int second = in.read();
            if (second >= 0)
            {
                in.unread(second);
            }
            in.unread(first);
            return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, GZIP_BUFFER_BYTES) : in;
        }

        void closeStream()
        {
            if (closed)
            {
                return;
            }
            closed = true;
            try
            {
                in.close();
            }
            catch (final IOException ex)
            {
                if (failure == null)
                {
                    failure = ex;
                }
            }
        }

        @Override
        public int read(final byte[] destination, final int offset, final int length) throws IOException
        {
            final boolean end = ended;
            final long next = consumedPlain;
            if (next == produced.get())
            {
                if (!end)
                {
                    return 0;
                }
                final IOException failure = this.failure;
                if (failure != null)
                {
                    throw failure;
                }
                return END;
            }
            final int slot = (int)(next % CHUNKS);
            final int count = Math.min(length, lengths[slot] - readOffset);
            System.arraycopy(chunks[slot], readOffset, destination, offset, count);
            readOffset += count;
            if (readOffset == lengths[slot])
            {
                readOffset = 0;
                consumedPlain = next + 1;
                consumed.set(next + 1);
                wake();
            }
            return count;
        }

        @Override
        public void close()
        {
            // The reader thread owns the stream; ReadAhead.close() stops it.
        }
    }
}
