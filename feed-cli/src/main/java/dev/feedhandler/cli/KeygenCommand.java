package dev.feedhandler.cli;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.common.security.CurveKeys;
import dev.feedhandler.common.security.KeyFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code feed keygen --out DIR NAME}: writes a new CURVE certificate pair, {@code DIR/NAME.key} (public, to hand
 * to peers) and {@code DIR/NAME.key_secret} (secret, mode 0600), in the ZeroMQ certificate format that JeroMQ's
 * {@code ZCert} reads and libzmq's and czmq's tools write.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = FeedVersion.class,
    description = {
        "Generate a CURVE certificate pair: DIR/NAME.key (public: give it to peers; a publisher admits the "
            + "subscribers whose NAME.key is in its --curve-allow directory) and DIR/NAME.key_secret (secret, "
            + "mode 0600: --curve-secret of a publisher, --curve-cert of a subscriber).",
        "Prints the two paths and the public key."
    })
public final class KeygenCommand implements Callable<Integer>
{
    @Option(names = "--out", paramLabel = "DIR", required = true,
        description = "Directory to write the two files in; created if missing.")
    Path out;

    @Option(names = "--force", description = "Replace existing files of that name.")
    boolean force;

    @Parameters(paramLabel = "NAME", description = "Certificate name, such as publisher or desk-7.")
    String name;

    private final PrintStream stdout;

    /**
     * A command printing to stdout.
     */
    public KeygenCommand()
    {
        this(System.out);
    }

    /**
     * A command printing to the given stream (tests).
     *
     * @param stdout where the paths and key go.
     */
    public KeygenCommand(final PrintStream stdout)
    {
        this.stdout = stdout;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        final CurveKeys.Generated generated;
        try
        {
            generated = CurveKeys.generate(out, name, force);
        }
        catch (final KeyFileException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
        stdout.println("public  " + generated.publicFile());
        stdout.println("secret  " + generated.secretFile());
        stdout.println("key     " + generated.publicKey());
        stdout.flush();
        return 0;
    }
}
