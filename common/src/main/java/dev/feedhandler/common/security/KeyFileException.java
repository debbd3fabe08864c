package dev.feedhandler.common.security;

/**
 * A key file or certificate directory cannot be used: missing, unreadable, malformed, or a secret key readable by
 * others. The message is one line that names the file and the reason.
 */
public final class KeyFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A key file problem.
     *
     * @param message one line naming the file and the reason.
     */
    public KeyFileException(final String message)
    {
        super(message, null, false, false);
    }
}
