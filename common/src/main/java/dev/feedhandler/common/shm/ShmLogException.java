package dev.feedhandler.common.shm;

/**
 * A shared-memory log that cannot be used, said in one line that names the file: it is foreign or damaged, it may
 * not be read or written, it is in use by a live publisher, the directory is missing. Cold path only.
 */
public final class ShmLogException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A failure with a message that says what and where.
     *
     * @param message one line for the user.
     */
    public ShmLogException(final String message)
    {
        super(message, null, false, false);
    }
}
