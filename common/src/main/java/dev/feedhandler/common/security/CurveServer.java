package dev.feedhandler.common.security;

import dev.feedhandler.common.socket.SocketSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes sockets CURVE servers with one secret key and one client policy ({@link CurveAllowList}): every socket a
 * publisher binds (the feed socket, the recovery service's socket) goes through {@link #configure}. The first
 * socket of a ZeroMQ context also installs a ZAP handler ({@link ZAuth}) in that context, which asks the policy
 * about each client; the handler lives until {@link #close()}, which must come before the context closes.
 */
public final class CurveServer implements SocketSetup, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CurveServer.class);

    private final CurveCertificate certificate;
    private final CurveAllowList policy;
    private final Map<ZContext, ZAuth> handlers = new IdentityHashMap<>();
    private boolean closed;

    /**
     * A CURVE server identity with a client policy.
     *
     * @param certificate the server's secret certificate.
     * @param policy      which clients to admit.
     */
    public CurveServer(final CurveCertificate certificate, final CurveAllowList policy)
    {
        if (!certificate.hasSecretKey())
        {
            throw new IllegalArgumentException("a CURVE server needs its secret key");
        }
        this.certificate = certificate;
        this.policy = policy;
    }

    /**
     * The server's public key, which clients need ({@code --curve-server-key}).
     *
     * @return the public key in Z85.
     */
    public String publicKey()
    {
        return certificate.publicKeyZ85();
    }

    /**
     * The client policy, for its counts.
     *
     * @return the policy.
     */
    public CurveAllowList policy()
    {
        return policy;
    }

    /**
     * Makes a socket a CURVE server: call before it binds. Installs the ZAP handler in the socket's context the
     * first time.
     *
     * @param context the socket's context.
     * @param socket  a socket not yet bound.
     */
    @Override
    public void apply(final ZContext context, final ZMQ.Socket socket)
    {
        configure(context, socket);
    }

    /**
     * Makes a socket a CURVE server: call before it binds. Installs the ZAP handler in the socket's context the
     * first time.
     *
     * @param context the socket's context.
     * @param socket  a socket not yet bound.
     */
    public synchronized void configure(final ZContext context, final ZMQ.Socket socket)
    {
        if (closed)
        {
            throw new IllegalStateException("closed");
        }
        if (!handlers.containsKey(context))
        {
            final Map<String, ZAuth.Auth> mechanisms = Map.of(
                ZMQ.Socket.Mechanism.CURVE.name(), policy,
                ZMQ.Socket.Mechanism.PLAIN.name(), new Refuse(),
                ZMQ.Socket.Mechanism.NULL.name(), new Refuse());
            handlers.put(context, new ZAuth(context, "feed-zap", mechanisms));
            LOG.info("CURVE server key {}; clients admitted: {}", certificate.publicKeyZ85(),
                policy.allowsAny() ? "any that knows this key" : "those in the allow-list");
        }
        socket.setCurveServer(true);
        socket.setCurvePublicKey(certificate.publicKey());
        socket.setCurveSecretKey(certificate.secretKey());
    }

    /**
     * Stops the ZAP handlers; do it before closing the contexts.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final List<ZAuth> all = new ArrayList<>(handlers.values());
        handlers.clear();
        for (final ZAuth handler : all)
        {
            handler.close();
        }
    }

    /**
     * Refuses a mechanism the feed does not use (NULL with a ZAP domain, PLAIN).
     */
    private static final class Refuse implements ZAuth.Auth
    {
        @Override
        public boolean configure(final ZMsg msg, final boolean verbose)
        {
            return true;
        }

        @Override
        public boolean authorize(final ZAuth.ZapRequest request, final boolean verbose)
        {
            LOG.warn("refused a {} client from {}: only CURVE is accepted", request.mechanism, request.address);
            return false;
        }
    }
}
