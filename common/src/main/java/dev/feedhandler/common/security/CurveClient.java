package dev.feedhandler.common.security;

import dev.feedhandler.common.socket.SocketSetup;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The CURVE settings of a client socket: the server's public key and the client's own key pair. Applied to every
 * socket a subscriber connects (the feed socket, the recovery client's socket).
 *
 * @param serverKey   the server's public key (32 bytes).
 * @param certificate the client's secret certificate.
 */
public record CurveClient(byte[] serverKey, CurveCertificate certificate) implements SocketSetup
{
    /**
     * Checks the keys.
     */
    public CurveClient
    {
        if (serverKey == null || serverKey.length != ZMQ.Curve.KEY_SIZE)
        {
            throw new IllegalArgumentException("a CURVE server key has " + ZMQ.Curve.KEY_SIZE + " bytes");
        }
        if (certificate == null || !certificate.hasSecretKey())
        {
            throw new IllegalArgumentException("a CURVE client needs its secret key");
        }
        serverKey = serverKey.clone();
    }

    /**
     * Reads the two files of {@code --curve-server-key} and {@code --curve-cert}.
     *
     * @param serverKeyFile  the server's public certificate.
     * @param clientCertFile the client's secret certificate (owner-only).
     * @return the settings.
     * @throws KeyFileException with a one-line message if a file cannot be used.
     */
    public static CurveClient read(final java.nio.file.Path serverKeyFile, final java.nio.file.Path clientCertFile)
    {
        final CurveCertificate server = CurveKeys.readPublic(serverKeyFile);
        return new CurveClient(server.publicKey(), CurveKeys.readSecret(clientCertFile));
    }

    /**
     * Makes a socket a CURVE client of the server: call before it connects.
     *
     * @param socket a socket not yet connected.
     */
    public void configure(final ZMQ.Socket socket)
    {
        socket.setCurveServerKey(serverKey);
        socket.setCurvePublicKey(certificate.publicKey());
        socket.setCurveSecretKey(certificate.secretKey());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void apply(final ZContext context, final ZMQ.Socket socket)
    {
        configure(socket);
    }

    /**
     * The server key.
     *
     * @return a copy.
     */
    @Override
    public byte[] serverKey()
    {
        return serverKey.clone();
    }

    /**
     * Never prints the secret key.
     *
     * @return the server key and the client's public key.
     */
    @Override
    public String toString()
    {
        return "CurveClient[server " + ZMQ.Curve.z85Encode(serverKey) + ", client " +
            certificate.publicKeyZ85() + "]";
    }
}
