package dev.feedhandler.subscriber.sequence;

/**
 * What the {@link TopicSequencer} has to deliver besides the frame it was just given: frames it held back or
 * recovered, notices of their own, snapshots, the end of a session. The receiver implements it by publishing into
 * the ring; tests record the calls. Never called while the sequencer decides about a live frame (the receiver
 * holds that frame's ring slot then): only from {@link TopicSequencer#afterFrame()} and from the calls that bring
 * recovery results.
 */
public interface SequencerListener
{
    /**
     * A frame to deliver (or, with {@link Verdict#NOTICE}, only the verdict's notices).
     *
     * @param topic   the topic.
     * @param verdict what to deliver; its origin says where the frame came from.
     * @param frame   holds the frame (a batch or heartbeat message), or null for a notice of its own.
     * @param offset  where the frame starts.
     * @param length  the frame's length.
     */
    void onTopicEvent(TopicState topic, Verdict verdict, byte[] frame, int offset, int length);

    /**
     * A topic starts from a snapshot.
     *
     * @param topic         the topic.
     * @param sessionEpoch  the session.
     * @param lastSequence  the topic's last sequence number; the next update delivered follows it.
     * @param quoteSequence the sequence number of the quote, or 0 without one.
     * @param entry         the snapshot entry as received.
     * @param quoteOffset   where its quote starts in {@code entry}, or -1.
     */
    void onSnapshot(TopicState topic, long sessionEpoch, long lastSequence, long quoteSequence, byte[] entry,
        int quoteOffset);

    /**
     * The publisher ended its session, and everything it sent before has been delivered or reported.
     *
     * @param sessionEpoch    the session.
     * @param sendTimestampNs when the publisher said so.
     */
    void onSessionEnd(long sessionEpoch, long sendTimestampNs);
}
