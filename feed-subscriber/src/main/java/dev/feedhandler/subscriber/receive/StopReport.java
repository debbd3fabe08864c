package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.GapRecoveryCounters;
import dev.feedhandler.subscriber.sequence.TopicSequencer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the receiver says as it stops about what it will never deliver: counted in the recovery counters and logged
 * at WARN, so that nothing is lost silently. Cold path, once, on the receiver thread.
 */
final class StopReport
{
    /** The receiver's logger: the lines are the receiver's last words. */
    private static final Logger LOG = LoggerFactory.getLogger(FeedReceiver.class);

    private StopReport()
    {
    }

    /**
     * Counts and logs what the sequencer still holds back.
     *
     * @param sequencer the receiver's sequencer, as it stops.
     * @param counters  the recovery counters.
     */
    static void report(final TopicSequencer sequencer, final GapRecoveryCounters counters)
    {
        final long held = sequencer.heldUpdates();
        if (held > 0)
        {
            counters.onHeldAtStop(held);
            LOG.warn("stopped with {} update(s) held back behind recoveries that had not completed: they were " +
                "received but are never delivered", held);
        }
    }
}
