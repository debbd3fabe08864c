package dev.feedhandler.subscriber.receive;

/**
 * The sequence rules of one topic, applied to each batch and heartbeat the receiver sees: what is new, what was
 * missed (a gap), what was already delivered (duplicates), and when the publisher's session changed. Results are
 * left in fields, so nothing is allocated. Receiver thread only.
 */
public final class SequenceTracker
{
    /** Deliver the batch (after {@link #skip()} duplicates, and after reporting {@link #hasGap()} if any). */
    public static final int DELIVER = 0;
    /** Every update of the batch was delivered before: drop it. */
    public static final int DUPLICATE = 1;
    /** The batch belongs to an older publisher session than the topic's: drop it. */
    public static final int STALE_EPOCH = 2;
    /** A heartbeat with nothing to report (no loss, not the end). */
    public static final int NOTHING = 3;

    private long gapFrom;
    private long gapTo;
    private int skip;
    private boolean epochChanged;

    /**
     * Applies a batch to a topic's state.
     *
     * @param state         the topic's state, updated.
     * @param sessionEpoch  the batch's session.
     * @param firstSequence sequence number of its first update.
     * @param count         its updates (at least 1).
     * @return {@link #DELIVER}, {@link #DUPLICATE} or {@link #STALE_EPOCH}.
     */
    public int onBatch(final TopicState state, final long sessionEpoch, final long firstSequence, final int count)
    {
        reset();
        if (!followEpoch(state, sessionEpoch))
        {
            return STALE_EPOCH;
        }
        final long end = firstSequence + count;
        if (end <= state.nextExpected)
        {
            return DUPLICATE;
        }
        if (firstSequence > state.nextExpected)
        {
            gapFrom = state.nextExpected;
            gapTo = firstSequence - 1;
        }
        else if (firstSequence < state.nextExpected)
        {
            skip = (int)(state.nextExpected - firstSequence);
        }
        state.nextExpected = end;
        state.seen = true;
        return DELIVER;
    }

    /**
     * Applies a heartbeat: a last sequence number ahead of what was seen means the topic's last updates were lost
     * (tail loss).
     *
     * @param state        the topic's state, updated.
     * @param sessionEpoch the heartbeat's session.
     * @param lastSequence the topic's last sequence number at the publisher.
     * @param endOfSession whether the publisher ends the topic's session with it.
     * @return {@link #DELIVER} if there is a gap or an end to report, {@link #NOTHING}, or {@link #STALE_EPOCH}.
     */
    public int onHeartbeat(
        final TopicState state, final long sessionEpoch, final long lastSequence, final boolean endOfSession)
    {
        reset();
        if (!followEpoch(state, sessionEpoch))
        {
            return STALE_EPOCH;
        }
        if (lastSequence >= state.nextExpected)
        {
            gapFrom = state.nextExpected;
            gapTo = lastSequence;
            state.nextExpected = lastSequence + 1;
        }
        if (endOfSession)
        {
            state.ended = true;
        }
        return hasGap() || endOfSession ? DELIVER : NOTHING;
    }

    /**
     * Follows the publisher's session: a newer epoch restarts the topic's sequence at 1; an older one is a late
     * message of a finished session.
     */
    private boolean followEpoch(final TopicState state, final long sessionEpoch)
    {
        if (sessionEpoch == state.sessionEpoch)
        {
            return true;
        }
        if (state.sessionEpoch != 0 && sessionEpoch < state.sessionEpoch)
        {
            return false;
        }
        epochChanged = state.sessionEpoch != 0;
        state.sessionEpoch = sessionEpoch;
        state.nextExpected = 1;
        state.ended = false;
        return true;
    }

    private void reset()
    {
        gapFrom = 0;
        gapTo = -1;
        skip = 0;
        epochChanged = false;
    }

    /**
     * Whether the last batch or heartbeat revealed missing updates.
     *
     * @return true if there is a gap.
     */
    public boolean hasGap()
    {
        return gapTo >= gapFrom && gapFrom > 0;
    }

    /**
     * First missing sequence number of the last gap.
     *
     * @return the sequence number.
     */
    public long gapFrom()
    {
        return gapFrom;
    }

    /**
     * Last missing sequence number of the last gap.
     *
     * @return the sequence number.
     */
    public long gapTo()
    {
        return gapTo;
    }

    /**
     * Leading updates of the last batch that were already delivered.
     *
     * @return how many to skip.
     */
    public int skip()
    {
        return skip;
    }

    /**
     * Whether the last batch or heartbeat moved the topic to a new publisher session.
     *
     * @return true on a new epoch.
     */
    public boolean epochChanged()
    {
        return epochChanged;
    }
}
