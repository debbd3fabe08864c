package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.GapRecoveryCounters;
import dev.feedhandler.subscriber.sequence.TopicSequencer;
import dev.feedhandler.subscriber.sequence.Undelivered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the receiver says as it stops about what it will never deliver ({@link Undelivered}): the updates it received
 * and holds back behind unfinished recoveries, and the ranges still being recovered (never received); each counted
 * in the recovery counters and logged at WARN in one line, so that nothing is lost silently. Cold path, once, on the
 * receiver thread.
 */
final class StopReport
{
    /** Most ranges named in the log line. */
    static final int MAX_RANGES_LOGGED = 10;

    /** The receiver's logger: the lines are the receiver's last words. */
    private static final Logger LOG = LoggerFactory.getLogger(FeedReceiver.class);

    private StopReport()
    {
    }

    /**
     * Counts and logs what the sequencer still holds back and still recovers.
     *
     * @param sequencer the receiver's sequencer, as it stops.
     * @param counters  the recovery counters.
     */
    static void report(final TopicSequencer sequencer, final GapRecoveryCounters counters)
    {
        final Undelivered undelivered = sequencer.undelivered();
        final long held = undelivered.heldUpdates();
        if (held > 0)
        {
            counters.onHeldAtStop(held);
            LOG.warn("stopped with {} update(s) held back behind recoveries that had not completed: they were " +
                "received but are never delivered", held);
        }
        final long pending = undelivered.pendingUpdates();
        if (pending > 0)
        {
            counters.onPendingAtStop(pending);
            LOG.warn("stopped with {} update(s) still being recovered, never delivered: {}", pending,
                undelivered.describePending(MAX_RANGES_LOGGED));
        }
    }
}
