package dev.feedhandler.subscriber.sequence;

/**
 * Where the {@link TopicSequencer} sends what it wants recovered: the recovery client (through its link), or a
 * recording in tests. Each request has the id the sequencer gave it; the answers come back as
 * {@link TopicSequencer#onRecoveredFrame}, {@link TopicSequencer#onUnavailable}, {@link TopicSequencer#onSnapshotEntry}
 * and {@link TopicSequencer#onRequestDone}.
 */
public interface RecoveryRequests
{
    /** {@link TopicSequencer#onRequestDone} outcome: the service answered to the end. */
    long ANSWERED = 0;
    /** {@link TopicSequencer#onRequestDone} outcome: no answer after every retry. */
    long NO_ANSWER = 1;
    /** {@link TopicSequencer#onRequestDone} outcome: the service refused the request. */
    long REFUSED = 2;
    /** {@link TopicSequencer#onRequestDone} outcome: the request was cancelled. */
    long CANCELLED = 3;

    /**
     * Fill a topic's sequence range of a session.
     *
     * @param task  the request's id.
     * @param topic the topic.
     * @param epoch the session.
     * @param from  first sequence number.
     * @param to    last sequence number, or {@code WireFormat.SEQUENCE_TO_END} for the rest of the session.
     */
    void fillGap(long task, TopicState topic, long epoch, long from, long to);

    /**
     * Stream a topic's updates of a session from a sequence number on, following the topic as it is published, until
     * cancelled (the topic merged into the live feed) or its session ends: a catch-up.
     *
     * @param task  the request's id.
     * @param topic the topic.
     * @param epoch the session.
     * @param from  first sequence number.
     */
    void catchUp(long task, TopicState topic, long epoch, long from);

    /**
     * Fetch the last value of every topic of the subscription.
     *
     * @param task the request's id.
     */
    void snapshot(long task);

    /**
     * Forget a request: its answers are not wanted any more (a done comes back all the same).
     *
     * @param task the request's id.
     */
    void cancel(long task);

    /**
     * The session ended and nothing is being recovered: the connection to the service may be let go until the next
     * request (a publisher lingers after its session while subscribers are connected to its service).
     */
    default void release()
    {
    }
}
