package dev.feedhandler.common.security;

import org.zeromq.ZMQ;

import java.nio.file.Path;

/**
 * A CURVE key pair read from a certificate file: a public key and, for a secret certificate, the secret key, each
 * 32 bytes.
 *
 * @param publicKey the public key.
 * @param secretKey the secret key, or null for a public certificate.
 * @param file      where it was read from (for messages), or null.
 */
public record CurveCertificate(byte[] publicKey, byte[] secretKey, Path file)
{
    /**
     * Checks the key sizes.
     */
    public CurveCertificate
    {
        if (publicKey == null || publicKey.length != ZMQ.Curve.KEY_SIZE)
        {
            throw new IllegalArgumentException("a CURVE public key has " + ZMQ.Curve.KEY_SIZE + " bytes");
        }
        if (secretKey != null && secretKey.length != ZMQ.Curve.KEY_SIZE)
        {
            throw new IllegalArgumentException("a CURVE secret key has " + ZMQ.Curve.KEY_SIZE + " bytes");
        }
        publicKey = publicKey.clone();
        secretKey = secretKey == null ? null : secretKey.clone();
    }

    /**
     * The public key in Z85, the 40-character text form of certificates, logs and the allow-list.
     *
     * @return the text.
     */
    public String publicKeyZ85()
    {
        return ZMQ.Curve.z85Encode(publicKey);
    }

    /**
     * Whether this certificate holds a secret key.
     *
     * @return true for a secret certificate.
     */
    public boolean hasSecretKey()
    {
        return secretKey != null;
    }

    /**
     * The public key.
     *
     * @return a copy.
     */
    @Override
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    /**
     * The secret key.
     *
     * @return a copy, or null.
     */
    @Override
    public byte[] secretKey()
    {
        return secretKey == null ? null : secretKey.clone();
    }

    /**
     * Never prints the secret key.
     *
     * @return the public key and file.
     */
    @Override
    public String toString()
    {
        return "CurveCertificate[" + publicKeyZ85() + (file == null ? "" : " " + file) + "]";
    }
}
