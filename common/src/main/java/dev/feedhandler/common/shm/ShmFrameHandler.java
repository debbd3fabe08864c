package dev.feedhandler.common.shm;

import org.agrona.DirectBuffer;

/**
 * Receives the frames a {@link ShmLogReader} reads: {@code [topic][payload]} as the publisher sent them, in a
 * buffer of the reader's that is valid during the call only. Reader thread; must not allocate.
 */
@FunctionalInterface
public interface ShmFrameHandler
{
    /**
     * One frame.
     *
     * @param buffer        holds the topic and the payload.
     * @param topicOffset   where the topic starts.
     * @param topicLength   its length.
     * @param payloadOffset where the payload starts.
     * @param payloadLength its length.
     */
    void onFrame(DirectBuffer buffer, int topicOffset, int topicLength, int payloadOffset, int payloadLength);
}
