package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.HeartbeatEncoder;
import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.codec.SessionStatusEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the frames that carry no update: a topic's heartbeat and the control topic's session status.
 * Allocation-free; one instance per writing thread.
 */
public final class ControlWriter
{
    private static final int HEARTBEAT_RESERVED_FROM =
        HeartbeatEncoder.flagsEncodingOffset() + HeartbeatEncoder.flagsEncodingLength();
    private static final int SESSION_STATUS_RESERVED_FROM =
        SessionStatusEncoder.stateEncodingOffset() + SessionStatusEncoder.stateEncodingLength();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final SessionStatusEncoder sessionStatusEncoder = new SessionStatusEncoder();

    /**
     * Writes a heartbeat frame.
     *
     * @param buffer          to write into.
     * @param offset          where the frame starts.
     * @param sessionEpoch    publisher session epoch.
     * @param lastSequence    sequence number of the topic's last update, 0 if none.
     * @param sendTimestampNs publisher send time, epoch nanoseconds.
     * @param endOfSession    whether this is the topic's last message of the session.
     * @return the frame length.
     */
    public int heartbeat(
        final MutableDirectBuffer buffer,
        final int offset,
        final long sessionEpoch,
        final long lastSequence,
        final long sendTimestampNs,
        final boolean endOfSession)
    {
        heartbeatEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .sessionEpoch(sessionEpoch)
            .lastSequence(lastSequence)
            .sendTimestampNs(sendTimestampNs)
            .flags().clear().endOfSession(endOfSession);
        final int body = offset + WireFormat.HEADER_LENGTH;
        WireFormat.zero(buffer, body + HEARTBEAT_RESERVED_FROM, body + HeartbeatEncoder.BLOCK_LENGTH);
        return WireFormat.HEARTBEAT_LENGTH;
    }

    /**
     * Writes a session status frame for the control topic.
     *
     * @param buffer           to write into.
     * @param offset           where the frame starts.
     * @param sessionEpoch     publisher session epoch.
     * @param sendTimestampNs  publisher send time, epoch nanoseconds.
     * @param publishedUpdates updates published so far in the session.
     * @param publishedBatches batches published so far in the session.
     * @param topicCount       topics published so far in the session.
     * @param state            session state.
     * @return the frame length.
     */
    public int sessionStatus(
        final MutableDirectBuffer buffer,
        final int offset,
        final long sessionEpoch,
        final long sendTimestampNs,
        final long publishedUpdates,
        final long publishedBatches,
        final int topicCount,
        final SessionState state)
    {
        sessionStatusEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .sessionEpoch(sessionEpoch)
            .sendTimestampNs(sendTimestampNs)
            .publishedUpdates(publishedUpdates)
            .publishedBatches(publishedBatches)
            .topicCount(topicCount)
            .state(state);
        final int body = offset + WireFormat.HEADER_LENGTH;
        WireFormat.zero(buffer, body + SESSION_STATUS_RESERVED_FROM, body + SessionStatusEncoder.BLOCK_LENGTH);
        return WireFormat.SESSION_STATUS_LENGTH;
    }
}
