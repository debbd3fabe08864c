package dev.feedhandler.subscriber.metrics;

/**
 * What gap recovery and liveness (issue 5) tell the subscriber's metrics: handed over once with
 * {@link SubscriberMetrics#recovery(RecoveryStatistics)} and read at scrape time from another thread, so each
 * figure must be safe to read from any thread.
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
     * Times a topic or the publisher was declared stale (silent for longer than its liveness limit).
     *
     * @return the count.
     */
    long staleEvents();
}
