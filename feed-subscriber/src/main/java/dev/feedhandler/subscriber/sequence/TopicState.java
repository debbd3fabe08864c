package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.subscriber.Topic;

import java.util.ArrayDeque;

/**
 * One topic's sequence state, owned by the {@link TopicSequencer}: the publisher session it follows, the next
 * sequence number it expects, and, with recovery, what it waits for and the live frames held back meanwhile.
 * Receiver thread only (the sequencer's thread).
 */
public final class TopicState
{
    /** Delivering as frames arrive. */
    public static final int LIVE = 0;
    /** A gap (or the rest of an earlier session) is being recovered; live frames are held back. */
    public static final int RECOVERING = 1;
    /** Waiting for a snapshot to start from; live frames are held back. */
    public static final int AWAITING_SNAPSHOT = 2;
    /**
     * Catching up: a stream from the recovery service brings the topic's updates; live frames are let go while far
     * ahead of it and held once close, until the stream reaches them and the topic merges into the live feed.
     */
    public static final int CATCHING_UP = 3;
    /** A gap seen on one line of identical lines waits for another line to fill it; live frames are held back. */
    public static final int AWAITING_LINE = 4;

    final Topic topic;
    final byte[] bytes;
    long sessionEpoch;
    long nextExpected = 1;
    boolean ended;
    /** Registered with the sequencer's list of the topics it has seen. */
    boolean known;

    int mode = LIVE;
    ArrayDeque<byte[]> held;
    long heldBytes;
    long task;
    long taskTo;
    long awaitingSince;
    long auditedLast;
    long auditedEpoch;
    /** Whether the audit that set {@link #auditedLast} was of a session not yet ended: its end is to be confirmed. */
    boolean auditEnd;
    /** A newer session seen while the topic was not live, and whether its first frame was its beginning. */
    long newerEpoch;
    boolean newerFromStart;
    /** The service did not answer: the topic's next loss is reported unrecoverable rather than asked for again. */
    boolean reportNextLoss;
    /** A conflating listener lost the topic's tail from here: a snapshot's quote from here on is wanted (0: none). */
    long quoteWantedFrom;
    /**
     * The highest sequence number of the topic's session known to exist and recovered rather than delivered (a gap's
     * end, a live frame let go while catching up, a tail an audit found): what a stop never delivers.
     */
    long missingEpoch;
    long missingTo;
    /** Identical lines ({@link LineWaits}): since when the topic waits for a line, its wait just ended, retries. */
    long awaitingLineSinceNs;
    boolean lineWaitOver;
    int partialRetries;

    /**
     * A topic not seen yet.
     *
     * @param topic its public identity.
     * @param bytes its name as it appears in frame 0 (kept, not copied).
     */
    public TopicState(final Topic topic, final byte[] bytes)
    {
        this.topic = topic;
        this.bytes = bytes;
    }

    /**
     * The topic.
     *
     * @return the topic.
     */
    public Topic topic()
    {
        return topic;
    }

    /**
     * The topic's name as it appears in frame 0.
     *
     * @return the bytes (do not change them).
     */
    public byte[] bytes()
    {
        return bytes;
    }

    /**
     * The next sequence number expected.
     *
     * @return the sequence number.
     */
    public long nextExpected()
    {
        return nextExpected;
    }

    /**
     * The publisher session the topic follows, 0 before the first message.
     *
     * @return the epoch.
     */
    public long sessionEpoch()
    {
        return sessionEpoch;
    }

    /**
     * {@link #LIVE}, {@link #RECOVERING}, {@link #AWAITING_SNAPSHOT} or {@link #CATCHING_UP}.
     *
     * @return the mode.
     */
    public int mode()
    {
        return mode;
    }

    /**
     * Bytes of live frames this topic holds back.
     *
     * @return the bytes.
     */
    public long heldBytes()
    {
        return heldBytes;
    }

    /**
     * Updates up to {@code sequence} of the topic's session exist and are recovered rather than delivered now; until
     * they are delivered or reported unrecoverable, a stop counts them ({@link Undelivered}).
     *
     * @param epoch    the topic's session.
     * @param sequence the highest sequence number known missing.
     */
    void missingUpTo(final long epoch, final long sequence)
    {
        if (epoch != missingEpoch)
        {
            missingEpoch = epoch;
            missingTo = sequence;
        }
        else if (sequence > missingTo)
        {
            missingTo = sequence;
        }
    }

    /**
     * Whether live frames are held back.
     *
     * @return true if some are.
     */
    boolean holds()
    {
        return held != null && !held.isEmpty();
    }

    /**
     * An audit's entry for this topic while it was recovering: its tail is checked once it is live again.
     *
     * @param epoch      the entry's session.
     * @param last       the topic's last sequence number in it.
     * @param confirmEnd whether that session had not ended yet for the subscriber: a topic then found complete asks
     *                   the service for its last update again, whose reply carries the end if the topic ended.
     */
    void audited(final long epoch, final long last, final boolean confirmEnd)
    {
        auditedLast = auditedEpoch == epoch ? Math.max(auditedLast, last) : last;
        auditedEpoch = epoch;
        auditEnd = confirmEnd;
    }
}
