package dev.feedhandler.common.counters;

import dev.feedhandler.common.io.FileErrors;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where counters files live and what they are called. The default directory is the environment variable
 * {@value #ENVIRONMENT_VARIABLE} if set, otherwise {@code /dev/shm/feed-counters} (memory, not disk) where
 * {@code /dev/shm} exists, otherwise {@code feed-counters} in the temp directory ({@code java.io.tmpdir}); a file is
 * named after the process's role and pid ({@code publish-1234.counters}) unless given a name.
 */
public final class CountersDirectory
{
    /** The directory's name under /dev/shm or the temp directory. */
    public static final String DIRECTORY_NAME = "feed-counters";

    /** The environment variable that changes the default directory. */
    public static final String ENVIRONMENT_VARIABLE = "FEED_COUNTERS_DIR";

    private static final Path SHM = Paths.get("/dev/shm");
    /** rwxrwxrwt, as /tmp. */
    private static final int SHARED_MODE = 01777;

    private CountersDirectory()
    {
    }

    /**
     * The default directory.
     *
     * @return {@code $FEED_COUNTERS_DIR}, {@code /dev/shm/feed-counters} or {@code <tmpdir>/feed-counters}.
     */
    public static Path defaultDirectory()
    {
        final String configured = System.getenv(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank())
        {
            return Paths.get(configured);
        }
        if (Files.isDirectory(SHM) && Files.isWritable(SHM))
        {
            return SHM.resolve(DIRECTORY_NAME);
        }
        return Paths.get(System.getProperty("java.io.tmpdir")).resolve(DIRECTORY_NAME);
    }

    /**
     * Creates a counters directory if it is missing. The machine-wide default one ({@code /dev/shm/feed-counters} or
     * {@code <tmpdir>/feed-counters}, not one given by flag or environment) is made like {@code /tmp}, mode 1777:
     * every user's processes put their files there and only their owner can delete them. Created 0755 by whoever ran
     * first, it kept every other user's publish and subscribe from starting.
     *
     * @param directory the directory.
     * @throws IOException if it cannot be created.
     */
    public static void create(final Path directory) throws IOException
    {
        if (Files.isDirectory(directory))
        {
            return;
        }
        Files.createDirectories(directory);
        final boolean shared = directory.equals(SHM.resolve(DIRECTORY_NAME)) ||
            directory.equals(Paths.get(System.getProperty("java.io.tmpdir")).resolve(DIRECTORY_NAME));
        if (shared)
        {
            try
            {
                Files.setAttribute(directory, "unix:mode", SHARED_MODE);
            }
            catch (final UnsupportedOperationException | IllegalArgumentException | IOException ex)
            {
                // Not a POSIX file system: the directory is the user's alone, as it was.
            }
        }
    }

    /**
     * The default name of this process's file.
     *
     * @param role such as {@code publish}.
     * @return such as {@code publish-1234}.
     */
    public static String defaultName(final String role)
    {
        return role + "-" + ProcessHandle.current().pid();
    }

    /**
     * Checks a name given for a counters file.
     *
     * @param name the name.
     * @throws IllegalArgumentException if it is empty, too long or has characters other than letters, digits,
     *                                  '.', '_' and '-' (or starts with '.').
     */
    public static void checkName(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > CountersFileLayout.NAME_CAPACITY ||
            name.charAt(0) == '.' || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' ||
            c == '_' || c == '-'))
        {
            throw new IllegalArgumentException("counters name '" + name + "' must be 1 to " +
                CountersFileLayout.NAME_CAPACITY + " letters, digits, '.', '_' or '-', not starting with '.'");
        }
    }

    /**
     * The counters files in a directory, by name.
     *
     * @param directory the directory.
     * @return the files ending in {@value CountersFileLayout#SUFFIX}; none if the directory does not exist.
     * @throws CountersFileException if the directory cannot be read.
     */
    public static List<Path> list(final Path directory)
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + CountersFileLayout.SUFFIX))
        {
            for (final Path file : stream)
            {
                if (!file.getFileName().toString().startsWith("."))
                {
                    files.add(file);
                }
            }
        }
        catch (final NoSuchFileException ex)
        {
            return files;
        }
        catch (final IOException ex)
        {
            throw new CountersFileException("cannot list " + directory + ": " + FileErrors.reason(ex));
        }
        files.sort(null);
        return files;
    }
}
