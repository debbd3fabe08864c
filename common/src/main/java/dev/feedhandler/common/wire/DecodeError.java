package dev.feedhandler.common.wire;

/**
 * Why a received message was rejected. Each is counted separately by the receiver, and none stops it.
 */
public enum DecodeError
{
    /** Frame 0 is empty, longer than {@link WireFormat#MAX_TOPIC_LENGTH}, or not a valid topic. */
    BAD_TOPIC,
    /** The message has one frame instead of two. */
    MISSING_PAYLOAD,
    /** The message has more than two frames. */
    EXTRA_FRAMES,
    /** The payload ends before a header or a message it declares. */
    TRUNCATED,
    /** A message header carries another schema id. */
    WRONG_SCHEMA,
    /** A message header carries a schema version older than the first one. */
    UNSUPPORTED_VERSION,
    /** A message header carries a template id this schema does not define. */
    UNKNOWN_TEMPLATE,
    /** A message declares a block length shorter than its fields. */
    BAD_BLOCK_LENGTH,
    /** A message is valid but not where it is (an update outside a batch, a batch header inside one). */
    UNEXPECTED_MESSAGE,
    /** Bytes remain after the last update the batch header declares. */
    TRAILING_BYTES,
    /** The payload is larger than the receiver accepts. */
    OVERSIZED,
    /** A message's fields contradict each other (a Conflated message whose counts do not add up to its range). */
    INCONSISTENT;

    private static final DecodeError[] VALUES = values();

    /**
     * Number of distinct errors, to size counter arrays.
     *
     * @return the number of values.
     */
    public static int count()
    {
        return VALUES.length;
    }

    /**
     * The error with a given ordinal, without allocating.
     *
     * @param ordinal of the error.
     * @return the error.
     */
    public static DecodeError get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
