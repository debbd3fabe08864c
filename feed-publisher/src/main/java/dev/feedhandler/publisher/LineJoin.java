package dev.feedhandler.publisher;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.source.PriceSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a line of a feed joins it when its session starts: what its anchored source made due before now was (or will
 * be) sent by the other line(s), so it is numbered without being sent, and the line goes on at the feed's sequence
 * numbers in the feed's session. Once per session, on the publisher's thread.
 */
final class LineJoin
{
    /** The publisher's logger: the join is part of its session's story, and its log lines keep their source. */
    private static final Logger LOG = LoggerFactory.getLogger(FeedPublisher.class);
    private static final int POLL_LIMIT = 1024;

    private LineJoin()
    {
    }

    /**
     * Numbers, without sending, every update the source has due now.
     *
     * @param line    the line.
     * @param source  the source, anchored to the feed's start.
     * @param batcher the session's batcher, nothing batched yet.
     * @param nowNs   {@link System#nanoTime()} now.
     * @return the monotonic time of the feed's start, from which a line's {@code --duration} counts.
     */
    static long skipDue(final FeedLine line, final PriceSource source, final SmartBatcher batcher, final long nowNs)
    {
        int skipped;
        do
        {
            skipped = source.poll(batcher.skipping(), POLL_LIMIT, nowNs);
        }
        while (skipped > 0);
        final long feedStartNs = nowNs - (WallClock.shared().toEpochNanos(nowNs) - line.startEpochNs());
        if (batcher.skippedUpdates() > 0)
        {
            LOG.info("{} joins {} s after the feed's start: the {} updates due before were left to the other " +
                "line(s); it goes on from there in session {}", line,
                String.format("%.3f", (nowNs - feedStartNs) / 1e9), batcher.skippedUpdates(), batcher.sessionEpoch());
        }
        else
        {
            LOG.info("{} publishes session {}", line, batcher.sessionEpoch());
        }
        return feedStartNs;
    }
}
