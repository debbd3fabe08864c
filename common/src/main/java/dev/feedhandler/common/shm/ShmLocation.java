package dev.feedhandler.common.shm;

import java.nio.file.Path;

/**
 * Where a shared-memory log lives: a name in a directory, by default {@code /dev/shm} (memory, not disk). Publisher
 * and readers of one feed give the same name.
 *
 * @param name      the file's name: letters, digits, '.', '_' and '-', not starting with '.'.
 * @param directory the directory, {@link #DEFAULT_DIRECTORY} if null.
 */
public record ShmLocation(String name, Path directory)
{
    /** The directory of shared memory on Linux. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");

    private static final int MAX_NAME_LENGTH = 200;

    /**
     * Validates the name.
     *
     * @throws IllegalArgumentException with a one-line message for a bad name.
     */
    public ShmLocation
    {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.charAt(0) == '.' ||
            !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')))
        {
            throw new IllegalArgumentException("bad shared-memory name '" + name + "': use up to " + MAX_NAME_LENGTH +
                " letters, digits, '.', '_' or '-', not starting with '.' (the directory is given apart)");
        }
        directory = directory == null ? DEFAULT_DIRECTORY : directory;
    }

    /**
     * In the default directory.
     *
     * @param name the name.
     * @return the location.
     */
    public static ShmLocation of(final String name)
    {
        return new ShmLocation(name, null);
    }

    /**
     * The file.
     *
     * @return directory/name.
     */
    public Path path()
    {
        return directory.resolve(name);
    }
}
