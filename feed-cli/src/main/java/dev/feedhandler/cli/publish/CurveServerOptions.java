package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.common.security.CurveAllowList;
import dev.feedhandler.common.security.CurveKeys;
import dev.feedhandler.common.security.CurveServer;
import dev.feedhandler.common.security.KeyFileException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The CURVE flags of the publisher (a picocli mixin): {@code --curve-secret} makes every socket the publisher binds
 * a CURVE server; {@code --curve-allow} or {@code --curve-allow-any} says which clients it admits.
 */
public final class CurveServerOptions
{
    @Option(names = "--curve-secret", paramLabel = "FILE",
        description = "Encrypt with CURVE: the server's secret certificate (NAME.key_secret from feed keygen, " +
            "owner-only). Every socket the publisher binds becomes a CURVE server (default: plaintext).")
    Path curveSecret;

    @Option(names = "--curve-allow", paramLabel = "DIR",
        description = "With --curve-secret: admit only clients whose public certificate (NAME.key) is in DIR; " +
            "read again when DIR changes.")
    Path curveAllow;

    @Option(names = "--curve-allow-any",
        description = "With --curve-secret: admit any client that knows the server's public key.")
    boolean curveAllowAny;

    /**
     * Whether CURVE was asked for.
     *
     * @return true with {@code --curve-secret}.
     */
    public boolean enabled()
    {
        return curveSecret != null;
    }

    /**
     * Reads the keys and the allow-list and makes the CURVE server, or returns null without {@code --curve-secret}.
     *
     * @return the server, to hand to every socket before it binds; the caller closes it.
     * @throws CliException (usage, exit status 2) with a one-line message for missing, bad or too open key files
     *                      and inconsistent flags.
     */
    public CurveServer create()
    {
        if (curveSecret == null)
        {
            if (curveAllow != null || curveAllowAny)
            {
                throw new CliException(CliException.USAGE,
                    (curveAllow != null ? "--curve-allow" : "--curve-allow-any") + " needs --curve-secret");
            }
            return null;
        }
        if (curveAllow != null && curveAllowAny)
        {
            throw new CliException(CliException.USAGE, "--curve-allow and --curve-allow-any exclude each other");
        }
        if (curveAllow == null && !curveAllowAny)
        {
            throw new CliException(CliException.USAGE,
                "--curve-secret needs --curve-allow DIR (an allow-list of client certificates) or --curve-allow-any");
        }
        try
        {
            final CurveAllowList policy = curveAllowAny ?
                CurveAllowList.anyClient() : CurveAllowList.directory(curveAllow);
            return new CurveServer(CurveKeys.readSecret(curveSecret), policy);
        }
        catch (final KeyFileException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }
}
