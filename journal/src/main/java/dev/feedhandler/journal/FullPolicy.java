package dev.feedhandler.journal;

/**
 * What the thread handing frames to the journal does when the handoff ring is full (the journal thread has fallen
 * behind by the ring's whole capacity).
 */
public enum FullPolicy
{
    /**
     * Wait for room in the ring (never for a disk write itself), so the audit trail stays complete; the waits are
     * counted and timed. The default.
     */
    BLOCK,
    /** Drop the frame from the journal (it is still sent) and count it: the publisher never waits. */
    DROP
}
