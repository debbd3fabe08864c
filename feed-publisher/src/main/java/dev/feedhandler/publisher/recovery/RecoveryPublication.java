package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Hands every frame the publisher sends to the recovery service's thread ({@link RecoveryHandoff}), <em>before</em>
 * sending it: whatever a subscriber can have seen, the service has been handed, so a request about it never outruns
 * the window. The price path never waits for the service: with the hand-off full the frame is sent anyway and
 * counted as not windowed (requests for it then fall back to the journal). A frame offered again after
 * back-pressure is handed over once, the first time. Publisher thread only; allocation-free.
 */
public final class RecoveryPublication implements Publication
{
    private final Publication delegate;
    private final RecoveryHandoff handoff;
    private boolean retrying;

    /**
     * Decorates a publication.
     *
     * @param delegate where frames are sent (the journal's decorator, or the socket).
     * @param handoff  the hand-off to the recovery service.
     */
    public RecoveryPublication(final Publication delegate, final RecoveryHandoff handoff)
    {
        this.delegate = delegate;
        this.handoff = handoff;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (!retrying)
        {
            handoff.offer(topic, payload, offset, length);
        }
        final int result = delegate.send(topic, payload, offset, length);
        retrying = result == BACK_PRESSURED;
        return result;
    }

    /**
     * Tells the recovery service of a topic before its first update, so that a late joiner's snapshot names it with
     * last sequence 0 (as the wire format's snapshot entry says) also while the publisher holds its source, e.g. for
     * {@code --await-subscribers}: a heartbeat at sequence 0 into the hand-off only, never onto the socket. Call it
     * from the thread that sends, before the first send (at start-up).
     *
     * @param topic        the topic.
     * @param sessionEpoch the session.
     * @param nowEpochNs   the time, epoch nanoseconds.
     */
    public void announce(final byte[] topic, final long sessionEpoch, final long nowEpochNs)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[WireFormat.HEARTBEAT_LENGTH]);
        final int length = new ControlWriter().heartbeat(frame, 0, sessionEpoch, 0, nowEpochNs, false);
        handoff.offer(topic, frame, 0, length);
    }
}
