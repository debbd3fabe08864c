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
        final TcpEndpoint feed = TcpEndpoint.parse(feedEndpoint);
        if (feed == null)
        {
            return null;
        }
        if (feed.port() == TcpEndpoint.ANY_PORT)
        {
            return new TcpEndpoint(feed.host(), TcpEndpoint.ANY_PORT).toString();
        }
        return feed.port() < 65_535 ? new TcpEndpoint(feed.host(), feed.port() + 1).toString() : null;
    }
}
