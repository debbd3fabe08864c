package dev.feedhandler.common.socket;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The host and port of a ZeroMQ {@code tcp://} endpoint, read with {@link URI}. ZeroMQ's wildcards, {@code *} for
 * every interface and {@code *} (or 0) for any free port, are not URI syntax: they are read as {@link #ANY_HOST} and
 * {@link #ANY_PORT}. IPv6 hosts keep their brackets ({@code [::1]}).
 *
 * @param host the host as written, or {@link #ANY_HOST}.
 * @param port the port, or {@link #ANY_PORT}.
 */
public record TcpEndpoint(String host, int port)
{
    /** The scheme prefix of a tcp endpoint. */
    public static final String PREFIX = "tcp://";

    /** ZeroMQ's host wildcard: every interface. */
    public static final String ANY_HOST = "*";

    /** A port chosen by the system when binding ({@code *} or 0). */
    public static final int ANY_PORT = 0;

    private static final int MAX_PORT = 65_535;

    /** Stands in for {@code *} while {@link URI} reads the host; a reserved name that never resolves (RFC 6761). */
    private static final String ANY_HOST_STAND_IN = "any-interface.invalid";

    /**
     * Reads a tcp endpoint.
     *
     * @param endpoint such as {@code tcp://127.0.0.1:5556}, {@code tcp://*:5556} or {@code tcp://[::1]:*}.
     * @return the host and port, or null for an endpoint that is not tcp or has no usable host and port.
     */
    public static TcpEndpoint parse(final String endpoint)
    {
        if (endpoint == null || !endpoint.startsWith(PREFIX))
        {
            return null;
        }
        String text = endpoint;
        if (text.startsWith(PREFIX + ANY_HOST + ":"))
        {
            text = PREFIX + ANY_HOST_STAND_IN + text.substring(PREFIX.length() + ANY_HOST.length());
        }
        if (text.endsWith(":" + ANY_HOST))
        {
            text = text.substring(0, text.length() - ANY_HOST.length()) + ANY_PORT;
        }
        try
        {
            final URI uri = new URI(text).parseServerAuthority();
            final boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > MAX_PORT || !bare ||
                uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null)
            {
                return null;
            }
            return new TcpEndpoint(ANY_HOST_STAND_IN.equals(uri.getHost()) ? ANY_HOST : uri.getHost(), uri.getPort());
        }
        catch (final URISyntaxException ex)
        {
            return null;
        }
    }

    /**
     * The endpoint text, with ZeroMQ's wildcards.
     *
     * @return such as {@code tcp://127.0.0.1:5557} or {@code tcp://127.0.0.1:*}.
     */
    @Override
    public String toString()
    {
        return PREFIX + host + ":" + (port == ANY_PORT ? ANY_HOST : Integer.toString(port));
    }
}
