package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ErrorLog;
import dev.feedhandler.common.counters.ProcessCounters;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;

/**
 * Replies from the recovery service that are not responses (garbage, another message, a truncated one): each is
 * counted, and each distinct kind logged once through the process's error log, not once per reply.
 */
final class BadReplies
{
    /** The label of the counter, as {@code feed stat} shows it. */
    static final String LABEL = "recovery client: replies that are not responses";

    private final String endpoint;
    private final AtomicCounter counter;
    private final ErrorLog errors;
    private final Logger logger;

    BadReplies(final String endpoint, final ProcessCounters counters, final Logger logger)
    {
        this.endpoint = endpoint;
        this.counter = counters.newCounter(CounterTypes.RECOVERY_CLIENT, LABEL);
        this.errors = counters.errors();
        this.logger = logger;
    }

    /**
     * Counts a reply that is not a response. Cold path: a service that sends these is broken.
     *
     * @param reason what the reader found wrong, or null if it read another message than a response.
     */
    void onReply(final Object reason)
    {
        counter.incrementRelease();
        final BadReply error = new BadReply("recovery service " + endpoint + " sent a reply that is not a response (" +
            (reason == null ? "another message" : reason) + "); ignored");
        if (errors.record(error) == ErrorLog.Observation.NEW)
        {
            logger.warn("{} (repeats of this reply are counted, not logged)", error.getMessage());
        }
    }

    /** The error recorded (feed stat --errors): its message only, no stack trace (the kind is all there is). */
    private static final class BadReply extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        BadReply(final String message)
        {
            super(message, null, false, false);
        }
    }
}
