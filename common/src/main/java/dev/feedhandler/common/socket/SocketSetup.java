package dev.feedhandler.common.socket;

import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Something to do to a socket after it is created and before it binds or connects: make it a CURVE server, hook
 * its event log. Called once per socket on the thread that creates it (cold path).
 */
@FunctionalInterface
public interface SocketSetup
{
    /** Does nothing. */
    SocketSetup NONE = (context, socket) ->
    {
    };

    /**
     * Prepares a socket.
     *
     * @param context the context the socket belongs to (a ZAP handler is installed per context).
     * @param socket  the new socket, not yet bound or connected.
     */
    void apply(ZContext context, ZMQ.Socket socket);

    /**
     * This setup, then another.
     *
     * @param next the setup to apply after this one.
     * @return the combined setup.
     */
    default SocketSetup andThen(final SocketSetup next)
    {
        return (context, socket) ->
        {
            apply(context, socket);
            next.apply(context, socket);
        };
    }
}
