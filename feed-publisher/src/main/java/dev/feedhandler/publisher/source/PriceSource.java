package dev.feedhandler.publisher.source;

import java.util.Map;

/**
 * Where prices come from. The publisher's thread polls it: the source hands every update that is due by then to
 * the sink and says how many it handed over, so the batcher knows when nothing more is ready (the moment to
 * flush). A source never blocks in {@link #poll}.
 */
public interface PriceSource extends AutoCloseable
{
    /**
     * Hands updates that are due to the sink.
     *
     * @param sink  receives the updates.
     * @param limit most updates to hand over in this call.
     * @param nowNs {@link System#nanoTime()} now.
     * @return how many updates were handed over; 0 when nothing is ready.
     * @throws SourceException if the source cannot go on (malformed input, a read error); the updates handed
     *                         to the sink before it still count.
     */
    int poll(UpdateSink sink, int limit, long nowNs);

    /**
     * Anchors the source's pace to a wall-clock moment instead of its first poll, before the first poll: what is due
     * when, and the source timestamps of a paced source, then follow from that moment alone, so that two publishers
     * anchored alike hand over the same updates with the same timestamps (identical lines, {@code FeedLine}), and
     * one started after the moment hands over at once everything due since.
     *
     * @param startEpochNs the moment, epoch nanoseconds.
     * @return false if this source cannot be anchored (it is not paced, or it was already polled).
     */
    default boolean anchor(final long startEpochNs)
    {
        return false;
    }

    /**
     * When the source's next update is due, if it knows (a paced source), so that an idle publisher parks until then
     * rather than polling every few milliseconds. Called after a poll that handed over everything ready.
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return the {@link System#nanoTime()} at which the next update is due, or {@code nowNs} (the default) if it
     *     cannot tell: an update may come at any moment.
     */
    default long nextUpdateNs(final long nowNs)
    {
        return nowNs;
    }

    /**
     * Whether the source has nothing more to give, ever (end of a file, a count reached).
     *
     * @return true when exhausted.
     */
    boolean isExhausted();

    /**
     * A short name for logs and summaries.
     *
     * @return the name.
     */
    String name();

    /**
     * Figures about the source for the final summary (for example lines read and skipped), cold path.
     *
     * @return an ordered map, empty by default.
     */
    default Map<String, Object> statistics()
    {
        return Map.of();
    }

    /**
     * Releases files or connections. Idempotent.
     */
    @Override
    default void close()
    {
    }

    /**
     * A fault that ends a source for good, such as a malformed line of a tick file under a fail policy or a read
     * error. Its message is one line for the user that says what and where ({@code ticks.csv:17: ...}); the
     * publisher stops gracefully, publishes what it already had, and reports the message.
     */
    final class SourceException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * A fault with a one-line message.
         *
         * @param message what went wrong and where.
         */
        public SourceException(final String message)
        {
            super(message);
        }

        /**
         * A fault with a one-line message and its cause.
         *
         * @param message what went wrong and where.
         * @param cause   the underlying failure.
         */
        public SourceException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }
}
