package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.PriceSource.SourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule for malformed lines, shared by every input of a replay: under {@code fail} the first one stops the replay
 * with a {@link SourceException} naming input, line and reason; under {@code skip} each is counted and the first
 * few are logged. Keeps the total and the first one for the summary. Cold path (a bad line builds its message).
 */
final class BadLines
{
    /** Bad lines logged one by one under {@code skip}; later ones are only counted. */
    static final int MAX_LOGGED = 5;

    private static final Logger LOG = LoggerFactory.getLogger(CsvSource.class);

    private final boolean fail;
    private long count;
    private String first;

    /**
     * The rule of a policy.
     *
     * @param fail true to stop at the first bad line.
     */
    BadLines(final boolean fail)
    {
        this.fail = fail;
    }

    /**
     * Reports a bad line.
     *
     * @param input  the input's name.
     * @param line   the line number in the input.
     * @param reason what is wrong with it.
     * @throws SourceException under {@code fail}.
     */
    void report(final String input, final long line, final String reason)
    {
        count++;
        final String message = input + ":" + line + ": " + reason;
        if (first == null)
        {
            first = message;
        }
        if (fail)
        {
            throw new SourceException(message);
        }
        if (count <= MAX_LOGGED)
        {
            LOG.warn("{} (line skipped{})", message,
                count == MAX_LOGGED ? "; further bad lines are counted, not logged" : "");
        }
    }

    /**
     * Whether a bad line stops the replay.
     *
     * @return true under {@code fail}.
     */
    boolean fails()
    {
        return fail;
    }

    /**
     * Bad lines so far, in every input.
     *
     * @return the count.
     */
    long count()
    {
        return count;
    }

    /**
     * The first bad line.
     *
     * @return {@code input:line: reason}, or null.
     */
    String first()
    {
        return first;
    }
}
