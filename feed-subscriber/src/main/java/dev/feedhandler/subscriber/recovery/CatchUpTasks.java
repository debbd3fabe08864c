package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The recovery client's catch-up streams: at most {@value RecoveryClient#MAX_STREAMS} open (the rest wait their
 * turn), each with {@value RecoveryClient#STREAM_CREDIT} pages of credit: a page the receiver has handled gives the
 * service one more. A stream owes an answer (a page or a keep-alive) only while the service has credit; a stream
 * the service was too busy for is asked again a timeout later. Recovery client's thread only.
 */
final class CatchUpTasks
{
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpTasks.class);

    private final ServiceProxy service;
    private final ReceiverProxy receiver;
    private final LongSupplier requestIds;
    private final long timeoutNs;
    private final int retries;
    private final Deque<ClientTask> queue = new ArrayDeque<>();
    private final List<ClientTask> busy = new ArrayList<>();
    private final Long2ObjectHashMap<ClientTask> open = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<ClientTask> byId = new Long2ObjectHashMap<>();

    CatchUpTasks(final ServiceProxy service, final ReceiverProxy receiver, final LongSupplier requestIds,
        final long timeoutNs, final int retries)
    {
        this.service = service;
        this.receiver = receiver;
        this.requestIds = requestIds;
        this.timeoutNs = timeoutNs;
        this.retries = retries;
    }

    void add(final ClientTask task)
    {
        byId.put(task.id, task);
        queue.addLast(task);
    }

    /**
     * Whether no stream is waiting, open or waiting to be opened again.
     *
     * @return true if none.
     */
    boolean isEmpty()
    {
        return byId.isEmpty();
    }

    /**
     * Opens the streams that may open now.
     *
     * @return streams opened.
     */
    int openQueued(final long nowNs)
    {
        for (int i = busy.size() - 1; i >= 0; i--)
        {
            if (nowNs - busy.get(i).retryAtNs >= 0)
            {
                queue.addFirst(busy.remove(i));
            }
        }
        int opened = 0;
        while (!queue.isEmpty() && open.size() < RecoveryClient.MAX_STREAMS)
        {
            open(queue.pollFirst(), nowNs);
            opened++;
        }
        return opened;
    }

    private void open(final ClientTask task, final long nowNs)
    {
        task.requestId = requestIds.getAsLong();
        task.credit = Math.max(0, RecoveryClient.STREAM_CREDIT - task.unacked);
        service.catchUp(task.topic, task.requestId, task.epoch, task.next, task.to, task.credit);
        owe(task, nowNs);
        open.put(task.requestId, task);
    }

    /**
     * Ends a stream the receiver no longer wants.
     *
     * @return false if it is not a stream of this client's.
     */
    boolean cancel(final long id)
    {
        final ClientTask task = byId.get(id);
        if (task == null)
        {
            return false;
        }
        if (open.remove(task.requestId) == task)
        {
            service.credit(task.topic, task.requestId, 0, true);
        }
        queue.remove(task);
        busy.remove(task);
        done(task, RecoveryLink.CANCELLED);
        return true;
    }

    /**
     * The receiver handled a page of a stream: the service may send one more.
     */
    void ack(final long id, final long nowNs)
    {
        final ClientTask task = byId.get(id);
        if (task == null)
        {
            return;
        }
        task.unacked = Math.max(0, task.unacked - 1);
        if (open.get(task.requestId) == task)
        {
            service.credit(task.topic, task.requestId, 1, false);
            task.credit++;
            if (task.deadlineNs == 0)
            {
                owe(task, nowNs);
            }
        }
    }

    /**
     * A reply, if it is a stream's: a page goes to the receiver, an unavailable range is said, the last page ends the
     * stream.
     *
     * @return false if it is not a reply to an open stream.
     */
    boolean onReply(final byte[] topic, final List<byte[]> frames, final RecoveryResponseDecoder decoder,
        final long nowNs)
    {
        final ClientTask task = open.get(decoder.requestId());
        if (task == null)
        {
            return false;
        }
        final RecoveryStatus status = decoder.status();
        if (decoder.frameCount() != frames.size() - 1 || frames.size() > 2)
        {
            LOG.warn("catch-up page says {} frames and has {}; asking again", decoder.frameCount(), frames.size() - 1);
            open.remove(task.requestId);
            queue.addFirst(task);
            return true;
        }
        task.answered();
        switch (status)
        {
            case OK:
            case PARTIAL:
                if (frames.size() == 2)
                {
                    receiver.streamPage(task, topic, frames.get(1));
                    task.unacked++;
                    task.credit--;
                }
                continueOrEnd(task, status == RecoveryStatus.OK ? 0 : decoder.nextSequence(), nowNs);
                break;
            case UNAVAILABLE:
                receiver.unavailable(task, decoder.fromSequence(), decoder.toSequence());
                continueOrEnd(task, decoder.nextSequence(), nowNs);
                break;
            case BUSY:
                open.remove(task.requestId);
                if (++task.attempts > retries)
                {
                    LOG.warn("recovery service stayed too busy for {}", task);
                    done(task, RecoveryLink.REFUSED);
                }
                else
                {
                    task.retryAtNs = nowNs + timeoutNs;
                    busy.add(task);
                }
                break;
            default:
                LOG.warn("recovery service refused {}: {}", task, status);
                open.remove(task.requestId);
                done(task, RecoveryLink.REFUSED);
                break;
        }
        return true;
    }

    private void continueOrEnd(final ClientTask task, final long next, final long nowNs)
    {
        if (next == 0)
        {
            open.remove(task.requestId);
            done(task, RecoveryLink.ANSWERED);
            return;
        }
        task.next = next;
        owe(task, nowNs);
    }

    /**
     * A stream with credit owes pages: it is late after the timeout. Without credit it owes nothing.
     */
    private void owe(final ClientTask task, final long nowNs)
    {
        if (task.credit > 0)
        {
            task.deadlineNs = nowNs + timeoutNs;
            task.owe(nowNs);
        }
        else
        {
            task.deadlineNs = 0;
            task.owedSinceNs = ClientTask.NOT_OWED;
        }
    }

    /**
     * An open stream that owes an answer and is late.
     *
     * @return the stream, or null.
     */
    ClientTask expired(final long nowNs)
    {
        for (final ClientTask task : open.values())
        {
            if (task.deadlineNs != 0 && nowNs - task.deadlineNs >= 0)
            {
                return task;
            }
        }
        return null;
    }

    /**
     * How long until a stream is late or may ask again.
     *
     * @return at most {@code waitNs}.
     */
    long wait(final long nowNs, final long waitNs)
    {
        long wait = waitNs;
        for (final ClientTask task : open.values())
        {
            if (task.deadlineNs != 0)
            {
                wait = Math.min(wait, task.deadlineNs - nowNs);
            }
        }
        for (final ClientTask task : busy)
        {
            wait = Math.min(wait, task.retryAtNs - nowNs);
        }
        return wait;
    }

    /**
     * A stream silent for too long while the socket goes on hearing from the service: asked for again alone, on the
     * same socket, from where it is (the old request is cancelled; a page of it that still comes is dropped by its
     * request id), so the other streams keep the pages already on their way.
     */
    void reopen(final ClientTask task, final long nowNs)
    {
        if (open.remove(task.requestId) != task)
        {
            return;
        }
        service.credit(task.topic, task.requestId, 0, true);
        task.waits = 0;
        open(task, nowNs);
    }

    /**
     * Streams open (asked for, not ended).
     *
     * @return the count.
     */
    int openCount()
    {
        return open.size();
    }

    /**
     * Lazy Pirate: the socket was replaced; every open stream asks again from where it is.
     */
    void reopenAll(final long nowNs)
    {
        final List<ClientTask> again = new ArrayList<>(open.values());
        again.sort((a, b) -> Long.compare(a.requestId, b.requestId));
        open.clear();
        for (final ClientTask task : again)
        {
            open(task, nowNs);
        }
    }

    /**
     * The service does not answer: every stream, open or waiting, fails.
     *
     * @return how many.
     */
    int failAll()
    {
        final List<ClientTask> all = new ArrayList<>(open.values());
        all.addAll(queue);
        all.addAll(busy);
        open.clear();
        queue.clear();
        busy.clear();
        for (final ClientTask task : all)
        {
            done(task, RecoveryLink.NO_ANSWER);
        }
        return all.size();
    }

    private void done(final ClientTask task, final long outcome)
    {
        byId.remove(task.id);
        receiver.done(task, outcome);
    }
}
