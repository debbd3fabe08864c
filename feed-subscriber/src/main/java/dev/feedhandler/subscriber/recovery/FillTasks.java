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
 * The recovery client's gap fills and snapshots: request and reply, page by page, taking turns. At most
 * {@value RecoveryClient#MAX_IN_FLIGHT} have a request outstanding, and at most {@value RecoveryClient#MAX_UNACKED}
 * pages wait for the receiver, so memory stays bounded whatever the size of a gap. Recovery client's thread only.
 */
final class FillTasks
{
    private static final Logger LOG = LoggerFactory.getLogger(FillTasks.class);

    private final ServiceProxy service;
    private final ReceiverProxy receiver;
    private final LongSupplier requestIds;
    private final LongSupplier snapshotRequestIds;
    private final long timeoutNs;
    private final Deque<ClientTask> queue = new ArrayDeque<>();
    private final Long2ObjectHashMap<ClientTask> inFlight = new Long2ObjectHashMap<>();
    private int unacked;

    FillTasks(final ServiceProxy service, final ReceiverProxy receiver, final LongSupplier requestIds,
        final LongSupplier snapshotRequestIds, final long timeoutNs)
    {
        this.service = service;
        this.receiver = receiver;
        this.requestIds = requestIds;
        this.snapshotRequestIds = snapshotRequestIds;
        this.timeoutNs = timeoutNs;
    }

    void add(final ClientTask task)
    {
        queue.addLast(task);
    }

    /**
     * Whether no gap fill or snapshot is waiting or asked for.
     *
     * @return true if none.
     */
    boolean isEmpty()
    {
        return queue.isEmpty() && inFlight.isEmpty();
    }

    /**
     * Sends the requests that may go now.
     *
     * @return requests sent.
     */
    int sendQueued(final long nowNs)
    {
        int sent = 0;
        while (!queue.isEmpty() && inFlight.size() < RecoveryClient.MAX_IN_FLIGHT &&
            unacked < RecoveryClient.MAX_UNACKED)
        {
            send(queue.pollFirst(), nowNs);
            sent++;
        }
        return sent;
    }

    private void send(final ClientTask task, final long nowNs)
    {
        task.requestId = (task.kind == ClientTask.SNAPSHOT ? snapshotRequestIds : requestIds).getAsLong();
        if (task.kind == ClientTask.GAP_FILL)
        {
            service.gapFill(task.topic, task.requestId, task.epoch, task.next, task.to);
        }
        else
        {
            service.snapshot(task.prefixes.get(task.prefix), task.requestId, task.next);
        }
        task.deadlineNs = nowNs + timeoutNs;
        task.owe(nowNs);
        inFlight.put(task.requestId, task);
    }

    /**
     * Forgets a task the receiver no longer wants.
     *
     * @return false if it is not one of these tasks (or it is over).
     */
    boolean cancel(final long id)
    {
        for (final ClientTask task : queue)
        {
            if (task.id == id)
            {
                queue.remove(task);
                receiver.done(task, RecoveryLink.CANCELLED);
                return true;
            }
        }
        for (final ClientTask task : inFlight.values())
        {
            if (task.id == id)
            {
                // A reply to it, if one comes, no longer matches an outstanding request.
                inFlight.remove(task.requestId);
                receiver.done(task, RecoveryLink.CANCELLED);
                return true;
            }
        }
        return false;
    }

    /**
     * The receiver handled a page: another may come.
     */
    void ack()
    {
        unacked = Math.max(0, unacked - 1);
    }

    /**
     * A reply, if it answers one of these requests.
     *
     * @return false if it does not.
     */
    boolean onReply(final byte[] topic, final List<byte[]> frames, final RecoveryResponseDecoder decoder)
    {
        final ClientTask task = inFlight.remove(decoder.requestId());
        if (task == null)
        {
            return false;
        }
        onReply(task, topic, frames, decoder);
        return true;
    }

    private void onReply(final ClientTask task, final byte[] topic, final List<byte[]> frames,
        final RecoveryResponseDecoder decoder)
    {
        final RecoveryStatus status = decoder.status();
        final long next = decoder.nextSequence();
        if (decoder.frameCount() != frames.size() - 1)
        {
            LOG.warn("recovery reply says {} frames and has {}; asking again", decoder.frameCount(), frames.size() - 1);
            queue.addFirst(task);
            return;
        }
        task.answered();
        switch (status)
        {
            case OK:
            case PARTIAL:
                forward(task, topic, frames);
                if (next != 0)
                {
                    continueWith(task, next);
                }
                else if (task.kind == ClientTask.SNAPSHOT && task.prefix + 1 < task.prefixes.size())
                {
                    task.prefix++;
                    continueWith(task, 0);
                }
                else
                {
                    receiver.done(task, RecoveryLink.ANSWERED);
                }
                break;
            case UNAVAILABLE:
                if (task.kind == ClientTask.GAP_FILL)
                {
                    receiver.unavailable(task, decoder.fromSequence(), decoder.toSequence());
                    // After the loss, what the reply still carries: the topic's end, where the range ran to it.
                    forward(task, topic, frames);
                }
                if (next != 0)
                {
                    continueWith(task, next);
                }
                else
                {
                    receiver.done(task, RecoveryLink.ANSWERED);
                }
                break;
            default:
                LOG.warn("recovery service refused a request for {}: {}", task, status);
                receiver.done(task, RecoveryLink.REFUSED);
                break;
        }
    }

    private void forward(final ClientTask task, final byte[] topic, final List<byte[]> frames)
    {
        if (frames.size() > 1)
        {
            receiver.page(task, topic, frames);
            unacked++;
        }
    }

    private void continueWith(final ClientTask task, final long next)
    {
        task.next = next;
        // Take turns: the task goes behind the others queued.
        queue.addLast(task);
    }

    /**
     * A request that is late.
     *
     * @return the task, or null.
     */
    ClientTask expired(final long nowNs)
    {
        for (final ClientTask task : inFlight.values())
        {
            if (nowNs - task.deadlineNs >= 0)
            {
                return task;
            }
        }
        return null;
    }

    /**
     * How long until a request is late.
     *
     * @return at most {@code waitNs}.
     */
    long wait(final long nowNs, final long waitNs)
    {
        long wait = waitNs;
        for (final ClientTask task : inFlight.values())
        {
            wait = Math.min(wait, task.deadlineNs - nowNs);
        }
        return wait;
    }

    /**
     * A late request asked again on the same socket (the service answers the streams on it: it is slow, not gone).
     */
    void resend(final ClientTask task, final long nowNs)
    {
        if (inFlight.remove(task.requestId) == task)
        {
            send(task, nowNs);
        }
    }

    /**
     * Lazy Pirate: the socket was replaced; every outstanding request is sent again, in the order it was sent.
     */
    void resendAll(final long nowNs)
    {
        final List<ClientTask> again = new ArrayList<>(inFlight.values());
        again.sort((a, b) -> Long.compare(a.requestId, b.requestId));
        inFlight.clear();
        for (final ClientTask task : again)
        {
            send(task, nowNs);
        }
    }

    /**
     * The service does not answer: every task, outstanding or queued, fails.
     *
     * @return how many.
     */
    int failAll()
    {
        final List<ClientTask> all = new ArrayList<>(inFlight.values());
        all.addAll(queue);
        inFlight.clear();
        queue.clear();
        for (final ClientTask task : all)
        {
            receiver.done(task, RecoveryLink.NO_ANSWER);
        }
        return all.size();
    }
}
