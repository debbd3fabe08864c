package dev.feedhandler.cli.publish;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.publisher.FeedLine;
import picocli.CommandLine.Option;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The flags of {@code feed publish} that make it one line of a feed published on identical lines (a picocli mixin):
 * {@code --feed-id}, {@code --line} and {@code --feed-start}, all three or none; and packet repetition,
 * {@code --repeat-batches}, which a line that loses messages may add (on its own, or on a feed of its own).
 */
public final class LineOptions
{
    @Option(names = "--feed-id", paramLabel = "ID",
        description = "Publish one line of the feed ID; the other line(s) run with the same ID, --feed-start and " +
            "source settings (with --line and --feed-start).")
    String feedId;

    @Option(names = "--line", paramLabel = "NAME",
        description = "This line's name, such as A or B (with --feed-id and --feed-start).")
    String line;

    @Option(names = "--feed-start", paramLabel = "TIME",
        description = "When the feed starts, the same on every line: an ISO-8601 time such as " +
            "2026-12-05T09:00:00Z. The source is paced from it and the session epoch derived from it and --feed-id; " +
            "a line started later skips what was due before (with --feed-id and --line).")
    String feedStart;

    @Option(names = "--repeat-batches",
        description = "Send every data batch twice, the copy right after the original (packet repetition): a " +
            "subscriber misses a batch only if both messages are lost. Twice the messages; for lines that lose " +
            "single messages (docs/arbitration.md). Works without --feed-id too.")
    boolean repeatBatches;

    /**
     * Whether every data batch goes out twice ({@code --repeat-batches}).
     *
     * @return true with packet repetition.
     */
    public boolean repeatBatches()
    {
        return repeatBatches;
    }

    /**
     * The line, if the flags name one.
     *
     * @return the line, or null for a feed of its own.
     * @throws CliException (usage) if only some of the three flags are given, or a value is invalid.
     */
    public FeedLine line()
    {
        if (feedId == null && line == null && feedStart == null)
        {
            return null;
        }
        if (feedId == null || line == null || feedStart == null)
        {
            throw new CliException(CliException.USAGE, "--feed-id, --line and --feed-start go together: a line " +
                "needs all three");
        }
        try
        {
            final Instant start = parse(feedStart);
            return new FeedLine(feedId, line, start.getEpochSecond() * 1_000_000_000L + start.getNano());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    private static Instant parse(final String text)
    {
        try
        {
            return Instant.parse(text);
        }
        catch (final DateTimeException ignored)
        {
            try
            {
                return OffsetDateTime.parse(text).toInstant();
            }
            catch (final DateTimeException ex)
            {
                throw new IllegalArgumentException("--feed-start: '" + text + "' is not an ISO-8601 time such as " +
                    "2026-12-05T09:00:00Z");
            }
        }
    }
}
