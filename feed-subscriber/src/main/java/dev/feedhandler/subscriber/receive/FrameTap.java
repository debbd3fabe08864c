package dev.feedhandler.subscriber.receive;

import org.agrona.DirectBuffer;

/**
 * Sees every two-frame message the receiver accepts for decoding, byte for byte as received, before it is
 * validated: {@code feed subscribe --record} journals them. Called on the receiver thread, so it must be quick
 * and must not allocate (hand the bytes to another thread).
 */
@FunctionalInterface
public interface FrameTap
{
    /**
     * One message.
     *
     * @param topic       holds frame 0 from index 0.
     * @param topicLength bytes of frame 0.
     * @param payload     holds frame 1.
     * @param offset      where frame 1 starts.
     * @param length      bytes of frame 1.
     */
    void onFrame(byte[] topic, int topicLength, DirectBuffer payload, int offset, int length);
}
