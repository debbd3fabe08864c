package dev.feedhandler.publisher.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Why a bind fails, in one line: an address that is not this host's, and ZeroMQ's error codes in words.
 */
final class BindErrors
{
    private static final Logger LOG = LoggerFactory.getLogger(BindErrors.class);

    private BindErrors()
    {
    }

    static void checkLocalHost(final String endpoint)
    {
        if (!endpoint.startsWith("tcp://"))
        {
            return;
        }
        final String rest = endpoint.substring("tcp://".length());
        final int colon = rest.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new EndpointException(endpoint, "malformed endpoint (expected tcp://host:port)");
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        if ("*".equals(host))
        {
            return;
        }
        try
        {
            final InetAddress address = InetAddress.getByName(host);
            if (!address.isAnyLocalAddress() && !address.isLoopbackAddress() &&
                NetworkInterface.getByInetAddress(address) == null)
            {
                throw new EndpointException(endpoint, "address " + host + " is not an address of this host");
            }
        }
        catch (final UnknownHostException ex)
        {
            throw new EndpointException(endpoint, "unknown host " + host);
        }
        catch (final SocketException ex)
        {
            // Interfaces cannot be listed: let the bind itself decide.
            LOG.debug("cannot list network interfaces", ex);
        }
    }

    static String reason(final String endpoint, final ZMQException ex)
    {
        final ZMQ.Error error = ZMQ.Error.findByCode(ex.getErrorCode());
        switch (error)
        {
            case EADDRINUSE:
                return "address already in use";
            case EPROTONOSUPPORT:
                return "unsupported transport '" + scheme(endpoint) +
                    "' (JeroMQ supports tcp, ipc and inproc; it has no pgm or epgm)";
            case EADDRNOTAVAIL:
                return "address not available" + (ex.getMessage() != null ? " (" + ex.getMessage() + ")" : "");
            case EINVAL:
                return "malformed endpoint";
            default:
                return error.getMessage();
        }
    }

    private static String scheme(final String endpoint)
    {
        try
        {
            final String scheme = URI.create(endpoint).getScheme();
            return scheme == null ? endpoint : scheme;
        }
        catch (final IllegalArgumentException ex)
        {
            return endpoint;
        }
    }
}
