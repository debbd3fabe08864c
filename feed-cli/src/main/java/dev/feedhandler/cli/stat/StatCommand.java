package dev.feedhandler.cli.stat;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.cli.options.LibraryDefaults;
import dev.feedhandler.common.counters.CountersDirectory;
import dev.feedhandler.common.counters.CountersFileException;
import dev.feedhandler.common.counters.CountersFileLayout;
import dev.feedhandler.common.counters.CountersFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code feed stat}: shows a running publisher's or subscriber's counters live from its counters file, like
 * AeronStat, without Prometheus: lists the files it finds, or shows one every {@code --interval}, or once.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = FeedVersion.class,
    defaultValueProvider = LibraryDefaults.class,
    description = {
        "Show the counters of a running feed publish or feed subscribe, read from its counters file.",
        "Without TARGET: list the counters files in --counters-dir, whether their process runs or left the file "
            + "behind (stale). With TARGET: its counters every --interval until it ends (Ctrl-C stops), or once."
    })
public final class StatCommand implements Callable<Integer>
{
    @Parameters(index = "0", arity = "0..1", paramLabel = "TARGET",
        description = "A counters file, a pid, or a name (the file DIR/NAME.counters); the only running one if " +
            "there is just one and --once or --errors is given without TARGET.")
    String target;

    @Option(names = "--counters-dir", paramLabel = "DIR",
        description = "Where the counters files are (default: ${DEFAULT-VALUE}: $" +
            CountersDirectory.ENVIRONMENT_VARIABLE + " if set, else /dev/shm/" + CountersDirectory.DIRECTORY_NAME +
            " or " + CountersDirectory.DIRECTORY_NAME + " in the temp directory).")
    Path directory;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.class,
        description = "Refresh every DURATION (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--once",
        description = "Print the counters once and exit (for scripts).")
    boolean once;

    @Option(names = "--errors",
        description = "Print the distinct errors the process recorded (count, first and last time, stack trace) " +
            "and exit; also for a stale file, whose process crashed.")
    boolean errors;

    private final PrintStream out;

    /**
     * A command printing to stdout.
     */
    public StatCommand()
    {
        this(System.out);
    }

    /**
     * A command printing to the given stream (tests).
     *
     * @param out where the counters go.
     */
    public StatCommand(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call() throws InterruptedException
    {
        if (interval.isNegative() || interval.isZero())
        {
            throw new CliException(CliException.USAGE, "--interval must be positive");
        }
        if (target == null && !once && !errors)
        {
            list();
            return 0;
        }
        final Path file = resolve();
        // The errors of a crashed process are worth reading: only --errors reads a stale file.
        try (CountersFileReader reader = open(file, !errors))
        {
            if (errors)
            {
                StatView.printErrors(out, reader);
                out.flush();
                return 0;
            }
            if (once)
            {
                StatView.print(out, reader, false);
                out.flush();
                return 0;
            }
            return watch(reader);
        }
    }

    private static CountersFileReader open(final Path file, final boolean requireAlive)
    {
        try
        {
            return CountersFileReader.open(file, requireAlive);
        }
        catch (final CountersFileException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    private int watch(final CountersFileReader reader) throws InterruptedException
    {
        final boolean console = System.console() != null;
        while (true)
        {
            StatView.print(out, reader, console);
            out.flush();
            // A refresh interval, not a wait for a condition: the display is sampled, like AeronStat's.
            TimeUnit.NANOSECONDS.sleep(interval.toNanos());
            if (!reader.fileExists())
            {
                out.println("feed stat: " + reader.header().name() + " (pid " + reader.header().pid() +
                    ") ended: its counters file is gone");
                out.flush();
                return 0;
            }
            final String stale = reader.header().whyStale();
            if (stale != null)
            {
                throw new CliException(CliException.FAILURE, reader.file() + " is stale now: " + stale +
                    "; the process crashed or was killed");
            }
        }
    }

    /** The files in --counters-dir; a directory that cannot be listed (a file, no permission) is one line, exit 2. */
    private List<Path> files()
    {
        try
        {
            return CountersDirectory.list(directory);
        }
        catch (final CountersFileException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    private void list()
    {
        final List<Path> files = files();
        if (files.isEmpty())
        {
            out.println("no counters files in " + directory + " (feed publish and feed subscribe create one each)");
            out.flush();
            return;
        }
        for (final Path file : files)
        {
            out.println(StatView.describe(file));
        }
        out.flush();
    }

    private Path resolve()
    {
        if (target == null)
        {
            return onlyRunning();
        }
        final Path asPath = Path.of(target);
        if (target.contains("/") || target.endsWith(CountersFileLayout.SUFFIX) || Files.isRegularFile(asPath))
        {
            if (!Files.exists(asPath))
            {
                throw new CliException(CliException.USAGE, target + ": no such counters file");
            }
            return asPath;
        }
        if (target.chars().allMatch(Character::isDigit))
        {
            return byPid(Long.parseLong(target));
        }
        final Path named = directory.resolve(target + CountersFileLayout.SUFFIX);
        if (!Files.exists(named))
        {
            throw new CliException(CliException.USAGE, "no counters file named " + target + " in " + directory +
                " (feed stat lists them)");
        }
        return named;
    }

    private Path byPid(final long pid)
    {
        for (final Path file : files())
        {
            try (CountersFileReader reader = CountersFileReader.open(file, false))
            {
                if (reader.header().pid() == pid)
                {
                    return file;
                }
            }
            catch (final CountersFileException ex)
            {
                // Not ours, or being created: not the one asked for.
            }
        }
        throw new CliException(CliException.USAGE, "no counters file of pid " + pid + " in " + directory +
            " (feed stat lists them)");
    }

    private Path onlyRunning()
    {
        Path found = null;
        int running = 0;
        for (final Path file : files())
        {
            try (CountersFileReader reader = CountersFileReader.open(file, false))
            {
                if (reader.header().isRunning())
                {
                    found = file;
                    running++;
                }
            }
            catch (final CountersFileException ex)
            {
                // Not a file to show.
            }
        }
        if (running != 1)
        {
            throw new CliException(CliException.USAGE, (running == 0 ? "no running process has" :
                running + " running processes have") + " a counters file in " + directory +
                ": give TARGET (feed stat lists them)");
        }
        return found;
    }
}
