package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Every per-topic rule of the subscriber in one place, with no socket and no thread of its own: the next sequence
 * number expected, a newer or older publisher session, a heartbeat ahead (tail loss), the end of a topic's session,
 * snapshots for topics whose beginning was missed, live frames held back behind a recovery, and catching up. It is
 * told what arrived (a live frame, a recovered frame, an unavailable range, a snapshot entry, a finished request, a
 * session status, a stale feed) and answers with what to do: a {@link Verdict} for the live frame just given,
 * requests to the {@link RecoveryRequests}, and further deliveries to the {@link SequencerListener}.
 * <p>
 * Without recovery ({@code requests} null) the plain rules apply: what is new is delivered, duplicates and late
 * frames of older sessions are dropped, and a gap is reported unrecoverable at once. With recovery a topic is in one
 * of four modes ({@link TopicState}): live; recovering (a gap fill, or the rest of an earlier session, is in flight);
 * awaiting a snapshot (its first frame showed that its beginning was missed); catching up. In the second and third
 * its live frames wait in arrival order. A gap larger than a page, a gap fill the service answered without covering
 * it, and live frames beyond the bound of held bytes (all topics together) switch the topic to <em>catch-up</em>
 * instead: a stream from the service brings its updates while the live frames far ahead of it are let go, and those
 * close to it wait; when the stream reaches them the topic merges into the live feed (Aeron Archive's ReplayMerge).
 * Memory stays bounded and nothing the service has is lost: "unrecoverable" means the service said it no longer has
 * it, or never answered. Other topics are never held.
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
    /** A gap of more updates than this is caught up by a stream rather than filled page by page. */
    public static final long DEFAULT_CATCH_UP_THRESHOLD = 10_000;

    /** A topic catching up holds live frames that start at most this many updates after where its stream is. */
    public static final long DEFAULT_MERGE_WINDOW = 16_384;

    private final SequencerListener listener;
    private final SubscriberCounters counters;
    private final RecoveryTasks tasks;
    private final PlainRules plain;
    private final HeldFrames held;
    private final Snapshots snapshots;
    private final RecoveryRules rules;
    private final Verdict verdict = new Verdict();
    private final Deliveries deliveries;
    private final Consumer<TopicState> release;
    private final NanoClock clock;
    private LineWaits lines;
    private final ConflatedRules conflated;
    private boolean conflating;
    private final KnownTopics known = new KnownTopics();

    private long statusEpoch;
    private long lastEndedEpoch;
    private boolean endPending;
    private long pendingEndNs;

    /**
     * A sequencer.
     *
     * @param requests     where recovery requests go, or null for the plain rules (every gap unrecoverable).
     * @param listener     where further deliveries go.
     * @param counters     the subscriber's counters (gaps, duplicates, recoveries...).
     * @param clock        the time, for how long recoveries take.
     * @param maxHeldBytes most bytes of live frames held back, all topics together.
     */
    public TopicSequencer(final RecoveryRequests requests, final SequencerListener listener,
        final SubscriberCounters counters, final NanoClock clock, final long maxHeldBytes)
    {
        this(requests, listener, counters, clock, maxHeldBytes, DEFAULT_CATCH_UP_THRESHOLD, DEFAULT_MERGE_WINDOW);
    }

    /**
     * A sequencer with its own catch-up thresholds (tests).
     *
     * @param catchUpThreshold a gap of more updates is caught up rather than filled.
     * @param mergeWindow      how close to its stream a catching-up topic starts holding live frames.
     */
    TopicSequencer(final RecoveryRequests requests, final SequencerListener listener, final SubscriberCounters counters,
        final NanoClock clock, final long maxHeldBytes, final long catchUpThreshold, final long mergeWindow)
    {
        this.listener = listener;
        this.counters = counters;
        this.tasks = new RecoveryTasks(requests, counters, clock);
        this.plain = new PlainRules(counters);
        this.held = new HeldFrames(maxHeldBytes, counters);
        this.snapshots = new Snapshots(tasks, counters);
        this.rules = requests == null ? null :
            new RecoveryRules(tasks, plain, held, snapshots, counters, catchUpThreshold, mergeWindow);
        this.conflated = new ConflatedRules(plain, rules, counters, listener);
        this.deliveries = new Deliveries(listener, counters, tasks, plain, rules, held, conflated);
        this.release = deliveries::release;
        this.clock = clock;
    }

    /**
     * Arbitrates identical lines: a gap seen on one line waits (its later frames held back) until another line
     * fills it, every line that is up has passed it without filling it, or the arbiter's wait has passed; only then
     * is it recovered ({@link LineWaits}). Needs recovery. Call before the first frame.
     *
     * @param lineArbiter what is known of each line.
     */
    public void arbitrate(final LineArbiter lineArbiter)
    {
        this.lines = new LineWaits(lineArbiter, clock);
        rules.lines(lines);
    }

    /**
     * Ends the waits for another line that can no longer be filled by one (every line that is up passed the gap) or
     * that lasted the arbiter's wait: their gaps are recovered. Call it regularly.
     *
     * @param nowNs the {@link NanoClock} time.
     */
    public void checkArbitration(final long nowNs)
    {
        lines.endWaits(nowNs, release);
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
        if (rules != null)
        {
            rules.conflating(conflate);
        }
        return this;
    }

    /** @return whether every topic seen is catching up (a stream brings its updates, its live frames are let go). */
    public boolean catchingUpEverything()
    {
        return tasks.catchingUp() > 0 && tasks.catchingUp() >= known.size();
    }

    /** @return what is never delivered if it stops now (receiver thread): held back, or still being recovered. */
    public Undelivered undelivered()
    {
        return Undelivered.of(known.all());
    }

    /** @return whether requests are in flight (their answers must be watched for). */
    public boolean busy()
    {
        return tasks.outstanding() > 0;
    }

    /**
     * Whether nothing is being recovered, awaited or held back.
     *
     * @return true when idle.
     */
    public boolean idle()
    {
        return tasks.outstanding() == 0 && held.bytes() == 0 && !snapshots.anyAwaiting() &&
            (lines == null || !lines.any());
    }

    /**
     * Bytes of live frames held back, all topics together.
     *
     * @return the bytes.
     */
    public long heldBytes()
    {
        return held.bytes();
    }

    /**
     * Since when something has been in flight ({@link NanoClock} time), 0 when idle: how long the current spell of
     * recovery has lasted.
     *
     * @return the time the spell began, or 0.
     */
    public long recoveringSinceNs()
    {
        return tasks.outstanding() > 0 ? tasks.sinceNs() : 0;
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
        known.see(state);
        deliveries.batch(state, verdict, epoch, first, count, length, buffer, offset);
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
        known.see(state);
        deliveries.heartbeat(state, verdict, epoch, last, end, length, buffer, offset);
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
        known.see(state);
        deliveries.conflated(state, verdict, epoch, from, to, quoteSequence, length, buffer, offset);
        return verdict;
    }

    /**
     * After the verdict about a live frame was acted on: delivers the end of a session once nothing is pending.
     * Call it after each live frame.
     */
    public void afterFrame()
    {
        if (lines != null)
        {
            lines.releaseFilled(release);
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
        if (tasks.enabled() && epoch > statusEpoch)
        {
            statusEpoch = epoch;
            if (publishedUpdates == 0)
            {
                rules.sawStart(epoch);
            }
        }
        if (ended && epoch != lastEndedEpoch)
        {
            lastEndedEpoch = epoch;
            endPending = true;
            pendingEndNs = sendTimestampNs;
            // Its last heartbeats may have been lost: audit the topics' ends, unless every update it published is here.
            audit(known.allDelivered(epoch, publishedUpdates));
            publishSessionEndWhenIdle();
        }
    }

    /**
     * The feed went stale (nothing for three heartbeat intervals). In an open session, its tail may have been lost
     * with its heartbeats: the topics' ends are checked with the service.
     */
    public void onFeedStale()
    {
        audit(rules != null && (rules.newestEpoch() == 0 || lastEndedEpoch >= rules.newestEpoch()));
    }

    /**
     * A recovered frame, as the service sent it, for a gap fill or a catch-up stream.
     *
     * @param task   the request.
     * @param topic  the topic the answer is for.
     * @param frame  holds the frame.
     * @param offset where it starts.
     * @param length its length.
     */
    public void onRecoveredFrame(final long task, final byte[] topic, final byte[] frame, final int offset,
        final int length)
    {
        final TopicState state = tasks.find(task);
        if (state == null || !Arrays.equals(topic, state.bytes))
        {
            return;
        }
        deliveries.recovered(state, frame, offset, length);
        if (deliveries.recoveredEnd && state.sessionEpoch > lastEndedEpoch && known.allEnded(state.sessionEpoch))
        {
            // The feed's end went by unseen (stopped, or dropped by PUB): the streams brought every topic's end.
            onSessionStatus(state.sessionEpoch, Long.MAX_VALUE, true, 0);
        }
    }

    /**
     * The service no longer has a range of a request's topic (neither in its window nor in its journal): lost for
     * good, reported in its place.
     *
     * @param task the request.
     * @param from first sequence number it does not have.
     * @param to   last sequence number it does not have.
     */
    public void onUnavailable(final long task, final long from, final long to)
    {
        final TopicState state = tasks.find(task);
        if (state == null || to < state.nextExpected)
        {
            return;
        }
        if (lines != null && LineWaits.askAgain(state))
        {
            // Identical lines: the service that answered may be a restarted line's, which skipped what was due before
            // it came up; the request goes on (asked again, of whichever service answers) rather than report it lost.
            return;
        }
        // What the service sent before the range was delivered: anything not yet delivered up to its end is lost.
        deliveries.unavailable(state, to);
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
        if (!snapshots.isTask(task) ||
            (state.mode != TopicState.AWAITING_SNAPSHOT && !snapshots.auditing() && state.quoteWantedFrom == 0) ||
            epoch != state.sessionEpoch)
        {
            return;
        }
        if (state.mode == TopicState.LIVE)
        {
            if (conflating)
            {
                conflated.entry(state, epoch, lastSequence, quoteSequence, entry, quoteOffset);
            }
            else
            {
                deliveries.auditTail(state, lastSequence, lastEndedEpoch < epoch);
            }
            return;
        }
        if (state.mode != TopicState.AWAITING_SNAPSHOT)
        {
            // Recovering: its tail (and end) is checked once it is live again, if it is still in that session then.
            state.audited(epoch, lastSequence, lastEndedEpoch < epoch);
            return;
        }
        listener.onSnapshot(state, epoch, lastSequence, quoteSequence, entry, quoteOffset);
        counters.recovery().onSnapshot();
        state.nextExpected = lastSequence + 1;
        state.mode = TopicState.LIVE;
        snapshots.taken(state);
        deliveries.release(state);
    }

    /**
     * A request is over: what a gap fill did not recover is reported unrecoverable in its place (or, if the service
     * answered without covering it, caught up), a catch-up that ended lets the topic's held frames go on through the
     * rules.
     *
     * @param task    the request.
     * @param outcome {@link RecoveryRequests#ANSWERED} or another outcome.
     */
    public void onRequestDone(final long task, final long outcome)
    {
        if (snapshots.isTask(task))
        {
            // The topics it did not cover recover their beginning instead, from 1.
            for (final TopicState state : snapshots.done(outcome))
            {
                state.mode = TopicState.LIVE;
                deliveries.release(state);
            }
            publishSessionEndWhenIdle();
            return;
        }
        final TopicState state = tasks.done(task);
        if (state == null)
        {
            publishSessionEndWhenIdle();
            return;
        }
        if (outcome != RecoveryRequests.ANSWERED)
        {
            counters.recovery().onRecoveryFailed();
            // A stream has no end to report lost: the loss the topic shows next is reported, not asked for again.
            state.reportNextLoss = state.mode == TopicState.CATCHING_UP;
        }
        if (state.mode == TopicState.RECOVERING && state.taskTo == WireFormat.SEQUENCE_TO_END)
        {
            deliveries.notice(state, true);
        }
        else if (state.mode == TopicState.RECOVERING && state.nextExpected <= state.taskTo)
        {
            if (outcome == RecoveryRequests.ANSWERED)
            {
                // Answered, and neither sent nor said to be unavailable: the service has it, so keep asking.
                tasks.catchUp(state);
                publishSessionEndWhenIdle();
                return;
            }
            deliveries.notice(state, false);
        }
        if (state.mode == TopicState.CATCHING_UP)
        {
            tasks.caughtUp(state);
        }
        state.mode = TopicState.LIVE;
        deliveries.release(state);
        publishSessionEndWhenIdle();
    }

    /**
     * Asks the service for every topic's last sequence number and recovers what the feed never announced: the end
     * of a session whose last heartbeats (and perhaps its end) the feed dropped.
     *
     * @param needless true when nothing can be missing: the feed went stale after its newest session ended, or every
     *                 update of the session that just ended was delivered.
     */
    private void audit(final boolean needless)
    {
        if (rules == null || needless)
        {
            return;
        }
        snapshots.audit();
    }

    private void publishSessionEndWhenIdle()
    {
        if (!endPending || !idle())
        {
            return;
        }
        endPending = false;
        listener.onSessionEnd(lastEndedEpoch, pendingEndNs);
        tasks.release();
    }
}
