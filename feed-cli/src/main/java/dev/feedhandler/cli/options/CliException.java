package dev.feedhandler.cli.options;

/**
 * A failure the command line reports as one line (never a stack trace) with a chosen exit status.
 */
public final class CliException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** Exit status for bad usage: a bad flag, an endpoint that cannot be bound. */
    public static final int USAGE = 2;

    /** Exit status for a failure while running. */
    public static final int FAILURE = 1;

    private final int exitCode;

    /**
     * A failure with a message that says what and where.
     *
     * @param exitCode process exit status.
     * @param message  one line for the user.
     */
    public CliException(final int exitCode, final String message)
    {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /**
     * The exit status the process should end with.
     *
     * @return the status.
     */
    public int exitCode()
    {
        return exitCode;
    }
}
