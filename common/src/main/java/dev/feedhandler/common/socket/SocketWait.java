package dev.feedhandler.common.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.zeromq.ZMQ;

/**
 * Waits until one of a few JeroMQ sockets has a message to read, or a plain channel (a wake-up pipe) is readable: what
 * {@code ZMQ.Poller.poll} does, without its spin.
 * <p>
 * JeroMQ 0.6.0 wakes a socket's thread by writing a byte into a pipe and only then counting it
 * ({@code zmq.Signaler.send()}). The writer is another thread: an I/O thread, or for inproc the peer socket's thread.
 * A pipe write wakes the reader on the writer's core, and on a busy machine the reader preempts the writer between the
 * two steps. {@code ZMQ.Poller.poll} then finds the pipe readable, asks the socket for its events, which look at the
 * count only, finds none, and selects again at once, over and over, until the writer gets its core back: up to a time
 * slice of a thread that had work to do, spent spinning (docs/jeromq-tail.md, "The I/O thread's spin"). This wait does
 * the same selecting, and when a pipe is readable while no socket has input it parks for {@link #SETTLE_NS} instead
 * of selecting again at once, which gives the writer the core to finish on. Each such park is counted
 * ({@link #settles()}).
 * <p>
 * One thread only (the one that receives from the sockets). Its own code allocates nothing per wait (JeroMQ's event
 * check, as in any poll, may). Close it before the sockets it watches, or after: its selector goes with
 * {@link #close()}.
 */
public final class SocketWait implements AutoCloseable
{
    /** How long to give the core away when a wake-up pipe is readable and no socket has a message yet. */
    public static final long SETTLE_NS = TimeUnit.MICROSECONDS.toNanos(20);

    private final Selector selector;
    private final ZMQ.Socket[] sockets;
    private final SelectionKey[] channelKeys;
    private long settles;

    /**
     * Watches sockets and plain channels.
     *
     * @param sockets  JeroMQ sockets to wait for input on.
     * @param channels non-blocking channels to wait for readability on (may be empty).
     * @throws UncheckedIOException if the selector cannot be opened or a channel registered.
     */
    public SocketWait(final ZMQ.Socket[] sockets, final SelectableChannel... channels)
    {
        this.sockets = sockets.clone();
        this.channelKeys = new SelectionKey[channels.length];
        Selector opened = null;
        try
        {
            opened = Selector.open();
            for (final ZMQ.Socket socket : this.sockets)
            {
                socket.getFD().register(opened, SelectionKey.OP_READ);
            }
            for (int i = 0; i < channels.length; i++)
            {
                channelKeys[i] = channels[i].register(opened, SelectionKey.OP_READ);
            }
        }
        catch (final IOException ex)
        {
            closeQuietly(opened);
            throw new UncheckedIOException("cannot wait on the sockets: " + ex.getMessage(), ex);
        }
        this.selector = opened;
    }

    /**
     * Watches sockets only.
     *
     * @param sockets JeroMQ sockets to wait for input on.
     * @return the wait.
     */
    public static SocketWait of(final ZMQ.Socket... sockets)
    {
        return new SocketWait(sockets);
    }

    /**
     * Waits until a socket has a message to read or a channel is readable, or the time is up. Returns at once if a
     * socket already has input (also when its wake-up came before the call), or if the thread is interrupted.
     *
     * @param timeoutMs the longest wait, in milliseconds.
     * @return true if something is ready (or the thread is interrupted, or the context is closing); false if the
     *         time ran out.
     */
    public boolean await(final long timeoutMs)
    {
        if (anyInput())
        {
            return true;
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            final long remainingNs = deadline - System.nanoTime();
            if (remainingNs <= 0)
            {
                return false;
            }
            final int selected;
            try
            {
                selected = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNs + 999_999)));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("waiting on the sockets: " + ex.getMessage(), ex);
            }
            catch (final ClosedSelectorException ex)
            {
                return true;
            }
            if (channelSelected())
            {
                return true;
            }
            if (anyInput() || Thread.currentThread().isInterrupted())
            {
                return true;
            }
            if (selected > 0)
            {
                settles++;
                LockSupport.parkNanos(SETTLE_NS);
            }
        }
    }

    /**
     * How many times a wait found a wake-up pipe readable with no socket input, and parked for the writer.
     *
     * @return the count since this wait opened.
     */
    public long settles()
    {
        return settles;
    }

    /**
     * Closes the selector (the sockets and channels stay open).
     */
    @Override
    public void close()
    {
        closeQuietly(selector);
    }

    private boolean channelSelected()
    {
        final Set<SelectionKey> keys = selector.selectedKeys();
        boolean channel = false;
        for (final SelectionKey key : channelKeys)
        {
            channel |= keys.contains(key);
        }
        keys.clear();
        return channel;
    }

    private boolean anyInput()
    {
        for (final ZMQ.Socket socket : sockets)
        {
            final int events = socket.getEvents();
            if (events < 0 || (events & ZMQ.Poller.POLLIN) != 0)
            {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(final Selector selector)
    {
        if (selector != null)
        {
            try
            {
                selector.close();
            }
            catch (final IOException ignored)
            {
                // nothing to do: the selector's keys are gone either way
            }
        }
    }
}
