package dev.feedhandler.publisher.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the recovery service's thread out of a long idle wait in its poller: a pipe whose read end the poller
 * watches beside the ROUTER socket. The service arms it before a long wait; the publisher's thread rings it when it
 * hands over a frame while it is armed (once per wait: the first frame after an idle spell), so the service drains
 * the hand-off ring before a burst can fill it, and an idle service needs no periodic wake-up to look at the ring.
 * {@link #wake()} rings it whatever its state (a closing service). Ringing allocates nothing.
 */
final class Doorbell implements AutoCloseable
{
    private final Pipe pipe;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final ByteBuffer bell = ByteBuffer.allocateDirect(1);
    private final ByteBuffer drain = ByteBuffer.allocateDirect(64);

    /**
     * Opens the pipe, both ends non-blocking.
     *
     * @throws UncheckedIOException if the pipe cannot be opened.
     */
    Doorbell()
    {
        try
        {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open the recovery service's wake-up pipe", ex);
        }
    }

    /**
     * The end a poller watches for reading.
     *
     * @return the pipe's read end.
     */
    SelectableChannel channel()
    {
        return pipe.source();
    }

    /**
     * Asks to be rung by the next frame handed over (the service, before it looks at the ring one last time and
     * waits).
     */
    void arm()
    {
        armed.set(true);
    }

    /**
     * Whether a ring is wanted. Any thread.
     *
     * @return true while armed.
     */
    boolean isArmed()
    {
        return armed.get();
    }

    /**
     * Rings if armed, and disarms: one ring per wait, however many frames follow. Any thread.
     *
     * @return true if it rang.
     */
    boolean ringIfArmed()
    {
        return armed.get() && armed.compareAndSet(true, false) && write();
    }

    /**
     * Rings whatever the state (the service should look at its state now: it is closing). Any thread.
     */
    void wake()
    {
        armed.set(false);
        write();
    }

    /**
     * Disarms and empties the pipe (the service, after its wait).
     *
     * @return bytes read: how many rings there were since the last call (at most a few).
     */
    int reset()
    {
        armed.set(false);
        int read = 0;
        try
        {
            int n;
            do
            {
                drain.clear();
                n = pipe.source().read(drain);
                read += Math.max(n, 0);
            }
            while (n > 0);
        }
        catch (final IOException ex)
        {
            // Closed under us: nothing to empty.
        }
        return read;
    }

    private boolean write()
    {
        bell.clear();
        try
        {
            // A full pipe (write returns 0) is rung already.
            pipe.sink().write(bell);
            return true;
        }
        catch (final IOException ex)
        {
            // Closed: the service is gone and wants no wake-up.
            return false;
        }
    }

    /**
     * Closes both ends.
     */
    @Override
    public void close()
    {
        try
        {
            pipe.sink().close();
        }
        catch (final IOException ex)
        {
            // Nothing to do for a pipe that failed to close.
        }
        try
        {
            pipe.source().close();
        }
        catch (final IOException ex)
        {
            // Nothing to do for a pipe that failed to close.
        }
    }
}
