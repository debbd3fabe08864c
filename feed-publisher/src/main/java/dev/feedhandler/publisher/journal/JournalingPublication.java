package dev.feedhandler.publisher.journal;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.journal.JournalRecorder;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;

/**
 * Sends through the socket's publication, then, once the socket has taken the frame, hands the very same bytes
 * (topic, payload with its send timestamp) to the journal's ring with the time the send returned: a frame offered
 * again after back-pressure is journaled once, when it goes. The send never waits on the journal's disk writes;
 * with the ring full, the journal's {@link dev.feedhandler.journal.FullPolicy} decides. Publisher thread only.
 */
public final class JournalingPublication implements Publication
{
    private final Publication delegate;
    private final JournalRecorder journal;
    private final WallClock clock;

    /**
     * Decorates a publication.
     *
     * @param delegate where frames are sent.
     * @param journal  where they are journaled.
     * @param clock    epoch clock for the journal timestamp.
     */
    public JournalingPublication(final Publication delegate, final JournalRecorder journal, final WallClock clock)
    {
        this.delegate = delegate;
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final int result = delegate.send(topic, payload, offset, length);
        if (result == SENT)
        {
            journal.record(topic, topic.length, payload, offset, length, clock.nanoTime());
        }
        return result;
    }
}
