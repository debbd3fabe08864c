package dev.feedhandler.common.counters;

/**
 * A counters file that cannot be created or read, with a one-line message that names the file and says why.
 */
public final class CountersFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final boolean refused;

    /**
     * An error.
     *
     * @param message one line: which file, what is wrong.
     */
    public CountersFileException(final String message)
    {
        this(message, false);
    }

    /**
     * An error, saying whether it is a file system without room.
     *
     * @param message one line: which file, what is wrong.
     * @param refused true if the file system is full, or refused the file (permission denied).
     */
    public CountersFileException(final String message, final boolean refused)
    {
        super(message);
        this.refused = refused;
    }

    /**
     * Whether the file system had no room for the file, or refused it (permission denied): a process can go on with
     * its counters in memory.
     *
     * @return true if it is full or not this user's to write.
     */
    public boolean isRefusedByFileSystem()
    {
        return refused;
    }
}
