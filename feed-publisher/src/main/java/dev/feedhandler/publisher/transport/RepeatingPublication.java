package dev.feedhandler.publisher.transport;

import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Packet repetition ({@code publish --repeat-batches}): every data batch goes to the socket twice, the copy right
 * after the original, so that a subscriber misses a batch only when both messages are lost. With two identical lines
 * each losing a fraction p of its messages independently, an update is missing on both lines with probability p⁴
 * instead of p² (at 1%: one in 10⁸ instead of one in 10⁴), so arbitration fills the gaps without the recovery
 * service. It costs twice the messages and bytes on the wire (with {@code --envelope}, twice the bytes only; the two
 * copies then travel in one message and a lost message loses both). Over tcp nothing is lost on the way: ZeroMQ
 * drops only when a subscriber's queue is full, which a second copy does not help. Heartbeats and session statuses
 * go once; the journal, the recovery window and the conflated stream see every batch once (this sits below them).
 * <p>
 * A copy the socket refuses ({@link #BACK_PRESSURED}, {@code --backpressure block}) is kept and offered before the
 * next frame, as {@link Publication} requires of a decorator; the frame that found it still waiting is refused in
 * turn and offered again by the caller. Publisher thread only; allocation-free once the copy buffer has grown.
 */
public final class RepeatingPublication implements Publication
{
    private final Publication delegate;
    private final ExpandableDirectByteBuffer waiting = new ExpandableDirectByteBuffer(1024);
    private byte[] waitingTopic;
    private int waitingLength = -1;
    private long repeated;

    /**
     * Decorates the socket's side.
     *
     * @param delegate where both copies go.
     */
    public RepeatingPublication(final Publication delegate)
    {
        this.delegate = delegate;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (waitingLength >= 0)
        {
            final int result = delegate.send(waitingTopic, waiting, 0, waitingLength);
            if (result == BACK_PRESSURED)
            {
                return BACK_PRESSURED;
            }
            waitingLength = -1;
            waitingTopic = null;
            if (result != SENT)
            {
                return result;
            }
            repeated++;
        }
        final int result = delegate.send(topic, payload, offset, length);
        if (result != SENT || !WireFormat.isDataBatch(topic, payload, offset, length))
        {
            return result;
        }
        final int again = delegate.send(topic, payload, offset, length);
        if (again == SENT)
        {
            repeated++;
        }
        else if (again == BACK_PRESSURED)
        {
            waiting.putBytes(0, payload, offset, length);
            waitingTopic = topic;
            waitingLength = length;
        }
        return SENT;
    }

    /**
     * Second copies handed to the socket (or kept off it by the drop hook below).
     *
     * @return the count.
     */
    public long repeated()
    {
        return repeated;
    }
}
