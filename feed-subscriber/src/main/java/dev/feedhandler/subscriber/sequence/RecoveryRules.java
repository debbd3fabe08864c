package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.DirectBuffer;

/**
 * The {@link TopicSequencer}'s rules for one frame, live or not, when there is a recovery service: they decide what
 * a frame means for its topic (it continues it, it shows a gap, it starts a newer session, it must wait), start the
 * recoveries that follow from it, hold what must wait, and leave the rest to the {@link PlainRules}. They never
 * deliver anything themselves: the verdict says what to do with the frame, and the sequencer delivers what waited.
 * Receiver thread only.
 */
final class RecoveryRules
{
    private final RecoveryTasks tasks;
    private final PlainRules plain;
    private final HeldFrames held;
    private final Snapshots snapshots;
    private final SubscriberCounters counters;
    private final long catchUpThreshold;
    private final long mergeWindow;
    private long startSeen;
    private LineWaits lines;
    private long newestEpoch;
    private boolean conflating;

    RecoveryRules(final RecoveryTasks tasks, final PlainRules plain, final HeldFrames held, final Snapshots snapshots,
        final SubscriberCounters counters, final long catchUpThreshold, final long mergeWindow)
    {
        this.tasks = tasks;
        this.plain = plain;
        this.held = held;
        this.snapshots = snapshots;
        this.counters = counters;
        this.catchUpThreshold = catchUpThreshold;
        this.mergeWindow = mergeWindow;
    }

    /**
     * Identical lines: a gap seen on one line waits for another ({@link LineWaits}). Set once, before the first frame.
     */
    void lines(final LineWaits lineWaits)
    {
        this.lines = lineWaits;
    }

    /**
     * This subscriber saw a session from its start (its first status came before any update): a topic first seen
     * after its first updates lost them, a gap to recover, rather than joined late.
     */
    void sawStart(final long epoch)
    {
        startSeen = epoch;
    }

    /**
     * Applies the rules of a conflating listener: no gap is filled, no earlier session's rest fetched, and a snapshot
     * is asked for when a topic's newest quote is unknown after a loss at its tail.
     */
    void conflating(final boolean conflate)
    {
        conflating = conflate;
    }

    /**
     * A topic followed a session (a conflated stream's first message of it).
     */
    void followed(final long epoch)
    {
        newestEpoch = Math.max(newestEpoch, epoch);
    }

    /**
     * The newest session any topic has followed.
     *
     * @return the epoch, 0 before any.
     */
    long newestEpoch()
    {
        return newestEpoch;
    }

    /**
     * A catching-up topic merges into the live feed: its stream is cancelled and it is live again.
     */
    void merge(final TopicState state)
    {
        tasks.cancel(state);
        tasks.caughtUp(state);
    }

    /**
     * A batch (live, held back or recovered, as the verdict's origin says): decides its verdict.
     */
    void batch(final TopicState state, final Verdict v, final long epoch, final long first, final int count,
        final int length, final DirectBuffer buffer, final int offset)
    {
        if (intercepts(state, v.origin, epoch, first))
        {
            if (LineWaits.fills(state, v.origin, epoch, first))
            {
                // Another line brings what the topic waits for: it goes now, what is held once it is through.
                final long before = state.nextExpected;
                plain.batch(state, v, epoch, first, count, length);
                lines.filled(state, before);
                return;
            }
            if (v.origin != Verdict.RECOVERED && state.mode != TopicState.LIVE &&
                waits(state, v, epoch, first, first + count - 1, false, length, buffer, offset))
            {
                return;
            }
            if (state.sessionEpoch == 0 || epoch >= state.sessionEpoch)
            {
                if (epoch != state.sessionEpoch &&
                    (v.origin == Verdict.RECOVERED || !newSession(state, v, epoch, first == 1, length, buffer, offset)))
                {
                    return;
                }
                if (first > state.nextExpected &&
                    !gap(state, v, first, first + count - 1, false, length, buffer, offset))
                {
                    return;
                }
            }
        }
        plain.batch(state, v, epoch, first, count, length);
    }

    private static boolean intercepts(final TopicState state, final byte origin, final long epoch, final long first)
    {
        if (origin == Verdict.RECOVERED)
        {
            return epoch != state.sessionEpoch || first > state.nextExpected;
        }
        return state.mode != TopicState.LIVE || epoch != state.sessionEpoch || first > state.nextExpected;
    }

    /**
     * A heartbeat (live, held back, or a topic's end that a gap fill or a stream brought): decides its verdict. A
     * fill's end goes through at once (it follows the fill's last batch); a stream's merges or waits like a live one.
     */
    void heartbeat(final TopicState state, final Verdict v, final long epoch, final long last,
        final boolean end, final int length, final DirectBuffer buffer, final int offset)
    {
        if (state.mode != TopicState.LIVE || epoch != state.sessionEpoch || last >= state.nextExpected)
        {
            final boolean fillsEnd = v.origin == Verdict.RECOVERED && state.mode == TopicState.RECOVERING;
            if (state.mode != TopicState.LIVE && !fillsEnd &&
                waits(state, v, epoch, last + 1, last, end, length, buffer, offset))
            {
                return;
            }
            if (state.sessionEpoch == 0 || epoch >= state.sessionEpoch)
            {
                if (epoch != state.sessionEpoch && !newSession(state, v, epoch, last == 0, length, buffer, offset))
                {
                    return;
                }
                if (conflating && last >= state.nextExpected)
                {
                    wantQuote(state);
                }
                if (last >= state.nextExpected && !gap(state, v, last + 1, last, end, length, buffer, offset))
                {
                    return;
                }
            }
        }
        plain.heartbeat(state, v, epoch, last, end);
    }

    /**
     * A live frame of a topic that is not live: it waits (held, or let go while catching up far behind), unless it
     * continues a catching-up topic right where its stream is: the topic then merges into the live feed and the
     * frame goes on through the rules.
     *
     * @param first the frame's first sequence number (a heartbeat's last + 1: the next one it announces).
     * @param last  its last sequence number.
     * @return true if the frame waits.
     */
    private boolean waits(final TopicState state, final Verdict v, final long epoch, final long first,
        final long last, final boolean end, final int length, final DirectBuffer buffer, final int offset)
    {
        if (epoch > state.sessionEpoch && epoch > state.newerEpoch)
        {
            // Remember how a newer session began: its first frame may not be kept.
            state.newerEpoch = epoch;
            state.newerFromStart = first == 1 || epoch == startSeen;
        }
        if (state.mode != TopicState.CATCHING_UP)
        {
            hold(state, v, length, buffer, offset);
            return true;
        }
        if (epoch < state.sessionEpoch)
        {
            counters.onStaleEpoch();
            return true;
        }
        if (epoch == state.sessionEpoch && first <= state.nextExpected && !held.any(state))
        {
            merge(state);
            return false;
        }
        catchUpFrame(state, v, epoch, first, last, end, length, buffer, offset);
        return true;
    }

    /**
     * A live frame of a catching-up topic that does not continue it: held if the topic already holds frames (they
     * stay in order), if it is within the merge window of the stream, if it ends the topic or is of a newer session;
     * otherwise let go (the stream brings it).
     */
    private void catchUpFrame(final TopicState state, final Verdict v, final long epoch, final long first,
        final long last, final boolean end, final int length, final DirectBuffer buffer, final int offset)
    {
        if (v.origin == Verdict.HELD_BACK || held.any(state) || end || epoch != state.sessionEpoch ||
            first - state.nextExpected <= mergeWindow)
        {
            hold(state, v, length, buffer, offset);
        }
        else
        {
            counters.catchUp().onLiveDrop(last - first + 1);
            state.missingUpTo(epoch, last);
        }
    }

    /**
     * Updates {@code nextExpected} to {@code first - 1} are missing: the frame from {@code first} to {@code last}
     * shows it (a heartbeat: {@code first} is its last + 1). A recovered frame, or one that arrives after the service
     * did not answer a catch-up, makes them unrecoverable at once; otherwise they are recovered (a small gap filled,
     * a large one caught up) and the frame waits.
     *
     * @return true to go on with the frame now.
     */
    private boolean gap(final TopicState state, final Verdict v, final long first, final long last,
        final boolean end, final int length, final DirectBuffer buffer, final int offset)
    {
        final long from = state.nextExpected;
        final long to = first - 1;
        if (v.origin == Verdict.RECOVERED || state.reportNextLoss || conflating)
        {
            state.reportNextLoss &= v.origin == Verdict.RECOVERED;
            plain.lostForGood(state, v, from, to, v.origin != Verdict.RECOVERED);
            return true;
        }
        if (lines != null && lines.await(state, from))
        {
            hold(state, v, length, buffer, offset);
            return false;
        }
        counters.onGap(to - from + 1);
        state.missingUpTo(state.sessionEpoch, to);
        v.kind = Verdict.NOTICE;
        v.gap(from, to, false);
        if (catchesUp(to - from + 1))
        {
            tasks.catchUp(state);
            catchUpFrame(state, v, state.sessionEpoch, first, last, end, length, buffer, offset);
        }
        else
        {
            tasks.fill(state, state.sessionEpoch, from, to);
            hold(state, v, length, buffer, offset);
        }
        return false;
    }

    /**
     * Whether a gap of so many updates is caught up by a stream rather than filled page by page.
     *
     * @param updates the gap's size.
     * @return true above the threshold.
     */
    boolean catchesUp(final long updates)
    {
        return updates > catchUpThreshold;
    }

    /**
     * The first frame of a newer session (or the first frame of the topic at all). The rest of an earlier session
     * that ended without a word is fetched first; a session whose beginning was missed starts from a snapshot.
     *
     * @return true if the topic is now in the new session and the frame goes on through the rules.
     */
    private boolean newSession(final TopicState state, final Verdict v, final long epoch, final boolean fromTheStart,
        final int length, final DirectBuffer buffer, final int offset)
    {
        final long old = state.sessionEpoch;
        newestEpoch = Math.max(newestEpoch, epoch);
        final boolean sawStart = fromTheStart || epoch == startSeen ||
            (epoch == state.newerEpoch && state.newerFromStart);
        if (old != 0 && !state.ended)
        {
            if (!state.reportNextLoss && !conflating)
            {
                if (epoch > state.newerEpoch)
                {
                    state.newerEpoch = epoch;
                    state.newerFromStart = sawStart;
                }
                tasks.fill(state, old, state.nextExpected, WireFormat.SEQUENCE_TO_END);
                hold(state, v, length, buffer, offset);
                return false;
            }
            state.reportNextLoss = false;
            plain.sessionLost(state, v);
            v.noticeOnly();
        }
        state.sessionEpoch = epoch;
        state.nextExpected = 1;
        state.ended = false;
        if (old != 0)
        {
            counters.onEpochChange();
        }
        if (sawStart)
        {
            // Updates from 1 that did not arrive are a gap (recovered), not a late join: this subscriber was there.
            return true;
        }
        snapshots.await(state);
        hold(state, v, length, buffer, offset);
        return false;
    }

    /**
     * A conflating listener lost a topic's tail: its newest quote is unknown and no update is coming to tell it, so
     * the service's snapshot is asked for (its quote is delivered if it falls in the loss and nothing of the topic was
     * delivered since).
     */
    private void wantQuote(final TopicState state)
    {
        if (state.quoteWantedFrom == 0)
        {
            state.quoteWantedFrom = state.nextExpected;
        }
        snapshots.wantQuote();
    }

    /**
     * Holds a live frame of a topic that is not live (a conflated message behind a recovery).
     */
    void holdFrame(final TopicState state, final Verdict v, final int length, final DirectBuffer buffer,
        final int offset)
    {
        hold(state, v, length, buffer, offset);
    }

    /**
     * Holds a live frame. Past the bound of held bytes the topic lets go of what it holds and catches up instead:
     * a gap fill becomes a stream, a topic already catching up stops holding, a topic awaiting its snapshot recovers
     * what follows the snapshot later, the rest of an earlier session is still fetched (the newer one's frames come
     * from a recovery then). Nothing is delivered here: the receiver holds the live frame's ring slot.
     */
    private void hold(final TopicState state, final Verdict v, final int length, final DirectBuffer buffer,
        final int offset)
    {
        if (v.origin == Verdict.HELD_BACK)
        {
            // A released frame that cannot go yet: it is still first in line.
            return;
        }
        if (!held.add(state, buffer, offset, length))
        {
            return;
        }
        held.letGo(state);
        if (state.mode == TopicState.AWAITING_LINE)
        {
            // What it held is let go: the stream brings it (and what the other line would have brought).
            lines.forget(state);
            tasks.catchUp(state);
        }
        else if (state.mode == TopicState.RECOVERING && state.taskTo != WireFormat.SEQUENCE_TO_END)
        {
            tasks.cancel(state);
            tasks.catchUp(state);
        }
    }
}
