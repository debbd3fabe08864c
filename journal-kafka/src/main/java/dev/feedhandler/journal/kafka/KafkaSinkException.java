package dev.feedhandler.journal.kafka;

/**
 * What the sink cannot get past by retrying (Kafka refuses a record for good: too large, not authorised), with a
 * one-line message that says which entry, which topic and why.
 */
public final class KafkaSinkException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A failure.
     *
     * @param message one line for the user.
     * @param cause   Kafka's exception.
     */
    public KafkaSinkException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
