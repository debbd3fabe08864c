package dev.feedhandler.common.socket;

/**
 * Where the feed and its recovery service listen by default: the recovery service next to the feed, on the feed
 * endpoint's port + 1, so a subscriber that knows the feed finds the service without another setting.
 */
public final class RecoveryEndpoints
{
    /** The feed endpoint a publisher binds and a subscriber connects to unless told otherwise. */
    public static final String DEFAULT_FEED_ENDPOINT = "tcp://127.0.0.1:5556";

    private RecoveryEndpoints()
    {
    }

    /**
     * The endpoint next to a feed endpoint.
     *
     * @param feedEndpoint such as {@code tcp://127.0.0.1:5556}.
     * @return {@code tcp://127.0.0.1:5557}; {@code tcp://host:*} for a wildcard port; null for an endpoint that is not
     * tcp or has no usable port (ipc, inproc, port 65535).
     */
    public static String next(final String feedEndpoint)
    {
        if (feedEndpoint == null || !feedEndpoint.startsWith("tcp://"))
        {
            return null;
        }
        final int colon = feedEndpoint.lastIndexOf(':');
        if (colon <= "tcp://".length())
        {
            return null;
        }
        final String host = feedEndpoint.substring(0, colon);
        final String port = feedEndpoint.substring(colon + 1);
        if ("*".equals(port) || "0".equals(port))
        {
            return host + ":*";
        }
        try
        {
            final int number = Integer.parseInt(port);
            return number >= 1 && number < 65535 ? host + ":" + (number + 1) : null;
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }
}
