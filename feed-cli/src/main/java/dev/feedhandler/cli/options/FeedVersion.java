package dev.feedhandler.cli.options;

import picocli.CommandLine;

/**
 * The version every {@code feed} command prints for {@code --version}.
 */
public final class FeedVersion implements CommandLine.IVersionProvider
{
    /** The product version. */
    public static final String VERSION = "0.1.0";

    /**
     * {@inheritDoc}
     */
    @Override
    public String[] getVersion()
    {
        return new String[] {"feed " + VERSION + " (Java " + Runtime.version() + ")"};
    }
}
