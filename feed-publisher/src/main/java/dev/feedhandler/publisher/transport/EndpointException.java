package dev.feedhandler.publisher.transport;

/**
 * An endpoint could not be bound (in use, malformed, unknown transport). The message names the endpoint and the
 * reason in one line.
 */
public final class EndpointException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String endpoint;

    /**
     * A bind failure.
     *
     * @param endpoint the endpoint as given.
     * @param reason   why, in a few words.
     */
    public EndpointException(final String endpoint, final String reason)
    {
        super("cannot bind " + endpoint + ": " + reason);
        this.endpoint = endpoint;
    }

    /**
     * The endpoint that failed.
     *
     * @return the endpoint as given.
     */
    public String endpoint()
    {
        return endpoint;
    }
}
