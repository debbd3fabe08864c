package dev.feedhandler.common.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZAuth;
import org.zeromq.ZMsg;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ZAP policy of a CURVE server: admits a client whose public key is in a directory of public certificates
 * (every file there except {@code *_secret} and hidden ones), or any client that knows the server key. Each
 * decision is logged with the client's key and address, and counted. The directory is read again when its
 * listing or a file's size or time changes, so a certificate dropped in is admitted without a restart.
 * <p>
 * Runs on the ZAP handler's thread, once per connection handshake (cold path).
 */
public final class CurveAllowList implements ZAuth.Auth
{
    private static final Logger LOG = LoggerFactory.getLogger(CurveAllowList.class);

    private final Path directory;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private Set<String> keys = Set.of();
    private List<String> fingerprint = List.of();

    private CurveAllowList(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * Admits only clients whose public certificate is in the directory.
     *
     * @param directory a directory of public certificates.
     * @return the policy.
     * @throws KeyFileException with a one-line message if the directory does not exist or cannot be read.
     */
    public static CurveAllowList directory(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new KeyFileException("cannot use allow-list " + directory + ": " +
                (Files.exists(directory) ? "not a directory" : "no such directory"));
        }
        final CurveAllowList allowList = new CurveAllowList(directory);
        allowList.reloadIfChanged();
        if (allowList.keys.isEmpty())
        {
            LOG.warn("allow-list {} has no client certificate: every client will be refused", directory);
        }
        return allowList;
    }

    /**
     * Admits any client that completes the CURVE handshake, that is, that knows the server's public key.
     *
     * @return the policy.
     */
    public static CurveAllowList anyClient()
    {
        return new CurveAllowList(null);
    }

    /**
     * Whether any client is admitted.
     *
     * @return true without an allow-list directory.
     */
    public boolean allowsAny()
    {
        return directory == null;
    }

    /**
     * Clients admitted so far. Safe from any thread.
     *
     * @return the count.
     */
    public long admitted()
    {
        return admitted.get();
    }

    /**
     * Clients refused so far because their key is not in the allow-list. Safe from any thread.
     *
     * @return the count.
     */
    public long refused()
    {
        return refused.get();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean configure(final ZMsg msg, final boolean verbose)
    {
        return true;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public synchronized boolean authorize(final ZAuth.ZapRequest request, final boolean verbose)
    {
        final String key = request.clientKey;
        if (directory == null)
        {
            // Logged before counted: whoever sees the count can find the line.
            LOG.info("admitted CURVE client {} from {} (any client with the server key is admitted)",
                key, request.address);
            admitted.incrementAndGet();
            request.userId = key;
            return true;
        }
        reloadIfChanged();
        if (key != null && keys.contains(key))
        {
            LOG.info("admitted CURVE client {} from {}", key, request.address);
            admitted.incrementAndGet();
            request.userId = key;
            return true;
        }
        LOG.warn("refused CURVE client {} from {}: its public key is not in the allow-list {}",
            key, request.address, directory);
        refused.incrementAndGet();
        return false;
    }

    private void reloadIfChanged()
    {
        final List<Path> files = new ArrayList<>();
        final List<String> print = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory))
        {
            for (final Path file : stream)
            {
                final String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.startsWith(".") && !name.endsWith("_secret"))
                {
                    files.add(file);
                    print.add(name + "/" + Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis());
                }
            }
        }
        catch (final IOException ex)
        {
            if (keys.isEmpty() && fingerprint.isEmpty())
            {
                throw new KeyFileException("cannot read allow-list " + directory + ": " + ex.getMessage());
            }
            LOG.warn("cannot read allow-list {} ({}); keeping the {} keys read before", directory, ex.getMessage(),
                keys.size());
            return;
        }
        print.sort(null);
        if (print.equals(fingerprint))
        {
            return;
        }
        final Set<String> loaded = new HashSet<>();
        for (final Path file : files)
        {
            try
            {
                loaded.add(CurveKeys.readPublic(file).publicKeyZ85());
            }
            catch (final KeyFileException ex)
            {
                LOG.warn("allow-list: skipping {}", ex.getMessage());
            }
        }
        final boolean first = fingerprint.isEmpty() && keys.isEmpty();
        keys = Set.copyOf(loaded);
        fingerprint = List.copyOf(print);
        LOG.info("allow-list {}: {} client key(s){}", directory, keys.size(), first ? "" : " (reloaded)");
    }
}
