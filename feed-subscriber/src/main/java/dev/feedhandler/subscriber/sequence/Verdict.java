package dev.feedhandler.subscriber.sequence;

/**
 * What the {@link TopicSequencer} decided about one frame: whether the listener gets it (a batch or a heartbeat),
 * only a notice (a gap, a lost session), or nothing; which of its leading updates were delivered before; and the
 * gap or lost session to report ahead of it. Reused: read it right after the call that filled it.
 */
public final class Verdict
{
    /** Nothing for the listener: a duplicate, a late frame of an older session, a frame held back quietly. */
    public static final int NONE = 0;
    /** Deliver the frame's batch (after {@link #skip()} updates delivered before). */
    public static final int BATCH = 1;
    /** Deliver the frame's heartbeat (it reports a gap, the topic's end, or both). */
    public static final int HEARTBEAT = 2;
    /** Only the notices: the gap and or the lost session. */
    public static final int NOTICE = 3;
    /**
     * Deliver a conflated stream's message: its counts, and its quote unless {@link #skip()} is 1 (the quote was
     * delivered before).
     */
    public static final int CONFLATED = 4;

    /** The frame came straight from the feed. */
    public static final byte LIVE = 0;
    /** The frame came from the recovery service. */
    public static final byte RECOVERED = 1;
    /** The frame came from the feed and was held back behind a recovery. */
    public static final byte HELD_BACK = 2;

    int kind;
    byte origin;
    int skip;
    long gapFrom;
    long gapTo;
    boolean gapUnrecoverable;
    long lostEpoch;
    long lostSequence;
    boolean endOfTopic;

    void reset(final byte frameOrigin)
    {
        kind = NONE;
        origin = frameOrigin;
        skip = 0;
        gapFrom = 0;
        gapTo = 0;
        gapUnrecoverable = true;
        lostEpoch = 0;
        lostSequence = 0;
        endOfTopic = false;
    }

    void gap(final long from, final long to, final boolean unrecoverable)
    {
        gapFrom = from;
        gapTo = to;
        gapUnrecoverable = unrecoverable;
    }

    void sessionLost(final long epoch, final long lastDelivered)
    {
        lostEpoch = epoch;
        lostSequence = lastDelivered;
    }

    /** Turns a frame that is not delivered into a notice when it has something to report. */
    void noticeOnly()
    {
        if (kind == NONE && (hasGap() || lostEpoch != 0))
        {
            kind = NOTICE;
        }
    }

    /**
     * {@link #NONE}, {@link #BATCH}, {@link #HEARTBEAT}, {@link #NOTICE} or {@link #CONFLATED}.
     *
     * @return the kind.
     */
    public int kind()
    {
        return kind;
    }

    /**
     * {@link #LIVE}, {@link #RECOVERED} or {@link #HELD_BACK}.
     *
     * @return where the frame came from.
     */
    public byte origin()
    {
        return origin;
    }

    /**
     * Leading updates of the batch delivered before.
     *
     * @return how many to skip.
     */
    public int skip()
    {
        return skip;
    }

    /**
     * Whether a gap is reported ahead of the frame.
     *
     * @return true if there is a gap.
     */
    public boolean hasGap()
    {
        return gapTo >= gapFrom && gapFrom > 0;
    }

    /**
     * First missing sequence number of the gap.
     *
     * @return the sequence number.
     */
    public long gapFrom()
    {
        return gapFrom;
    }

    /**
     * Last missing sequence number of the gap.
     *
     * @return the sequence number.
     */
    public long gapTo()
    {
        return gapTo;
    }

    /**
     * Whether the gap is lost for good (false: it is being recovered).
     *
     * @return true if unrecoverable.
     */
    public boolean gapUnrecoverable()
    {
        return gapUnrecoverable;
    }

    /**
     * The earlier session the topic lost the rest of, 0 if none.
     *
     * @return the epoch.
     */
    public long lostEpoch()
    {
        return lostEpoch;
    }

    /**
     * The last sequence number delivered of the lost session.
     *
     * @return the sequence number.
     */
    public long lostSequence()
    {
        return lostSequence;
    }

    /**
     * Whether the heartbeat ends the topic's session.
     *
     * @return true at the end.
     */
    public boolean endOfTopic()
    {
        return endOfTopic;
    }

    @Override
    public String toString()
    {
        return "Verdict{kind=" + kind + ", origin=" + origin + ", skip=" + skip + ", gap=" + gapFrom + ".." + gapTo +
            (gapUnrecoverable ? " unrecoverable" : "") + ", lost=" + lostEpoch + "/" + lostSequence + ", end=" +
            endOfTopic + "}";
    }
}
