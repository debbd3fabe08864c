package dev.feedhandler.publisher.source.csv;

/**
 * Why one line cannot be read (its number and file are added by the source). Thrown only for a malformed line,
 * never on valid input; it has no stack trace, since the reason is all there is to say.
 */
final class BadLineException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A bad line.
     *
     * @param reason what is wrong, such as {@code bid '1.1x' is not a decimal number}.
     */
    BadLineException(final String reason)
    {
        super(reason, null, false, false);
    }
}
