package dev.feedhandler.common.counters;

/**
 * A counters file that cannot be created or read, with a one-line message that names the file and says why.
 */
public final class CountersFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * An error.
     *
     * @param message one line: which file, what is wrong.
     */
    public CountersFileException(final String message)
    {
        super(message);
    }
}
