package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.codec.SnapshotEntryDecoder;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.recovery.RecoveryLink;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The receiver's side of recovery: decides, for the frames the plain sequence rules cannot deliver at once, whether
 * to recover (a gap, a heartbeat ahead, the rest of a session that ended without a word, a beginning missed), holds
 * a recovering topic's later live frames back, hands tasks to the recovery client over the link, and delivers what
 * comes back in order, then the held frames. What cannot be recovered is reported in its place. Other topics are
 * never held. Receiver thread only; it allocates only while a topic is recovering (held copies, link messages).
 * <p>
 * A topic is in one of three modes ({@link TopicState}): live; recovering (a gap fill, or the rest of an earlier
 * session, is in flight); awaiting a snapshot (its first frame showed that its beginning was missed: the subscriber
 * joined late, or the publisher restarted and its first updates went by). In the last two, its live frames wait in
 * arrival order, bounded by a total of held bytes; past the bound the topic's recovery is given up, reported
 * unrecoverable, and what is held is delivered.
 */
final class RecoveryCoordinator
{
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryCoordinator.class);

    private final FeedReceiver receiver;
    private final ZMQ.Socket link;
    private final SubscriberCounters counters;
    private final long maxHeldBytes;
    private final List<byte[]> prefixes;
    private final RecoveryLink header = new RecoveryLink();
    private final RecoveryReader reader = new RecoveryReader();
    private final Long2ObjectHashMap<TopicState> tasks = new Long2ObjectHashMap<>();
    private final List<TopicState> awaiting = new ArrayList<>();
    private final ArrayDeque<TopicState> givenUp = new ArrayDeque<>();
    private long lastTask;
    private long snapshotTask;
    private boolean snapshotAudit;
    private boolean auditWanted;
    private long newestEpoch;
    private long startSeen;
    private long statusEpoch;
    private long snapshotGeneration;
    private long heldBytes;
    private int outstanding;

    RecoveryCoordinator(final FeedReceiver receiver, final ZMQ.Socket link, final SubscriberCounters counters,
        final long maxHeldBytes, final List<byte[]> prefixes)
    {
        this.receiver = receiver;
        this.link = link;
        this.counters = counters;
        this.maxHeldBytes = maxHeldBytes;
        this.prefixes = prefixes;
    }

    /**
     * Whether tasks are in flight, so the receiver must watch the link.
     */
    boolean busy()
    {
        return outstanding > 0;
    }

    /**
     * Whether nothing is being recovered, awaited or held back.
     */
    boolean idle()
    {
        return outstanding == 0 && heldBytes == 0 && awaiting.isEmpty();
    }

    ZMQ.Socket link()
    {
        return link;
    }

    /**
     * Whether a batch is this class's business rather than the plain rules': the topic is not live, the batch is of
     * another session, or it leaves a gap. A recovered batch is delivered while its topic recovers.
     */
    boolean intercepts(final TopicState state, final long epoch, final long first, final byte origin)
    {
        if (origin == BatchEvent.DELIVERY_RECOVERED)
        {
            return epoch != state.sessionEpoch || first > state.nextExpected;
        }
        return state.mode != TopicState.LIVE || epoch != state.sessionEpoch || first > state.nextExpected;
    }

    /**
     * Whether a heartbeat is this class's business: the topic is not live, the heartbeat is of another session, or it
     * is ahead of what was delivered (tail loss).
     */
    boolean interceptsHeartbeat(final TopicState state, final long epoch, final long last)
    {
        return state.mode != TopicState.LIVE || epoch != state.sessionEpoch || last >= state.nextExpected;
    }

    void onBatch(final TopicState state, final BatchEvent event, final int length, final byte origin,
        final long epoch, final long first)
    {
        if (origin != BatchEvent.DELIVERY_RECOVERED && state.mode != TopicState.LIVE)
        {
            hold(state, event, length, origin);
            return;
        }
        if (state.sessionEpoch != 0 && epoch < state.sessionEpoch)
        {
            receiver.deliverBatch(state, event, length, origin);
            return;
        }
        if (epoch != state.sessionEpoch)
        {
            if (origin == BatchEvent.DELIVERY_RECOVERED || !newSession(state, event, length, origin, epoch, first == 1))
            {
                return;
            }
        }
        if (first > state.nextExpected && !gap(state, event, length, origin, first - 1))
        {
            return;
        }
        receiver.deliverBatch(state, event, length, origin);
    }

    void onHeartbeat(final TopicState state, final BatchEvent event, final int length, final byte origin,
        final long epoch, final long last)
    {
        if (state.mode != TopicState.LIVE)
        {
            hold(state, event, length, origin);
            return;
        }
        if (state.sessionEpoch != 0 && epoch < state.sessionEpoch)
        {
            receiver.deliverHeartbeat(state, event);
            return;
        }
        if (epoch != state.sessionEpoch && !newSession(state, event, length, origin, epoch, last == 0))
        {
            return;
        }
        if (last >= state.nextExpected && !gap(state, event, length, origin, last))
        {
            return;
        }
        receiver.deliverHeartbeat(state, event);
    }

    /**
     * Updates {@code nextExpected} to {@code to} of the topic are missing. A recovered frame, or one released after a
     * give-up, makes them unrecoverable at once; otherwise they are recovered and the frame waits.
     *
     * @return true to deliver the frame now.
     */
    private boolean gap(final TopicState state, final BatchEvent event, final int length, final byte origin,
        final long to)
    {
        final long from = state.nextExpected;
        final long missing = to - from + 1;
        if (origin == BatchEvent.DELIVERY_RECOVERED || state.giveUp)
        {
            if (origin != BatchEvent.DELIVERY_RECOVERED)
            {
                counters.onGap(missing);
            }
            counters.onUnrecoverable(missing);
            event.gap(from, to, true);
            state.nextExpected = to + 1;
            return true;
        }
        counters.onGap(missing);
        event.kind = BatchEvent.NOTICE;
        event.gap(from, to, false);
        startFill(state, state.sessionEpoch, from, to);
        hold(state, event, length, origin);
        return false;
    }

    /**
     * The first frame of a newer session (or the first frame of the topic at all). The rest of an earlier session
     * that ended without a word is fetched first; a session whose beginning was missed starts from a snapshot.
     *
     * @return true if the topic is now in the new session and the frame goes on through the rules.
     */
    private boolean newSession(final TopicState state, final BatchEvent event, final int length, final byte origin,
        final long epoch, final boolean fromTheStart)
    {
        final long old = state.sessionEpoch;
        newestEpoch = Math.max(newestEpoch, epoch);
        if (old != 0 && !state.ended)
        {
            if (!state.giveUp)
            {
                startFill(state, old, state.nextExpected, WireFormat.SEQUENCE_TO_END);
                hold(state, event, length, origin);
                return false;
            }
            lost(state, event);
        }
        state.sessionEpoch = epoch;
        state.nextExpected = 1;
        state.ended = false;
        if (old != 0)
        {
            counters.onEpochChange();
        }
        if (fromTheStart || state.giveUp || epoch == startSeen)
        {
            // Updates from 1 that did not arrive are a gap (recovered), not a late join: this subscriber was there.
            return true;
        }
        state.mode = TopicState.AWAITING_SNAPSHOT;
        state.awaitingSince = snapshotGeneration;
        awaiting.add(state);
        if (snapshotTask == 0)
        {
            requestSnapshot(false);
        }
        hold(state, event, length, origin);
        return false;
    }

    /**
     * A session status: if the first one of a session this subscriber gets was sent before any update, it saw the
     * session from its start, and a topic of it first seen after its first updates lost them (a gap to recover)
     * rather than joined late (a snapshot to start from).
     *
     * @param epoch            the session.
     * @param publishedUpdates updates the publisher had sent when it sent the status.
     */
    void onSessionStatus(final long epoch, final long publishedUpdates)
    {
        if (epoch > statusEpoch)
        {
            statusEpoch = epoch;
            if (publishedUpdates == 0)
            {
                startSeen = epoch;
            }
        }
    }

    /**
     * Asks the service for every topic's last sequence number and recovers what the feed never announced: the end
     * of a session whose last heartbeats (and perhaps its end) the feed dropped. Called when the publisher says the
     * session ended, and when the feed goes stale in an open session.
     *
     * @param endedEpoch the newest session the publisher said ended, 0 if none.
     * @param stale      whether the feed just went stale (no audit then if the session ended).
     */
    void audit(final long endedEpoch, final boolean stale)
    {
        if (stale && (newestEpoch == 0 || endedEpoch >= newestEpoch))
        {
            return;
        }
        if (snapshotTask == 0)
        {
            requestSnapshot(true);
        }
        else
        {
            auditWanted = true;
        }
    }

    private void lost(final TopicState state, final BatchEvent event)
    {
        counters.onSessionLost();
        event.sessionLost(state.sessionEpoch, state.nextExpected - 1);
        state.ended = true;
        if (event.kind == BatchEvent.NONE)
        {
            event.kind = BatchEvent.NOTICE;
        }
    }

    private void startFill(final TopicState state, final long epoch, final long from, final long to)
    {
        final long task = ++lastTask;
        state.mode = TopicState.RECOVERING;
        state.task = task;
        state.taskEpoch = epoch;
        state.taskFrom = from;
        state.taskTo = to;
        tasks.put(task, state);
        outstanding++;
        counters.onRecoveryStarted();
        link.send(RecoveryLink.header(RecoveryLink.GAP_FILL, task, epoch, from, to), ZMQ.SNDMORE);
        link.send(state.bytes, 0);
    }

    private void requestSnapshot(final boolean audit)
    {
        snapshotGeneration++;
        snapshotAudit = audit;
        snapshotTask = ++lastTask;
        outstanding++;
        link.send(RecoveryLink.header(RecoveryLink.SNAPSHOT, snapshotTask, 0, 0, 0),
            prefixes.isEmpty() ? 0 : ZMQ.SNDMORE);
        for (int i = 0; i < prefixes.size(); i++)
        {
            link.send(prefixes.get(i), i < prefixes.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    private void hold(final TopicState state, final BatchEvent event, final int length, final byte origin)
    {
        if (origin == BatchEvent.DELIVERY_HELD_BACK)
        {
            // A released frame that cannot go yet: it is still first in line.
            return;
        }
        if (state.held == null)
        {
            state.held = new ArrayDeque<>();
        }
        state.held.addLast(Arrays.copyOf(event.data, length));
        state.heldBytes += length;
        heldBytes += length;
        if (heldBytes > maxHeldBytes)
        {
            giveUp(state, event);
        }
    }

    /**
     * Too much is held back: report what the topic waits for as unrecoverable (on the frame being held, whose slot
     * is the current one) and deliver what is held once this frame is published.
     */
    private void giveUp(final TopicState state, final BatchEvent event)
    {
        LOG.warn("{}: more than {} bytes of live updates held back behind recoveries; giving up recovering {}",
            state.topic, maxHeldBytes, state.topic);
        counters.onGiveUp();
        if (state.mode == TopicState.RECOVERING)
        {
            cancel(state);
            if (state.taskTo == WireFormat.SEQUENCE_TO_END)
            {
                lost(state, event);
            }
            else if (state.nextExpected <= state.taskTo)
            {
                final long missing = state.taskTo - state.nextExpected + 1;
                counters.onUnrecoverable(missing);
                if (!event.hasGap())
                {
                    event.gap(state.nextExpected, state.taskTo, true);
                }
                else
                {
                    event.gapUnrecoverable = true;
                }
                event.kind = BatchEvent.NOTICE;
                state.nextExpected = state.taskTo + 1;
            }
        }
        else if (state.mode == TopicState.AWAITING_SNAPSHOT)
        {
            awaiting.remove(state);
        }
        state.mode = TopicState.LIVE;
        state.giveUp = true;
        givenUp.addLast(state);
    }

    private void cancel(final TopicState state)
    {
        tasks.remove(state.task);
        link.send(RecoveryLink.header(RecoveryLink.CANCEL, state.task, 0, 0, 0), 0);
        state.task = 0;
    }

    /**
     * After the frame being received is published: delivers what given-up topics hold.
     */
    void afterPublish()
    {
        while (!givenUp.isEmpty())
        {
            final TopicState state = givenUp.pollFirst();
            release(state);
            state.giveUp = false;
        }
    }

    /**
     * Delivers a topic's held frames in order through the rules, until one of them starts another recovery (it then
     * stays first in line).
     */
    private void release(final TopicState state)
    {
        while (state.mode == TopicState.LIVE && state.held != null && !state.held.isEmpty())
        {
            final byte[] frame = state.held.peekFirst();
            receiver.inject(state, frame, frame.length, BatchEvent.DELIVERY_HELD_BACK);
            if (state.mode != TopicState.LIVE)
            {
                break;
            }
            state.held.pollFirst();
            state.heldBytes -= frame.length;
            heldBytes -= frame.length;
        }
        if (state.held != null && state.held.isEmpty())
        {
            state.held = null;
        }
        if (state.mode == TopicState.LIVE && state.held == null && state.auditedLast > 0)
        {
            auditTail(state, state.auditedLast);
        }
    }

    /**
     * Handles what the client sent: recovered batches, snapshot entries, finished tasks.
     *
     * @return messages handled.
     */
    int drainLink()
    {
        int count = 0;
        byte[] first;
        while ((first = link.recv(ZMQ.DONTWAIT)) != null)
        {
            count++;
            final List<byte[]> frames = new ArrayList<>();
            while (link.hasReceiveMore())
            {
                frames.add(link.recv(0));
            }
            if (header.wrap(first) == null)
            {
                continue;
            }
            final long task = header.task();
            switch (header.type())
            {
                case RecoveryLink.PAGE:
                    onPage(task, frames);
                    ack(task);
                    break;
                case RecoveryLink.ENTRIES:
                    onEntries(task, frames);
                    ack(task);
                    break;
                case RecoveryLink.DONE:
                    onDone(task, header.epoch());
                    break;
                default:
                    break;
            }
        }
        return count;
    }

    private void ack(final long task)
    {
        link.send(RecoveryLink.header(RecoveryLink.ACK, task, 0, 0, 0), 0);
    }

    private void onPage(final long task, final List<byte[]> frames)
    {
        final TopicState state = tasks.get(task);
        if (state == null || frames.isEmpty() || !Arrays.equals(frames.get(0), state.bytes))
        {
            return;
        }
        for (int i = 1; i < frames.size() && state.task == task; i++)
        {
            final byte[] batch = frames.get(i);
            receiver.inject(state, batch, batch.length, BatchEvent.DELIVERY_RECOVERED);
        }
    }

    private void onEntries(final long task, final List<byte[]> frames)
    {
        if (task != snapshotTask)
        {
            return;
        }
        for (int i = 0; i + 1 < frames.size(); i += 2)
        {
            final TopicState state = receiver.find(frames.get(i));
            if (state == null || (state.mode != TopicState.AWAITING_SNAPSHOT && !snapshotAudit))
            {
                continue;
            }
            final byte[] entry = frames.get(i + 1);
            if (reader.read(new UnsafeBuffer(entry), 0, entry.length) != SnapshotEntryDecoder.TEMPLATE_ID)
            {
                counters.onDecodeError(reader.error());
                continue;
            }
            final SnapshotEntryDecoder decoder = reader.snapshotEntry();
            if (decoder.sessionEpoch() != state.sessionEpoch)
            {
                continue;
            }
            final long last = decoder.lastSequence();
            if (state.mode == TopicState.LIVE)
            {
                auditTail(state, last);
                continue;
            }
            if (state.mode != TopicState.AWAITING_SNAPSHOT)
            {
                // Recovering: its tail is checked once it is live again.
                state.auditedLast = Math.max(state.auditedLast, last);
                continue;
            }
            receiver.publishSnapshot(state, decoder.sessionEpoch(), last, decoder.quoteSequence(), entry,
                reader.quoteOffset());
            counters.onSnapshot();
            state.nextExpected = last + 1;
            state.seen = true;
            state.mode = TopicState.LIVE;
            awaiting.remove(state);
            release(state);
        }
    }

    /**
     * A tail the feed never announced (its last heartbeats were dropped too) is recovered like any gap.
     */
    private void auditTail(final TopicState state, final long last)
    {
        state.auditedLast = 0;
        if (last >= state.nextExpected)
        {
            counters.onGap(last - state.nextExpected + 1);
            receiver.publishNotice(state, state.nextExpected, last, false);
            startFill(state, state.sessionEpoch, state.nextExpected, last);
        }
    }

    private void onDone(final long task, final long outcome)
    {
        outstanding--;
        if (task == snapshotTask)
        {
            snapshotTask = 0;
            onSnapshotDone(outcome);
            return;
        }
        final TopicState state = tasks.remove(task);
        if (state == null || state.task != task)
        {
            return;
        }
        state.task = 0;
        if (outcome != RecoveryLink.ANSWERED)
        {
            counters.onRecoveryFailed();
        }
        if (state.taskTo == WireFormat.SEQUENCE_TO_END)
        {
            receiver.publishLost(state, state.sessionEpoch, state.nextExpected - 1);
            counters.onSessionLost();
            state.ended = true;
        }
        else if (state.nextExpected <= state.taskTo)
        {
            final long missing = state.taskTo - state.nextExpected + 1;
            counters.onUnrecoverable(missing);
            receiver.publishNotice(state, state.nextExpected, state.taskTo, true);
            state.nextExpected = state.taskTo + 1;
        }
        state.mode = TopicState.LIVE;
        release(state);
    }

    /**
     * A topic still waiting that was already waiting when the snapshot was asked for is not in it (or the snapshot
     * failed): it recovers its beginning instead, from 1. Topics that started waiting after the request ask again.
     */
    private void onSnapshotDone(final long outcome)
    {
        if (outcome != RecoveryLink.ANSWERED && !snapshotAudit)
        {
            counters.onRecoveryFailed();
        }
        final List<TopicState> waiting = new ArrayList<>(awaiting);
        for (final TopicState state : waiting)
        {
            if (state.awaitingSince < snapshotGeneration)
            {
                awaiting.remove(state);
                state.mode = TopicState.LIVE;
                release(state);
            }
        }
        if (!awaiting.isEmpty() || auditWanted)
        {
            requestSnapshot(auditWanted);
            auditWanted = false;
        }
    }
}
