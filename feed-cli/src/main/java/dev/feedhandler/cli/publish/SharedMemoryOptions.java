package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.options.ByteSizes;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.publisher.shm.SharedMemoryConfiguration;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The shared-memory flags of {@code feed publish} (a picocli mixin): the broadcast log that same-host subscribers
 * read with {@code feed subscribe --shm NAME}.
 */
public final class SharedMemoryOptions
{
    @Option(names = "--shm", paramLabel = "NAME",
        description = "Also write every frame sent into the shared-memory log NAME (in --shm-dir), for subscribers " +
            "on this host (feed subscribe --shm NAME) (default: none).")
    String name;

    @Option(names = "--shm-dir", paramLabel = "DIR",
        description = "Directory of the --shm log (default: /dev/shm).")
    Path directory;

    @Option(names = "--shm-capacity", paramLabel = "BYTES", converter = ByteSizes.class,
        description = "Ring size of the --shm log, a power of two: how far a reader may fall behind before it is " +
            "lapped and recovers what it skipped (default: ${DEFAULT-VALUE}).")
    long capacityBytes;

    @Option(names = "--shm-group", paramLabel = "GROUP",
        description = "Give this group read access to the --shm log (mode 0640) (default: the publisher's user " +
            "only, 0600).")
    String group;

    @Option(names = "--shm-wake", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Wake the --shm log's sleeping readers after each duty cycle that wrote (a futex, Linux), so " +
            "they sleep until there is something to read; --no-shm-wake leaves the publisher no work per reader, " +
            "and readers look on their timer (default: wake).")
    boolean wake = true;

    /**
     * The log's settings.
     *
     * @return the settings, or null without {@code --shm}.
     * @throws CliException (usage) with a one-line message for a bad value.
     */
    public SharedMemoryConfiguration configuration()
    {
        if (name == null)
        {
            if (directory != null || group != null || !wake)
            {
                throw new CliException(CliException.USAGE, "--shm-dir, --shm-group and --no-shm-wake need --shm NAME");
            }
            return null;
        }
        try
        {
            if (capacityBytes > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("--shm-capacity must be at most 1g");
            }
            return new SharedMemoryConfiguration(new ShmLocation(name, directory), (int)capacityBytes, group,
                wake);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }
}
