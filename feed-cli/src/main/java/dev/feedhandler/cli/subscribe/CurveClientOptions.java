package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.security.KeyFileException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The CURVE flags of the subscriber (a picocli mixin): the publisher's public key and this subscriber's secret
 * certificate, both needed to talk to a publisher started with {@code --curve-secret}.
 */
public final class CurveClientOptions
{
    @Option(names = "--curve-server-key", paramLabel = "FILE",
        description = "Encrypt with CURVE: the publisher's public certificate (its NAME.key).")
    Path serverKey;

    @Option(names = "--curve-cert", paramLabel = "FILE",
        description = "With --curve-server-key: this subscriber's secret certificate (NAME.key_secret from feed " +
            "keygen, owner-only); its NAME.key must be in the publisher's --curve-allow directory.")
    Path clientCert;

    /**
     * Reads the keys, or returns null without the flags.
     *
     * @return the CURVE settings, or null for plaintext.
     * @throws CliException (usage, exit status 2) with a one-line message for a missing, bad or too open key file,
     *                      or only one of the two flags.
     */
    public CurveClient create()
    {
        if (serverKey == null && clientCert == null)
        {
            return null;
        }
        if (serverKey == null || clientCert == null)
        {
            throw new CliException(CliException.USAGE, "CURVE needs both --curve-server-key and --curve-cert");
        }
        try
        {
            return CurveClient.read(serverKey, clientCert);
        }
        catch (final KeyFileException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }
}
