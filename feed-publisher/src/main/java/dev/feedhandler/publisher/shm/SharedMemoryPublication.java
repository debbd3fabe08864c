package dev.feedhandler.publisher.shm;

import dev.feedhandler.common.shm.ShmLogWriter;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;

/**
 * Writes every frame into the shared-memory broadcast log, then sends it through the socket's publication and
 * returns the socket's code. A frame the socket refuses ({@link #BACK_PRESSURED}) is in the log already: its retry,
 * the next call by {@link Publication}'s contract, is not written a second time. The log
 * first: same-host readers see the frame without waiting for the socket's send, and the log never waits for anyone
 * (a reader that falls a whole ring behind is lapped and recovers what it skipped). Publisher thread only; allocates
 * nothing.
 */
public final class SharedMemoryPublication implements Publication
{
    private final Publication delegate;
    private final ShmLogWriter writer;
    private boolean retrying;

    /**
     * Decorates a publication.
     *
     * @param delegate the socket side.
     * @param writer   the log, owned by the caller.
     */
    public SharedMemoryPublication(final Publication delegate, final ShmLogWriter writer)
    {
        this.delegate = delegate;
        this.writer = writer;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        // A frame too long for the log is counted by the writer (oversized); the capacity check at start-up makes
        // every batch the batcher may send fit.
        if (!retrying)
        {
            writer.write(topic, payload, offset, length);
        }
        final int result = delegate.send(topic, payload, offset, length);
        retrying = result == BACK_PRESSURED;
        return result;
    }

    /**
     * The log written to.
     *
     * @return the writer.
     */
    public ShmLogWriter writer()
    {
        return writer;
    }
}
