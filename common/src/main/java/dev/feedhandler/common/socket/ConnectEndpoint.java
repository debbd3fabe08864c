package dev.feedhandler.common.socket;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Checks an endpoint before a socket connects to it, so that a mistake fails on the caller's thread with a one-line
 * reason. JeroMQ 0.6.0 reports an unsupported transport, a missing port and a port out of range all as a bare
 * {@code IllegalArgumentException} or error code, and a host that does not resolve with a stack trace from whichever
 * thread connects (the recovery client's, for a recovery endpoint).
 * <p>
 * What is checked is what can be known without the peer: the transport (JeroMQ has tcp, ipc and inproc; no pgm or
 * epgm), for tcp a port in 1-65535 and a host that resolves now. A peer that is not there yet is not an error: the
 * socket goes on trying, as ZeroMQ sockets do.
 */
public final class ConnectEndpoint
{
    private static final String TCP = "tcp";
    private static final String SCHEME_END = "://";
    private static final int MAX_PORT = 65_535;

    private ConnectEndpoint()
    {
    }

    /**
     * Checks an endpoint to connect to.
     *
     * @param endpoint such as {@code tcp://host:5556}, {@code ipc://name} or {@code inproc://name}.
     * @throws IllegalArgumentException "cannot connect ENDPOINT: reason" if a connect cannot work.
     */
    public static void check(final String endpoint)
    {
        final String problem = problem(endpoint);
        if (problem != null)
        {
            throw new IllegalArgumentException("cannot connect " + endpoint + ": " + problem);
        }
    }

    /**
     * Checks each of a comma-separated list of endpoints (a recovery endpoint per line of identical lines).
     *
     * @param endpoints such as {@code tcp://a:5557,tcp://b:5557}; null checks nothing.
     * @throws IllegalArgumentException "cannot connect ENDPOINT: reason" for the first that cannot work.
     */
    public static void checkEach(final String endpoints)
    {
        if (endpoints != null)
        {
            for (final String endpoint : endpoints.split(","))
            {
                check(endpoint.trim());
            }
        }
    }

    /**
     * Why a connect to an endpoint cannot work.
     *
     * @param endpoint the endpoint as given.
     * @return the reason in a few words, or null if nothing is wrong with it that can be seen before connecting.
     */
    public static String problem(final String endpoint)
    {
        final int schemeEnd = endpoint == null ? -1 : endpoint.indexOf(SCHEME_END);
        if (schemeEnd <= 0)
        {
            return "malformed endpoint (expected tcp://host:port, ipc://name or inproc://name)";
        }
        final String scheme = endpoint.substring(0, schemeEnd);
        final String rest = endpoint.substring(schemeEnd + SCHEME_END.length());
        switch (scheme)
        {
            case TCP:
                return tcpProblem(rest);
            case "ipc":
            case "inproc":
                return rest.isEmpty() ? "malformed endpoint (expected " + scheme + "://name)" : null;
            default:
                return "unsupported transport '" + scheme + "' (JeroMQ supports tcp, ipc and inproc; it has no pgm " +
                    "or epgm)";
        }
    }

    private static String tcpProblem(final String address)
    {
        // JeroMQ reads "host:port;source-host:port": the source part is its own business.
        final int semicolon = address.indexOf(';');
        final String destination = semicolon < 0 ? address : address.substring(0, semicolon);
        final int colon = destination.lastIndexOf(':');
        if (colon <= 0 || colon == destination.length() - 1)
        {
            return "malformed endpoint (expected tcp://host:port)";
        }
        final String portText = destination.substring(colon + 1);
        final int port;
        try
        {
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException ex)
        {
            return "malformed port '" + portText + "' (expected a number, 1-65535)";
        }
        if (port < 1 || port > MAX_PORT)
        {
            return "port " + port + " out of range (1-65535)";
        }
        String host = destination.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || "*".equals(host))
        {
            return "no host to connect to (expected tcp://host:port)";
        }
        try
        {
            InetAddress.getByName(host);
            return null;
        }
        catch (final UnknownHostException ex)
        {
            return "unknown host " + host;
        }
    }
}
