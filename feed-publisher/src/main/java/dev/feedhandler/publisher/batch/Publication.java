package dev.feedhandler.publisher.batch;

import org.agrona.DirectBuffer;

/**
 * Where finished frames go: a ZeroMQ socket in production, a recording in tests. Called on the publisher's
 * thread only.
 */
public interface Publication
{
    /**
     * Sends one message {@code [topic][payload]}.
     *
     * @param topic   frame 0, never modified by the caller afterwards.
     * @param payload holds frame 1; may be reused by the caller as soon as this returns.
     * @param offset  where frame 1 starts in {@code payload}.
     * @param length  frame 1 length.
     */
    void send(byte[] topic, DirectBuffer payload, int offset, int length);
}
