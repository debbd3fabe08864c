package dev.feedhandler.publisher.recovery;

import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;

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
}
