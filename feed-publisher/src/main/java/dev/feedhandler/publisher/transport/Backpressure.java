package dev.feedhandler.publisher.transport;

/**
 * What the publisher does when a subscriber's queue (SNDHWM) is full.
 */
public enum Backpressure
{
    /** ZeroMQ PUB semantics: the message is dropped for that subscriber only; it detects the gap by sequence. */
    DROP,
    /** XPUB no-drop: the publisher waits until every subscriber has room, so one slow subscriber slows all. */
    BLOCK
}
