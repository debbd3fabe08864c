package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.ConflatedDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every per-topic rule of the subscriber in one place, with no socket and no thread of its own: the next sequence
 * number expected, a newer or older publisher session, a heartbeat ahead (tail loss), the end of a topic's session,
 * snapshots for topics whose beginning was missed, live frames held back behind a recovery, and giving a recovery
 * up when too much is held. It is told what arrived (a live frame, a recovered frame, a snapshot entry, a finished
 * request, a session status, a stale feed) and answers with what to do: a {@link Verdict} for the live frame just
 * given, requests to the {@link RecoveryRequests}, and further deliveries to the {@link SequencerListener}.
 * <p>
 * Without recovery ({@code requests} null) the plain rules apply: what is new is delivered, duplicates and late
 * frames of older sessions are dropped, and a gap is reported unrecoverable at once. With recovery a topic is in one
 * of three modes ({@link TopicState}): live; recovering (a gap fill, or the rest of an earlier session, is in
 * flight); awaiting a snapshot (its first frame showed that its beginning was missed: the subscriber joined late, or
 * the publisher restarted and its first updates went by). In the last two its live frames wait in arrival order,
 * bounded by a total of held bytes; past the bound the topic's recovery is given up, reported unrecoverable, and
 * what is held is delivered. Other topics are never held.
 * <p>
 * A conflated stream's messages ({@link #onConflated}) cover ranges of the feed's sequence numbers: a jump between
 * them was merged by the publisher, a jump beyond the previous message's range is reported lost for good, and
 * neither is ever recovered (a newer quote supersedes what was lost). For a conflating listener ({@link #conflating})
 * the subscriber asks only for what such a listener needs: gaps are reported at once, never filled, the rest of an
 * earlier session is not fetched, and a snapshot is asked for when a topic's newest quote is unknown and no update
 * is coming to tell it: at a late join (as always), and after a loss at the tail of a topic (a heartbeat ahead).
 * <p>
 * Single-threaded (the receiver's thread). A frame that continues its topic's sequence costs a few comparisons and
 * allocates nothing; holding a frame copies it.
 */
public final class TopicSequencer
{
    private static final Logger LOG = LoggerFactory.getLogger(TopicSequencer.class);

    private final RecoveryRequests requests;
    private final SequencerListener listener;
    private final SubscriberCounters counters;
    private final NanoClock clock;
    private final long maxHeldBytes;
    private final Verdict verdict = new Verdict();
    private final Verdict released = new Verdict();
    private final FrameReader reader = new FrameReader();
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
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
    private long lastEndedEpoch;
    private boolean endPending;
    private long pendingEndNs;
    private long recoveringSinceNs;
    private boolean conflating;
    private boolean quoteSnapshotWanted;

    /**
     * A sequencer.
     *
     * @param requests     where recovery requests go, or null for the plain rules (every gap unrecoverable).
     * @param listener     where further deliveries go.
     * @param counters     the subscriber's counters (gaps, duplicates, recoveries...).
     * @param clock        the time, for how long recoveries take.
     * @param maxHeldBytes most bytes of live frames held back behind recoveries, all topics together.
     */
    public TopicSequencer(
        final RecoveryRequests requests,
        final SequencerListener listener,
        final SubscriberCounters counters,
        final NanoClock clock,
        final long maxHeldBytes)
    {
        this.requests = requests;
        this.listener = listener;
        this.counters = counters;
        this.clock = clock;
        this.maxHeldBytes = maxHeldBytes;
    }

    /**
     * Applies the rules of a conflating listener: no gap is filled and no earlier session's rest fetched (a newer
     * quote supersedes them; what is lost is reported at once), and a snapshot is asked for when a topic's newest
     * quote is unknown after a loss at its tail. Set once, before the first frame.
     *
     * @param conflate whether the listener conflates.
     * @return this.
     */
    public TopicSequencer conflating(final boolean conflate)
    {
        this.conflating = conflate;
        return this;
    }

    /**
     * Whether requests are in flight: their answers must be watched for.
     *
     * @return true while something is asked of the recovery service.
     */
    public boolean busy()
    {
        return outstanding > 0;
    }

    /**
     * Whether nothing is being recovered, awaited or held back.
     *
     * @return true when idle.
     */
    public boolean idle()
    {
        return outstanding == 0 && heldBytes == 0 && awaiting.isEmpty();
    }

    /**
     * Bytes of live frames held back, all topics together.
     *
     * @return the bytes.
     */
    public long heldBytes()
    {
        return heldBytes;
    }

    /**
     * Since when something has been in flight ({@link NanoClock} time), 0 when idle: how long the current spell of
     * recovery has lasted.
     *
     * @return the time the spell began, or 0.
     */
    public long recoveringSinceNs()
    {
        return outstanding > 0 ? recoveringSinceNs : 0;
    }

    /**
     * A live batch, decoded and valid. If the verdict is not to deliver it now, a frame that must wait has been
     * copied; the caller may reuse its buffer.
     *
     * @param state  the topic.
     * @param epoch  the batch's session.
     * @param first  sequence number of its first update.
     * @param count  its updates.
     * @param buffer the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return the verdict about this frame (reused).
     */
    public Verdict onBatch(final TopicState state, final long epoch, final long first, final int count,
        final DirectBuffer buffer, final int offset, final int length)
    {
        verdict.reset(Verdict.LIVE);
        batch(state, verdict, epoch, first, count, length, buffer, offset);
        return verdict;
    }

    /**
     * A live heartbeat, decoded and valid.
     *
     * @param state  the topic.
     * @param epoch  its session.
     * @param last   the topic's last sequence number at the publisher.
     * @param end    whether it ends the topic's session.
     * @param buffer the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return the verdict about this frame (reused).
     */
    public Verdict onHeartbeat(final TopicState state, final long epoch, final long last, final boolean end,
        final DirectBuffer buffer, final int offset, final int length)
    {
        verdict.reset(Verdict.LIVE);
        counters.onHeartbeat();
        heartbeat(state, verdict, epoch, last, end, length, buffer, offset);
        return verdict;
    }

    /**
     * A conflated stream's message, decoded and valid: a topic's updates {@code from..to}, with the newest quote among
     * them at {@code quoteSequence} (0 without one).
     *
     * @param state         the topic.
     * @param epoch         its session.
     * @param from          first update covered.
     * @param to            last update covered.
     * @param quoteSequence the quote's sequence number, 0 without a quote.
     * @param buffer        the frame.
     * @param offset        where it starts.
     * @param length        its length.
     * @return the verdict about this frame (reused).
     */
    public Verdict onConflated(final TopicState state, final long epoch, final long from, final long to,
        final long quoteSequence, final DirectBuffer buffer, final int offset, final int length)
    {
        verdict.reset(Verdict.LIVE);
        conflated(state, verdict, epoch, from, to, quoteSequence, length, buffer, offset);
        return verdict;
    }

    /**
     * After the verdict about a live frame was acted on: delivers what topics that gave up their recovery hold, and
     * the end of a session once nothing is pending. Call it after each live frame.
     */
    public void afterFrame()
    {
        while (!givenUp.isEmpty())
        {
            final TopicState state = givenUp.pollFirst();
            release(state);
            state.giveUp = false;
        }
        publishSessionEndWhenIdle();
    }

    /**
     * A session status: the first one of a session this subscriber gets tells whether it saw the session from its
     * start (sent before any update: then a topic first seen after its first updates lost them, a gap to recover,
     * rather than joined late, a snapshot to start from); an end of session is passed on once everything sent
     * before has been delivered.
     *
     * @param epoch            the session.
     * @param publishedUpdates updates the publisher had sent when it sent the status.
     * @param ended            whether the session ended.
     * @param sendTimestampNs  when it was sent.
     */
    public void onSessionStatus(final long epoch, final long publishedUpdates, final boolean ended,
        final long sendTimestampNs)
    {
        if (requests != null && epoch > statusEpoch)
        {
            statusEpoch = epoch;
            if (publishedUpdates == 0)
            {
                startSeen = epoch;
            }
        }
        if (ended && epoch != lastEndedEpoch)
        {
            lastEndedEpoch = epoch;
            endPending = true;
            pendingEndNs = sendTimestampNs;
            // The session's last heartbeats may have been dropped: ask the service for the topics' ends.
            audit(false);
            publishSessionEndWhenIdle();
        }
    }

    /**
     * The feed went stale (nothing for three heartbeat intervals). In an open session, its tail may have been lost
     * with its heartbeats: the topics' ends are checked with the service.
     */
    public void onFeedStale()
    {
        audit(true);
    }

    /**
     * A recovered frame, as the service sent it, for a gap fill request.
     *
     * @param task   the request.
     * @param topic  the topic the answer is for.
     * @param frame  the frame.
     * @param length its length.
     */
    public void onRecoveredFrame(final long task, final byte[] topic, final byte[] frame, final int length)
    {
        final TopicState state = tasks.get(task);
        if (state == null || state.task != task || !Arrays.equals(topic, state.bytes))
        {
            return;
        }
        deliverLater(state, frame, length, Verdict.RECOVERED);
    }

    /**
     * One topic's snapshot entry, for a snapshot request.
     *
     * @param task          the request.
     * @param state         the topic (entries of topics never seen are not passed on).
     * @param epoch         the entry's session.
     * @param lastSequence  the topic's last sequence number.
     * @param quoteSequence the sequence number of its quote.
     * @param entry         the entry as received.
     * @param quoteOffset   where its quote starts, or -1.
     */
    public void onSnapshotEntry(final long task, final TopicState state, final long epoch, final long lastSequence,
        final long quoteSequence, final byte[] entry, final int quoteOffset)
    {
        if (task != snapshotTask ||
            (state.mode != TopicState.AWAITING_SNAPSHOT && !snapshotAudit && state.quoteWantedFrom == 0) ||
            epoch != state.sessionEpoch)
        {
            return;
        }
        if (state.mode == TopicState.LIVE)
        {
            if (conflating)
            {
                conflatingEntry(state, epoch, lastSequence, quoteSequence, entry, quoteOffset);
            }
            else
            {
                auditTail(state, lastSequence);
            }
            return;
        }
        if (state.mode != TopicState.AWAITING_SNAPSHOT)
        {
            // Recovering: its tail is checked once it is live again, if it is still in that session then.
            state.auditedLast = state.auditedEpoch == epoch ? Math.max(state.auditedLast, lastSequence) : lastSequence;
            state.auditedEpoch = epoch;
            return;
        }
        listener.onSnapshot(state, epoch, lastSequence, quoteSequence, entry, quoteOffset);
        counters.onSnapshot();
        state.nextExpected = lastSequence + 1;
        state.mode = TopicState.LIVE;
        awaiting.remove(state);
        release(state);
    }

    /**
     * A request is over: what was not recovered is reported unrecoverable in its place, and the topic's held frames
     * go on through the rules.
     *
     * @param task    the request.
     * @param outcome {@link RecoveryRequests#ANSWERED} or another outcome.
     */
    public void onRequestDone(final long task, final long outcome)
    {
        outstanding--;
        if (task == snapshotTask)
        {
            snapshotTask = 0;
            onSnapshotDone(outcome);
            publishSessionEndWhenIdle();
            return;
        }
        final TopicState state = tasks.remove(task);
        if (state == null || state.task != task)
        {
            publishSessionEndWhenIdle();
            return;
        }
        state.task = 0;
        if (outcome != RecoveryRequests.ANSWERED)
        {
            counters.onRecoveryFailed();
        }
        if (state.taskTo == WireFormat.SEQUENCE_TO_END)
        {
            released.reset(Verdict.RECOVERED);
            released.kind = Verdict.NOTICE;
            sessionLost(state, released);
            listener.onTopicEvent(state, released, null, 0);
        }
        else if (state.nextExpected <= state.taskTo)
        {
            released.reset(Verdict.RECOVERED);
            released.kind = Verdict.NOTICE;
            lostForGood(state, released, state.nextExpected, state.taskTo, false);
            listener.onTopicEvent(state, released, null, 0);
        }
        state.mode = TopicState.LIVE;
        release(state);
        publishSessionEndWhenIdle();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The rules.
    // ---------------------------------------------------------------------------------------------------------------

    private void batch(final TopicState state, final Verdict v, final long epoch, final long first, final int count,
        final int length, final DirectBuffer buffer, final int offset)
    {
        if (count == 0)
        {
            return;
        }
        if (requests != null && interceptsBatch(state, v.origin, epoch, first))
        {
            if (v.origin != Verdict.RECOVERED && state.mode != TopicState.LIVE)
            {
                hold(state, v, length, buffer, offset);
                return;
            }
            if (state.sessionEpoch == 0 || epoch >= state.sessionEpoch)
            {
                if (epoch != state.sessionEpoch &&
                    (v.origin == Verdict.RECOVERED || !newSession(state, v, epoch, first == 1, length, buffer, offset)))
                {
                    return;
                }
                if (first > state.nextExpected && !gap(state, v, first - 1, length, buffer, offset))
                {
                    return;
                }
            }
        }
        deliverBatch(state, v, epoch, first, count, length);
    }

    private static boolean interceptsBatch(final TopicState state, final byte origin, final long epoch,
        final long first)
    {
        if (origin == Verdict.RECOVERED)
        {
            return epoch != state.sessionEpoch || first > state.nextExpected;
        }
        return state.mode != TopicState.LIVE || epoch != state.sessionEpoch || first > state.nextExpected;
    }

    private void heartbeat(final TopicState state, final Verdict v, final long epoch, final long last,
        final boolean end, final int length, final DirectBuffer buffer, final int offset)
    {
        if (requests != null &&
            (state.mode != TopicState.LIVE || epoch != state.sessionEpoch || last >= state.nextExpected))
        {
            if (state.mode != TopicState.LIVE)
            {
                hold(state, v, length, buffer, offset);
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
                if (last >= state.nextExpected && !gap(state, v, last, length, buffer, offset))
                {
                    return;
                }
            }
        }
        deliverHeartbeat(state, v, epoch, last, end);
    }

    /**
     * The plain rules for a batch: deliver what is new, drop duplicates and late frames of older sessions, report a
     * gap (lost for good: without recovery, or once recovery has decided so).
     */
    private void deliverBatch(final TopicState state, final Verdict v, final long epoch, final long first,
        final int count, final int length)
    {
        if (!followEpoch(state, epoch))
        {
            v.noticeOnly();
            return;
        }
        counters.onBatchReceived(count, length);
        counters.onTopicUpdates(state.topic, count);
        final long end = first + count;
        if (end <= state.nextExpected)
        {
            counters.onDuplicates(count);
            v.noticeOnly();
            return;
        }
        if (first > state.nextExpected)
        {
            lostForGood(state, v, state.nextExpected, first - 1, true);
        }
        else if (first < state.nextExpected)
        {
            v.skip = (int)(state.nextExpected - first);
            counters.onDuplicates(v.skip);
        }
        state.nextExpected = end;
        // An update after the loss is delivered: a snapshot's quote from before it would now come out of order.
        state.quoteWantedFrom = 0;
        v.kind = Verdict.BATCH;
        if (v.origin == Verdict.RECOVERED)
        {
            counters.onRecovered(count - v.skip);
        }
    }

    /**
     * The plain rules for a heartbeat: a last sequence number ahead of what was delivered is a tail loss (lost for
     * good here), an end of session is passed on, anything else is nothing to deliver.
     */
    private void deliverHeartbeat(final TopicState state, final Verdict v, final long epoch, final long last,
        final boolean end)
    {
        if (!followEpoch(state, epoch))
        {
            v.noticeOnly();
            return;
        }
        if (last >= state.nextExpected)
        {
            // Tail loss: the publisher sent updates this subscriber never saw.
            lostForGood(state, v, state.nextExpected, last, true);
        }
        if (end)
        {
            state.ended = true;
        }
        if (v.hasGap() || end)
        {
            v.kind = Verdict.HEARTBEAT;
            v.endOfTopic = end;
        }
        else
        {
            v.noticeOnly();
        }
    }

    /**
     * The rules for a conflated stream's message. Its range continues the topic's previous message: a range that
     * starts further on means messages were lost (reported lost for good, never recovered: the quote here supersedes
     * theirs); a range already covered is a duplicate. The first message of a session, or the first one this
     * subscriber sees, starts the topic where it starts (a late joiner gets the newest quote at once). Behind a
     * recovery of the topic (a heartbeat-ahead gap being filled) it waits like any frame.
     */
    private void conflated(final TopicState state, final Verdict v, final long epoch, final long from, final long to,
        final long quoteSequence, final int length, final DirectBuffer buffer, final int offset)
    {
        if (requests != null && state.mode != TopicState.LIVE && v.origin != Verdict.RECOVERED)
        {
            hold(state, v, length, buffer, offset);
            return;
        }
        if (state.sessionEpoch != 0 && epoch < state.sessionEpoch)
        {
            counters.onStaleEpoch();
            return;
        }
        final long covered = to - from + 1;
        if (epoch != state.sessionEpoch)
        {
            if (state.sessionEpoch != 0)
            {
                if (!state.ended)
                {
                    sessionLost(state, v);
                }
                counters.onEpochChange();
            }
            newestEpoch = Math.max(newestEpoch, epoch);
            state.sessionEpoch = epoch;
            state.ended = false;
            state.nextExpected = from;
        }
        else if (to < state.nextExpected)
        {
            counters.onDuplicates(covered);
            v.noticeOnly();
            return;
        }
        else if (from > state.nextExpected)
        {
            if (state.nextExpected > 1)
            {
                lostForGood(state, v, state.nextExpected, from - 1, true);
            }
            state.nextExpected = from;
        }
        counters.onBatchReceived((int)Math.min(covered, Integer.MAX_VALUE), length);
        counters.onTopicUpdates(state.topic, (int)Math.min(covered, Integer.MAX_VALUE));
        v.skip = quoteSequence != 0 && quoteSequence < state.nextExpected ? 1 : 0;
        state.nextExpected = to + 1;
        state.quoteWantedFrom = 0;
        v.kind = Verdict.CONFLATED;
    }

    /**
     * A conflating listener lost a topic's tail: its newest quote is unknown and no update is coming to tell it, so
     * the service's snapshot is asked for (its quote is delivered if it falls in the loss and nothing of the topic was
     * delivered since).
     */
    private void wantQuote(final TopicState state)
    {
        if (requests == null)
        {
            return;
        }
        if (state.quoteWantedFrom == 0)
        {
            state.quoteWantedFrom = state.nextExpected;
        }
        if (snapshotTask == 0)
        {
            requestSnapshot(false);
        }
        else
        {
            quoteSnapshotWanted = true;
        }
    }

    /**
     * A snapshot entry for a live topic of a conflating listener: a tail the feed never announced is reported lost
     * (not recovered), and the entry's quote is delivered when it is newer than what the listener has: inside a loss
     * of the topic, with nothing of the topic delivered since.
     */
    private void conflatingEntry(final TopicState state, final long epoch, final long lastSequence,
        final long quoteSequence, final byte[] entry, final int quoteOffset)
    {
        long wantedFrom = state.quoteWantedFrom;
        state.quoteWantedFrom = 0;
        state.auditedLast = 0;
        if (lastSequence >= state.nextExpected)
        {
            if (wantedFrom == 0)
            {
                wantedFrom = state.nextExpected;
            }
            released.reset(Verdict.LIVE);
            released.kind = Verdict.NOTICE;
            lostForGood(state, released, state.nextExpected, lastSequence, true);
            listener.onTopicEvent(state, released, null, 0);
        }
        if (wantedFrom > 0 && quoteOffset >= 0 && quoteSequence >= wantedFrom && quoteSequence < state.nextExpected)
        {
            listener.onSnapshot(state, epoch, state.nextExpected - 1, quoteSequence, entry, quoteOffset);
            counters.onSnapshot();
        }
    }

    /**
     * Follows the publisher's session: a newer epoch restarts the topic's sequence at 1; an older one is a late
     * frame of a finished session (counted, dropped).
     */
    private boolean followEpoch(final TopicState state, final long epoch)
    {
        if (epoch == state.sessionEpoch)
        {
            return true;
        }
        if (state.sessionEpoch != 0 && epoch < state.sessionEpoch)
        {
            counters.onStaleEpoch();
            return false;
        }
        if (state.sessionEpoch != 0)
        {
            counters.onEpochChange();
        }
        state.sessionEpoch = epoch;
        state.nextExpected = 1;
        state.ended = false;
        return true;
    }

    /**
     * Updates {@code nextExpected} to {@code to} are missing. A recovered frame, or one released after a give-up,
     * makes them unrecoverable at once; otherwise they are recovered and the frame waits.
     *
     * @return true to go on with the frame now.
     */
    private boolean gap(final TopicState state, final Verdict v, final long to, final int length,
        final DirectBuffer buffer, final int offset)
    {
        final long from = state.nextExpected;
        if (v.origin == Verdict.RECOVERED || state.giveUp || conflating)
        {
            lostForGood(state, v, from, to, v.origin != Verdict.RECOVERED);
            return true;
        }
        counters.onGap(to - from + 1);
        v.kind = Verdict.NOTICE;
        v.gap(from, to, false);
        startFill(state, state.sessionEpoch, from, to);
        hold(state, v, length, buffer, offset);
        return false;
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
        if (old != 0 && !state.ended)
        {
            if (!state.giveUp && !conflating)
            {
                startFill(state, old, state.nextExpected, WireFormat.SEQUENCE_TO_END);
                hold(state, v, length, buffer, offset);
                return false;
            }
            sessionLost(state, v);
            v.noticeOnly();
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
        hold(state, v, length, buffer, offset);
        return false;
    }

    /**
     * Reports {@code from..to} as lost for good, in the verdict, and moves past them.
     *
     * @param countGap whether the gap is seen here first (not already counted when its recovery started).
     */
    private void lostForGood(final TopicState state, final Verdict v, final long from, final long to,
        final boolean countGap)
    {
        final long missing = to - from + 1;
        if (countGap)
        {
            counters.onGap(missing);
        }
        counters.onUnrecoverable(missing);
        if (v.hasGap())
        {
            v.gapUnrecoverable = true;
        }
        else
        {
            v.gap(from, to, true);
        }
        state.nextExpected = to + 1;
    }

    /**
     * The rest of an earlier session is lost: the listener hears it, and the topic leaves that session behind.
     */
    private void sessionLost(final TopicState state, final Verdict v)
    {
        counters.onSessionLost();
        v.sessionLost(state.sessionEpoch, state.nextExpected - 1);
        state.ended = true;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Holding, requests and releases.
    // ---------------------------------------------------------------------------------------------------------------

    private void hold(final TopicState state, final Verdict v, final int length, final DirectBuffer buffer,
        final int offset)
    {
        if (v.origin == Verdict.HELD_BACK)
        {
            // A released frame that cannot go yet: it is still first in line.
            return;
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy, 0, length);
        if (state.held == null)
        {
            state.held = new ArrayDeque<>();
        }
        state.held.addLast(copy);
        state.heldBytes += length;
        heldBytes += length;
        if (heldBytes > maxHeldBytes)
        {
            giveUp(state, v);
        }
    }

    /**
     * Too much is held back: report what the topic waits for as unrecoverable (on the verdict of the frame being
     * held) and deliver what is held once that frame is through ({@link #afterFrame()}).
     */
    private void giveUp(final TopicState state, final Verdict v)
    {
        LOG.warn("{}: more than {} bytes of live updates held back behind recoveries; giving up recovering {}",
            state.topic, maxHeldBytes, state.topic);
        counters.onGiveUp();
        if (state.mode == TopicState.RECOVERING)
        {
            tasks.remove(state.task);
            requests.cancel(state.task);
            state.task = 0;
            if (state.taskTo == WireFormat.SEQUENCE_TO_END)
            {
                sessionLost(state, v);
            }
            else if (state.nextExpected <= state.taskTo)
            {
                lostForGood(state, v, state.nextExpected, state.taskTo, false);
            }
            v.noticeOnly();
        }
        else if (state.mode == TopicState.AWAITING_SNAPSHOT)
        {
            awaiting.remove(state);
        }
        state.mode = TopicState.LIVE;
        state.giveUp = true;
        givenUp.addLast(state);
    }

    private void startFill(final TopicState state, final long epoch, final long from, final long to)
    {
        final long task = ++lastTask;
        state.mode = TopicState.RECOVERING;
        state.task = task;
        state.taskTo = to;
        tasks.put(task, state);
        started();
        counters.onRecoveryStarted();
        requests.fillGap(task, state, epoch, from, to);
    }

    private void requestSnapshot(final boolean audit)
    {
        snapshotGeneration++;
        snapshotAudit = audit;
        snapshotTask = ++lastTask;
        started();
        requests.snapshot(snapshotTask);
    }

    private void started()
    {
        if (outstanding++ == 0)
        {
            recoveringSinceNs = clock.nanoTime();
        }
    }

    /**
     * Asks the service for every topic's last sequence number and recovers what the feed never announced: the end
     * of a session whose last heartbeats (and perhaps its end) the feed dropped.
     *
     * @param stale whether the feed just went stale (no audit then if the newest session ended).
     */
    private void audit(final boolean stale)
    {
        if (requests == null || (stale && (newestEpoch == 0 || lastEndedEpoch >= newestEpoch)))
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

    /**
     * A tail the feed never announced (its last heartbeats were dropped too) is recovered like any gap.
     */
    private void auditTail(final TopicState state, final long last)
    {
        state.auditedLast = 0;
        if (last >= state.nextExpected)
        {
            counters.onGap(last - state.nextExpected + 1);
            released.reset(Verdict.LIVE);
            released.kind = Verdict.NOTICE;
            released.gap(state.nextExpected, last, false);
            listener.onTopicEvent(state, released, null, 0);
            startFill(state, state.sessionEpoch, state.nextExpected, last);
        }
    }

    /**
     * A topic still waiting that was already waiting when the snapshot was asked for is not in it (or the snapshot
     * failed): it recovers its beginning instead, from 1. Topics that started waiting after the request ask again.
     */
    private void onSnapshotDone(final long outcome)
    {
        if (outcome != RecoveryRequests.ANSWERED && !snapshotAudit)
        {
            counters.onRecoveryFailed();
        }
        for (final TopicState state : new ArrayList<>(awaiting))
        {
            if (state.awaitingSince < snapshotGeneration)
            {
                awaiting.remove(state);
                state.mode = TopicState.LIVE;
                release(state);
            }
        }
        if (!awaiting.isEmpty() || auditWanted || quoteSnapshotWanted)
        {
            requestSnapshot(auditWanted);
            auditWanted = false;
            quoteSnapshotWanted = false;
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
            deliverLater(state, frame, frame.length, Verdict.HELD_BACK);
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
            if (state.auditedEpoch == state.sessionEpoch)
            {
                auditTail(state, state.auditedLast);
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
    private void deliverLater(final TopicState state, final byte[] frame, final int length, final byte origin)
    {
        released.reset(origin);
        frameView.wrap(frame, 0, length);
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
                heartbeat(state, released, heartbeat.sessionEpoch(), heartbeat.lastSequence(),
                    heartbeat.flags().endOfSession(), length, frameView, 0);
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
            listener.onTopicEvent(state, released, frame, length);
        }
    }

    private void publishSessionEndWhenIdle()
    {
        if (!endPending || !idle())
        {
            return;
        }
        endPending = false;
        listener.onSessionEnd(lastEndedEpoch, pendingEndNs);
    }
}
