package dev.feedhandler.publisher;

import dev.feedhandler.common.wire.WireFormat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One line of a feed published on two (or more) identical lines, as exchanges publish an A and a B feed: publishers
 * given the same feed id and feed start, and the same deterministic source, publish the same topics, sequence
 * numbers, session epoch and update bytes, so that a subscriber can take each update from whichever line brings it
 * first. The session epoch is derived from the feed id and the start alone ({@link #sessionEpoch()}), the source is
 * anchored to the start (its pace and source timestamps follow from it, not from when the process started), and a
 * line started or restarted after the start skips what was due before it came up: it resumes in the same session,
 * at the same sequence numbers, as the line that kept running.
 *
 * @param feedId       names the feed; both lines have the same.
 * @param line         names this line, such as {@code A} or {@code B}.
 * @param startEpochNs when the feed starts, epoch nanoseconds; both lines have the same.
 */
public record FeedLine(String feedId, String line, long startEpochNs)
{
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int MAX_LINE_LENGTH = 16;

    /**
     * Validates the names.
     *
     * @throws IllegalArgumentException with a one-line message naming the flag.
     */
    public FeedLine
    {
        if (feedId == null || !WireFormat.isValidSymbol(feedId))
        {
            throw new IllegalArgumentException("--feed-id must be 1 to " + WireFormat.MAX_TOPIC_LENGTH +
                " printable characters, was '" + feedId + "'");
        }
        if (line == null || line.isEmpty() || line.length() > MAX_LINE_LENGTH ||
            !line.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_'))
        {
            throw new IllegalArgumentException("--line must be 1 to " + MAX_LINE_LENGTH +
                " letters, digits, '-' or '_', such as A or B, was '" + line + "'");
        }
        if (startEpochNs <= 0)
        {
            throw new IllegalArgumentException("--feed-start must be after 1970, was " + startEpochNs);
        }
    }

    /**
     * The session epoch both lines use: the feed start to the millisecond, with the sub-millisecond digits taken
     * from a hash of the feed id. It still reads as a time and grows with the start, so a later start is a newer
     * session; two feeds started in the same millisecond almost surely differ.
     *
     * @return the epoch.
     */
    public long sessionEpoch()
    {
        return Math.floorDiv(startEpochNs, NANOS_PER_MILLI) * NANOS_PER_MILLI + idHash() % NANOS_PER_MILLI;
    }

    private long idHash()
    {
        // FNV-1a, 64 bits: a fixed function of the id, the same in every publisher.
        long hash = 0xcbf29ce484222325L;
        for (final byte b : feedId.getBytes(StandardCharsets.US_ASCII))
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash & Long.MAX_VALUE;
    }

    @Override
    public String toString()
    {
        return "feed " + feedId + " line " + line + " (start " + Instant.ofEpochSecond(0, startEpochNs) + ")";
    }
}
