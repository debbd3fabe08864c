package dev.feedhandler.common.security;

import org.zeromq.ZCert;
import org.zeromq.ZConfig;
import org.zeromq.ZMQ;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * CURVE certificate files in the ZeroMQ Property Language format that JeroMQ's {@link ZCert} writes and reads and
 * that libzmq's {@code curve_keygen}, czmq's {@code zcert_save} and pyzmq's {@code zmq.auth.create_certificates}
 * write: a public certificate {@code NAME.key} with {@code curve/public-key}, and a secret certificate
 * {@code NAME.key_secret} with both keys, Z85-encoded. Secret certificates are written owner-only
 * ({@code rw-------}) and refused when group or others may read them.
 */
public final class CurveKeys
{
    /** File name suffix of a public certificate. */
    public static final String PUBLIC_SUFFIX = ".key";

    /** File name suffix of a secret certificate (czmq's convention: the public file's name plus {@code _secret}). */
    public static final String SECRET_SUFFIX = ".key_secret";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private CurveKeys()
    {
    }

    /**
     * The two files {@link #generate} writes for a name.
     *
     * @param publicFile the public certificate, to hand to peers.
     * @param secretFile the secret certificate, owner-only.
     * @param publicKey  the new public key in Z85.
     */
    public record Generated(Path publicFile, Path secretFile, String publicKey)
    {
    }

    /**
     * Generates a new key pair and writes {@code DIR/NAME.key} and {@code DIR/NAME.key_secret} (mode 0600),
     * creating the directory if needed.
     *
     * @param directory where.
     * @param name      the certificate's name; letters, digits, {@code . _ -}.
     * @param overwrite whether existing files may be replaced.
     * @return the files written.
     * @throws KeyFileException with a one-line message if the name is bad or the files cannot be written.
     */
    public static Generated generate(final Path directory, final String name, final boolean overwrite)
    {
        if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.startsWith("."))
        {
            throw new KeyFileException("bad certificate name '" + name +
                "': use letters, digits, '.', '_' and '-', not starting with '.'");
        }
        final Path publicFile = directory.resolve(name + PUBLIC_SUFFIX);
        final Path secretFile = directory.resolve(name + SECRET_SUFFIX);
        final ZCert certificate = new ZCert();
        certificate.setMeta("name", name);
        certificate.setMeta("generated-by", "feed keygen");
        if (Files.exists(directory) && !Files.isDirectory(directory))
        {
            throw new KeyFileException(directory + " is not a directory");
        }
        boolean secretCreated = false;
        boolean publicStarted = false;
        try
        {
            Files.createDirectories(directory);
            if (!overwrite)
            {
                for (final Path file : new Path[] {publicFile, secretFile})
                {
                    if (Files.exists(file))
                    {
                        throw new KeyFileException(file + " exists: refusing to overwrite it (--force replaces it)");
                    }
                }
            }
            Files.deleteIfExists(secretFile);
            if (isPosix(directory))
            {
                Files.createFile(secretFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            else
            {
                Files.createFile(secretFile);
            }
            secretCreated = true;
            try (Writer writer = Files.newBufferedWriter(secretFile, StandardCharsets.UTF_8))
            {
                certificate.saveSecret(writer);
            }
            publicStarted = true;
            try (Writer writer = Files.newBufferedWriter(publicFile, StandardCharsets.UTF_8))
            {
                certificate.savePublic(writer);
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new KeyFileException(ex.getFile() + " exists: refusing to overwrite it (--force replaces it)");
        }
        catch (final IOException ex)
        {
            // Half a pair (an empty secret file on a full disk) is no key, and would be refused as existing next time.
            deleteQuietly(secretCreated ? secretFile : null);
            deleteQuietly(publicStarted ? publicFile : null);
            throw new KeyFileException("cannot write certificates in " + directory + ": " + reason(ex));
        }
        return new Generated(publicFile, secretFile, certificate.getPublicKeyAsZ85());
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            if (file != null && Files.isRegularFile(file))
            {
                Files.delete(file);
            }
        }
        catch (final IOException ex)
        {
            // The one-line error about the write says what went wrong; the file is left as it is.
        }
    }

    /**
     * Reads the public key of a certificate file (public or secret).
     *
     * @param file the certificate.
     * @return the certificate, without its secret key.
     * @throws KeyFileException with a one-line message if the file cannot be read or has no valid public key.
     */
    public static CurveCertificate readPublic(final Path file)
    {
        final ZConfig config = load(file);
        return new CurveCertificate(key(file, config, "curve/public-key"), null, file);
    }

    /**
     * Reads a secret certificate, first checking that only its owner may read it.
     *
     * @param file the secret certificate.
     * @return the certificate with both keys.
     * @throws KeyFileException with a one-line message if the file is readable by group or others, cannot be
     *                          read, or lacks a valid key.
     */
    public static CurveCertificate readSecret(final Path file)
    {
        checkOwnerOnly(file);
        final ZConfig config = load(file);
        return new CurveCertificate(
            key(file, config, "curve/public-key"), key(file, config, "curve/secret-key"), file);
    }

    /**
     * Refuses a secret key file that group or others may read or write (expected {@code rw-------} or stricter).
     * File systems without POSIX permissions are not checked.
     *
     * @param file the file.
     * @throws KeyFileException with a one-line message naming the file and its mode.
     */
    public static void checkOwnerOnly(final Path file)
    {
        if (!Files.exists(file))
        {
            throw new KeyFileException("cannot read key file " + file + ": no such file");
        }
        final PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null)
        {
            return;
        }
        final Set<PosixFilePermission> permissions;
        try
        {
            permissions = view.readAttributes().permissions();
        }
        catch (final IOException ex)
        {
            throw new KeyFileException("cannot read key file " + file + ": " + reason(ex));
        }
        for (final PosixFilePermission permission : permissions)
        {
            if (!permission.name().startsWith("OWNER_"))
            {
                throw new KeyFileException("refusing secret key file " + file + ": its mode " +
                    PosixFilePermissions.toString(permissions) + " lets group or others at it (expected " +
                    "rw-------; run chmod 600 " + file + ")");
            }
        }
    }

    private static boolean isPosix(final Path directory)
    {
        return Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null;
    }

    private static ZConfig load(final Path file)
    {
        if (!Files.exists(file))
        {
            throw new KeyFileException("cannot read key file " + file + ": no such file");
        }
        if (Files.isDirectory(file))
        {
            throw new KeyFileException("cannot read key file " + file + ": it is a directory");
        }
        try
        {
            return ZConfig.load(file.toString());
        }
        catch (final IOException ex)
        {
            throw new KeyFileException("cannot read key file " + file + ": " + reason(ex));
        }
        catch (final RuntimeException ex)
        {
            throw new KeyFileException("cannot read key file " + file +
                ": not a ZeroMQ certificate (ZPL format, as written by feed keygen)");
        }
    }

    private static byte[] key(final Path file, final ZConfig config, final String path)
    {
        final String text = config.getValue(path);
        if (text == null || text.isEmpty())
        {
            throw new KeyFileException("cannot use key file " + file + ": it has no " + path +
                (path.endsWith("secret-key") ? " (is it the public half? use NAME" + SECRET_SUFFIX + ")" : ""));
        }
        try
        {
            if (text.length() == ZMQ.Curve.KEY_SIZE_Z85)
            {
                final byte[] key = ZMQ.Curve.z85Decode(text);
                if (key != null && key.length == ZMQ.Curve.KEY_SIZE)
                {
                    return key;
                }
            }
        }
        catch (final RuntimeException ex)
        {
            // Reported below.
        }
        throw new KeyFileException("cannot use key file " + file + ": " + path + " is not a " +
            ZMQ.Curve.KEY_SIZE_Z85 + "-character Z85 key");
    }

    private static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
