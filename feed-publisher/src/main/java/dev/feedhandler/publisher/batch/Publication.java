package dev.feedhandler.publisher.batch;

import org.agrona.DirectBuffer;

/**
 * Where finished frames go: a ZeroMQ socket in production, a recording in tests, with decorators in between (the
 * recovery hand-off, the journal, the drop hook). Called on the publisher's thread only.
 * <p>
 * A send never waits. What happened is its return code, as with Aeron's {@code Publication.offer}: the frame was
 * taken ({@link #SENT}), nothing was taken because a subscriber's queue is full ({@link #BACK_PRESSURED}: the
 * {@code block} policy; the caller offers <em>the same frame</em> again, before any other, on a later duty cycle),
 * or nothing was taken and nothing will be ({@link #CLOSED}). A decorator does its own part once per frame: when
 * its delegate answered {@link #BACK_PRESSURED}, the next call is the retry of that frame and it must not hand the
 * frame on a second time.
 */
public interface Publication
{
    /** The frame was taken: handed to the socket (or kept off it on purpose by a test hook). */
    int SENT = 1;

    /**
     * Nothing was taken: a subscriber's queue is full and the socket does not drop ({@code --backpressure block}).
     * Offer the same frame again later, before any other.
     */
    int BACK_PRESSURED = -1;

    /** Nothing was taken and nothing will be: the socket is closed or its ZeroMQ context was terminated. */
    int CLOSED = -2;

    /**
     * Offers one message {@code [topic][payload]}.
     *
     * @param topic   frame 0, never modified by the caller afterwards.
     * @param payload holds frame 1; may be reused by the caller as soon as this returns.
     * @param offset  where frame 1 starts in {@code payload}.
     * @param length  frame 1 length.
     * @return {@link #SENT}, {@link #BACK_PRESSURED} or {@link #CLOSED}.
     */
    int send(byte[] topic, DirectBuffer payload, int offset, int length);
}
