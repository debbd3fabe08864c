package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.ConflatedDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The way every frame goes through the rules (the {@link PlainRules} without a recovery service, the
 * {@link RecoveryRules} with one), and what the {@link TopicSequencer} delivers besides the live frame it was just
 * given: recovered frames, held frames released in order, a catching-up topic's merge into the live feed, notices of
 * their own, tails an audit found. Receiver thread only.
 */
final class Deliveries
{
    private final SequencerListener listener;
    private final SubscriberCounters counters;
    private final RecoveryTasks tasks;
    private final PlainRules plain;
    private final RecoveryRules rules;
    private final HeldFrames held;
    private final ConflatedRules conflated;
    private final Verdict released = new Verdict();
    private final FrameReader reader = new FrameReader();
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    /** Whether the frame {@link #recovered} last took was an end-of-session heartbeat (a stream's last page). */
    boolean recoveredEnd;

    Deliveries(final SequencerListener listener, final SubscriberCounters counters, final RecoveryTasks tasks,
        final PlainRules plain, final RecoveryRules rules, final HeldFrames held, final ConflatedRules conflated)
    {
        this.conflated = conflated;
        this.listener = listener;
        this.counters = counters;
        this.tasks = tasks;
        this.plain = plain;
        this.rules = rules;
        this.held = held;
    }

    /**
     * A recovered frame of a request still in progress: through the rules to the listener; a catching-up topic may
     * merge.
     */
    void recovered(final TopicState state, final byte[] frame, final int offset, final int length)
    {
        recoveredEnd = false;
        deliverLater(state, frame, offset, length, Verdict.RECOVERED);
        tryMerge(state);
    }

    /**
     * What the service no longer has, up to {@code to}: everything not delivered yet up to it is lost for good.
     */
    void unavailable(final TopicState state, final long to)
    {
        released.reset(Verdict.RECOVERED);
        released.kind = Verdict.NOTICE;
        plain.lostForGood(state, released, state.nextExpected, to, false);
        listener.onTopicEvent(state, released, null, 0, 0);
        tryMerge(state);
    }

    /**
     * A notice of its own: the rest of an earlier session is lost, or the range a gap fill did not recover.
     */
    void notice(final TopicState state, final boolean sessionLost)
    {
        released.reset(Verdict.RECOVERED);
        released.kind = Verdict.NOTICE;
        if (sessionLost)
        {
            plain.sessionLost(state, released);
        }
        else
        {
            plain.lostForGood(state, released, state.nextExpected, state.taskTo, false);
        }
        listener.onTopicEvent(state, released, null, 0, 0);
    }

    /**
     * A batch through the rules.
     */
    void batch(final TopicState state, final Verdict v, final long epoch, final long first, final int count,
        final int length, final DirectBuffer buffer, final int offset)
    {
        if (count == 0)
        {
            return;
        }
        if (rules == null)
        {
            plain.batch(state, v, epoch, first, count, length);
        }
        else
        {
            rules.batch(state, v, epoch, first, count, length, buffer, offset);
        }
    }

    /**
     * A heartbeat through the rules.
     */
    void heartbeat(final TopicState state, final Verdict v, final long epoch, final long last,
        final boolean end, final int length, final DirectBuffer buffer, final int offset)
    {
        if (rules == null)
        {
            plain.heartbeat(state, v, epoch, last, end);
        }
        else
        {
            rules.heartbeat(state, v, epoch, last, end, length, buffer, offset);
        }
    }

    /**
     * A conflated stream's message through the rules.
     */
    void conflated(final TopicState state, final Verdict v, final long epoch, final long from, final long to,
        final long quoteSequence, final int length, final DirectBuffer buffer, final int offset)
    {
        conflated.conflated(state, v, epoch, from, to, quoteSequence, length, buffer, offset);
    }

    /**
     * A catching-up topic whose stream reached what it holds merges into the live feed: the stream is cancelled and
     * the held frames go on through the rules.
     */
    private void tryMerge(final TopicState state)
    {
        if (state.mode != TopicState.CATCHING_UP || !held.any(state))
        {
            return;
        }
        final byte[] head = held.first(state);
        frameView.wrap(head);
        final FrameKind kind = reader.read(frameView, 0, head.length);
        final long next = kind == FrameKind.BATCH ? reader.batchHeader().firstSequence() :
            kind == FrameKind.HEARTBEAT ? reader.heartbeat().lastSequence() + 1 : Long.MAX_VALUE;
        if (reader.sessionEpoch() == state.sessionEpoch && next <= state.nextExpected)
        {
            rules.merge(state);
            release(state);
        }
    }

    /**
     * Delivers a topic's held frames in order through the rules, until one of them starts another recovery (it then
     * stays first in line).
     */
    void release(final TopicState state)
    {
        while (state.mode == TopicState.LIVE && held.any(state))
        {
            final byte[] frame = held.first(state);
            deliverLater(state, frame, 0, frame.length, Verdict.HELD_BACK);
            if (state.mode != TopicState.LIVE)
            {
                break;
            }
            held.removeFirst(state);
        }
        if (state.mode == TopicState.LIVE && !held.any(state) && state.auditedLast > 0)
        {
            if (state.auditedEpoch == state.sessionEpoch)
            {
                auditTail(state, state.auditedLast, state.auditEnd);
            }
            else
            {
                // The topic moved on to a newer session meanwhile: the audit was about the earlier one.
                state.auditedLast = 0;
            }
        }
    }

    /**
     * A frame that did not come straight from the feed (recovered, or held back) goes through the same rules, and
     * to the listener with its verdict.
     */
    private void deliverLater(final TopicState state, final byte[] frame, final int offset, final int length,
        final byte origin)
    {
        released.reset(origin);
        frameView.wrap(frame, offset, length);
        final FrameKind kind = reader.read(frameView, 0, length);
        switch (kind)
        {
            case BATCH:
            {
                final BatchHeaderDecoder header = reader.batchHeader();
                batch(state, released, header.sessionEpoch(), header.firstSequence(), header.updateCount(), length,
                    frameView, 0);
                break;
            }
            case HEARTBEAT:
            {
                final HeartbeatDecoder heartbeat = reader.heartbeat();
                final boolean end = heartbeat.flags().endOfSession();
                recoveredEnd |= end && origin == Verdict.RECOVERED;
                heartbeat(state, released, heartbeat.sessionEpoch(), heartbeat.lastSequence(), end, length,
                    frameView, 0);
                break;
            }
            case CONFLATED:
            {
                final ConflatedDecoder message = reader.conflated();
                conflated(state, released, message.sessionEpoch(), message.fromSequence(), message.toSequence(),
                    message.quoteSequence(), length, frameView, 0);
                break;
            }
            case SESSION_STATUS:
                counters.onDecodeError(DecodeError.UNEXPECTED_MESSAGE);
                break;
            default:
                counters.onDecodeError(reader.error());
                break;
        }
        if (released.kind != Verdict.NONE)
        {
            listener.onTopicEvent(state, released, frame, offset, length);
        }
    }

    /**
     * A tail the feed never announced (its last heartbeats were dropped too) is recovered like any gap: a small one
     * filled, a large one (a subscriber stopped for seconds) caught up by a stream. Without a tail, while the
     * session's end is unheard ({@code confirmEnd}: the feed went stale), the topic's last update is asked for again:
     * the service's fill of a topic that ended carries its end-of-session heartbeat, so a subscriber whose feed lost
     * only the end still learns it (the update itself is a duplicate, skipped; an answer without it reports nothing).
     */
    void auditTail(final TopicState state, final long last, final boolean confirmEnd)
    {
        state.auditedLast = 0;
        if (confirmEnd && !state.ended && last > 0 && last == state.nextExpected - 1)
        {
            tasks.fill(state, state.sessionEpoch, last, last);
        }
        else if (last >= state.nextExpected)
        {
            counters.onGap(last - state.nextExpected + 1);
            state.missingUpTo(state.sessionEpoch, last);
            released.reset(Verdict.LIVE);
            released.kind = Verdict.NOTICE;
            released.gap(state.nextExpected, last, false);
            listener.onTopicEvent(state, released, null, 0, 0);
            if (rules.catchesUp(last - state.nextExpected + 1))
            {
                tasks.catchUp(state);
            }
            else
            {
                tasks.fill(state, state.sessionEpoch, state.nextExpected, last);
            }
        }
    }
}
