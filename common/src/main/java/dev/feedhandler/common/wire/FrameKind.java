package dev.feedhandler.common.wire;

/**
 * What a valid frame 1 holds.
 */
public enum FrameKind
{
    /** A batch header followed by updates of the topic. */
    BATCH,
    /** A heartbeat of the topic. */
    HEARTBEAT,
    /** The publisher's session status (control topic). */
    SESSION_STATUS,
    /** A conflated stream's message: a topic's updates of an interval in one, with its newest quote. */
    CONFLATED,
    /** Not valid: see {@link FrameReader#error()}. */
    INVALID
}
