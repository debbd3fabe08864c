package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

/**
 * The live frames topics hold back, in arrival order per topic (copies), and their bytes all topics together against
 * a bound. Receiver thread only.
 */
final class HeldFrames
{
    private final long maxBytes;
    private final SubscriberCounters counters;
    private final FrameReader reader = new FrameReader();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long bytes;

    HeldFrames(final long maxBytes, final SubscriberCounters counters)
    {
        this.maxBytes = maxBytes;
        this.counters = counters;
    }

    /**
     * Holds a copy of a frame, last in its topic's line.
     *
     * @return true if the bytes held, all topics together, are now over the bound.
     */
    boolean add(final TopicState state, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy, 0, length);
        if (state.held == null)
        {
            state.held = new ArrayDeque<>();
        }
        state.held.addLast(copy);
        state.heldBytes += length;
        bytes += length;
        return bytes > maxBytes;
    }

    boolean any(final TopicState state)
    {
        return state.held != null && !state.held.isEmpty();
    }

    byte[] first(final TopicState state)
    {
        return state.held.peekFirst();
    }

    void removeFirst(final TopicState state)
    {
        final byte[] frame = state.held.pollFirst();
        state.heldBytes -= frame.length;
        bytes -= frame.length;
        if (state.held.isEmpty())
        {
            state.held = null;
        }
    }

    /**
     * Lets go of everything a topic holds (it catches up instead), counting the updates let go; they are missing
     * until the stream brings them.
     */
    void letGo(final TopicState state)
    {
        if (state.held == null)
        {
            return;
        }
        long updates = 0;
        for (final byte[] frame : state.held)
        {
            view.wrap(frame);
            final FrameKind kind = reader.read(view, 0, frame.length);
            if (kind == FrameKind.BATCH)
            {
                final int count = reader.batchHeader().updateCount();
                updates += count;
                missing(state, reader.sessionEpoch(), reader.batchHeader().firstSequence() + count - 1);
            }
            else if (kind == FrameKind.HEARTBEAT)
            {
                missing(state, reader.sessionEpoch(), reader.heartbeat().lastSequence());
            }
        }
        counters.catchUp().onLiveDrop(updates);
        bytes -= state.heldBytes;
        state.heldBytes = 0;
        state.held = null;
    }

    private static void missing(final TopicState state, final long epoch, final long last)
    {
        if (epoch == state.sessionEpoch)
        {
            state.missingUpTo(epoch, last);
        }
    }

    /**
     * Bytes held, all topics together.
     *
     * @return the bytes.
     */
    long bytes()
    {
        return bytes;
    }
}
