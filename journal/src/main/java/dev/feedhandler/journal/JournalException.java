package dev.feedhandler.journal;

/**
 * A journal that cannot be opened or used, with a one-line message that says which directory and why.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A failure.
     *
     * @param message one line for the user.
     */
    public JournalException(final String message)
    {
        super(message);
    }

    /**
     * A failure with its cause.
     *
     * @param message one line for the user.
     * @param cause   the underlying failure.
     */
    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
