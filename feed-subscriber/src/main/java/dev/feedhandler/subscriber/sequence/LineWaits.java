package dev.feedhandler.subscriber.sequence;

import org.agrona.concurrent.NanoClock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link TopicSequencer}'s rule for identical lines: a gap seen on one line waits for the other. The topic then
 * awaits a line ({@link TopicState#AWAITING_LINE}), its later frames held back as behind a recovery, while another
 * line that is up has not passed the missing sequence number ({@link LineArbiter#anotherLineMayBring}), for at most
 * the arbiter's wait ({@link LineArbiter#waitNs}). A live batch of another line that continues the topic where it
 * waits is delivered at once and the topic's held frames follow; when every line that is up has passed the gap
 * without filling it, or the wait is over, the topic goes live again and its held frames through the rules, which
 * then recover the gap. The sequencer calls in at a few points only: a gap, a batch of a waiting topic, after each
 * frame, regularly, a topic that gives up, a partly answered recovery. Receiver thread only; allocation-free.
 */
final class LineWaits
{
    /** How many times a partly answered gap fill is asked again (of whichever line's service answers). */
    static final int PARTIAL_RETRIES = 3;

    private final LineArbiter arbiter;
    private final NanoClock clock;
    private final List<TopicState> awaiting = new ArrayList<>();
    private final ArrayDeque<TopicState> filled = new ArrayDeque<>();

    LineWaits(final LineArbiter arbiter, final NanoClock clock)
    {
        this.arbiter = arbiter;
        this.clock = clock;
    }

    /**
     * Whether some topic waits for a line.
     *
     * @return true while one does.
     */
    boolean any()
    {
        return !awaiting.isEmpty();
    }

    /**
     * A gap from {@code from} was seen: whether it waits for another line (the topic then awaits it, and the caller
     * holds the frame that showed the gap). Not while the topic's wait was just ended, not past the wait since the
     * topic began waiting, not when every line that is up has passed it.
     *
     * @param state the topic.
     * @param from  its first missing sequence number.
     * @return true if the gap waits.
     */
    boolean await(final TopicState state, final long from)
    {
        if (state.lineWaitOver)
        {
            return false;
        }
        final long nowNs = clock.nanoTime();
        if (state.awaitingLineSinceNs == 0)
        {
            state.awaitingLineSinceNs = nowNs;
        }
        else if (nowNs - state.awaitingLineSinceNs >= arbiter.waitNs(nowNs))
        {
            state.awaitingLineSinceNs = 0;
            return false;
        }
        if (!arbiter.anotherLineMayBring(state, state.sessionEpoch, from))
        {
            state.awaitingLineSinceNs = 0;
            return false;
        }
        state.mode = TopicState.AWAITING_LINE;
        awaiting.add(state);
        return true;
    }

    /**
     * Whether a batch continues a topic that waits for a line, where it waits: a live batch of its session from at
     * most its next sequence number. The caller then delivers it as any batch and tells {@link #filled}.
     *
     * @param state  the topic.
     * @param origin the batch's origin ({@link Verdict#LIVE}...).
     * @param epoch  its session.
     * @param first  its first sequence number.
     * @return true to deliver it now.
     */
    static boolean fills(final TopicState state, final byte origin, final long epoch, final long first)
    {
        return origin == Verdict.LIVE && state.mode == TopicState.AWAITING_LINE && epoch == state.sessionEpoch &&
            first <= state.nextExpected;
    }

    /**
     * A batch that {@link #fills} the topic was delivered: if it moved the topic on, the topic's held frames follow
     * after this frame ({@link #releaseFilled}).
     *
     * @param state  the topic.
     * @param before its next sequence number before the batch.
     */
    void filled(final TopicState state, final long before)
    {
        if (state.nextExpected > before)
        {
            filled.addLast(state);
        }
    }

    /**
     * Topics that another line moved on go live and their held frames through the rules; then the waits that are
     * over end ({@link #endWaits}). After each live frame.
     *
     * @param release delivers a live topic's held frames in order through the rules.
     */
    void releaseFilled(final Consumer<TopicState> release)
    {
        while (!filled.isEmpty())
        {
            final TopicState state = filled.pollFirst();
            awaiting.remove(state);
            state.mode = TopicState.LIVE;
            release.accept(state);
            if (state.mode == TopicState.LIVE && !state.holds())
            {
                state.awaitingLineSinceNs = 0;
            }
        }
        if (!awaiting.isEmpty())
        {
            endWaits(clock.nanoTime(), release);
        }
    }

    /**
     * Ends the waits that can no longer be filled by another line (every line that is up passed the gap) or that
     * lasted the wait: the topics go live and their held frames through the rules, which recover the gaps (or report
     * them lost, without recovery). Call it regularly.
     *
     * @param nowNs   the {@link NanoClock} time.
     * @param release delivers a live topic's held frames in order through the rules.
     */
    void endWaits(final long nowNs, final Consumer<TopicState> release)
    {
        for (int i = awaiting.size() - 1; i >= 0; i--)
        {
            final TopicState state = awaiting.get(i);
            if (nowNs - state.awaitingLineSinceNs >= arbiter.waitNs(nowNs) ||
                !arbiter.anotherLineMayBring(state, state.sessionEpoch, state.nextExpected))
            {
                awaiting.remove(i);
                state.mode = TopicState.LIVE;
                state.lineWaitOver = true;
                release.accept(state);
                state.lineWaitOver = false;
                if (state.mode == TopicState.LIVE && !state.holds())
                {
                    state.awaitingLineSinceNs = 0;
                }
            }
        }
    }

    /**
     * A topic that waited gives up (the bound of held bytes): it no longer waits.
     *
     * @param state the topic.
     */
    void forget(final TopicState state)
    {
        awaiting.remove(state);
        state.awaitingLineSinceNs = 0;
    }

    /**
     * A gap fill is over and the topic reached its end: a later partial answer starts its retries afresh.
     *
     * @param state the topic.
     */
    static void answered(final TopicState state)
    {
        state.partialRetries = 0;
    }

    /**
     * A gap fill was answered without covering the gap: the service that answered may be that of a line still
     * behind the gap (it had not sent all of it yet) or of a line restarted after it (it skipped it). Whether to let
     * the topic's held frames go through the rules again, so that the gap waits for a line or is asked again (of
     * whichever service answers), rather than report it lost: a few times.
     *
     * @param state the topic.
     * @return true to ask again.
     */
    static boolean askAgain(final TopicState state)
    {
        if (state.partialRetries >= PARTIAL_RETRIES)
        {
            return false;
        }
        state.partialRetries++;
        return true;
    }
}
