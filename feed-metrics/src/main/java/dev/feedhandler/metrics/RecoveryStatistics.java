package dev.feedhandler.metrics;

/**
 * What gap recovery and liveness tell the subscriber's metrics; by default the subscriber's own counters, or other
 * figures handed over with {@link SubscriberMetrics#recovery(RecoveryStatistics)}. Read at scrape time from another
 * thread, so each figure must be safe to read from any thread.
 */
public interface RecoveryStatistics
{
    /** No recovery service: nothing recovered, no liveness events. */
    RecoveryStatistics NONE = new RecoveryStatistics()
    {
        @Override
        public long updatesRecovered()
        {
            return 0;
        }

        @Override
        public long staleEvents()
        {
            return 0;
        }
    };

    /**
     * Updates lost in gaps and then recovered from the publisher's recovery service.
     *
     * @return the count.
     */
    long updatesRecovered();

    /**
     * Times the feed was declared stale (silent for longer than its liveness limit).
     *
     * @return the count.
     */
    long staleEvents();
}
