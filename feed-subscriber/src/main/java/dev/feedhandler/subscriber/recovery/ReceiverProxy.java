package dev.feedhandler.subscriber.recovery;

import org.zeromq.ZMQ;

import java.util.List;

/**
 * Sends the recovery client's results to the receiver over the inproc link ({@link RecoveryLink}): pages of
 * recovered batches, catch-up pages, unavailable ranges, snapshot entries, finished tasks. Recovery client's thread
 * only.
 */
final class ReceiverProxy
{
    private final ZMQ.Socket link;

    ReceiverProxy(final ZMQ.Socket link)
    {
        this.link = link;
    }

    /**
     * A gap fill's page (frames after the response: the batches) or a snapshot's entries.
     *
     * @param frames the reply's frames: the response, then what it carries.
     */
    void page(final ClientTask task, final byte[] topic, final List<byte[]> frames)
    {
        final boolean fill = task.kind == ClientTask.GAP_FILL;
        link.send(RecoveryLink.header(fill ? RecoveryLink.PAGE : RecoveryLink.ENTRIES, task.id, 0, 0, 0),
            ZMQ.SNDMORE);
        if (fill)
        {
            link.send(topic, ZMQ.SNDMORE);
        }
        for (int i = 1; i < frames.size(); i++)
        {
            link.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    void streamPage(final ClientTask task, final byte[] topic, final byte[] page)
    {
        link.send(RecoveryLink.header(RecoveryLink.STREAM_PAGE, task.id, 0, 0, 0), ZMQ.SNDMORE);
        link.send(topic, ZMQ.SNDMORE);
        link.send(page, 0);
    }

    void unavailable(final ClientTask task, final long from, final long to)
    {
        link.send(RecoveryLink.header(RecoveryLink.UNAVAILABLE, task.id, 0, from, to), 0);
    }

    void done(final ClientTask task, final long outcome)
    {
        link.send(RecoveryLink.header(RecoveryLink.DONE, task.id, outcome, 0, 0), 0);
    }
}
