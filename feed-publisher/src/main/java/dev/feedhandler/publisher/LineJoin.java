package dev.feedhandler.publisher;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.source.PriceSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a line of a feed joins it when its session starts: what its anchored source made due before now was sent by
 * the other line(s), so it is numbered without being sent, and the line goes on at the feed's sequence numbers in
 * the feed's session. All but the last {@link #OVERLAP_NS} of it: that much is sent again at once, so that what the
 * other line had made due but not yet sent when this line joined (its queues, a slow host) still reaches subscribers
 * if the other line dies right after; a subscriber arbitrating the lines drops the copies it already has. Once per
 * session, on the publisher's thread.
 */
final class LineJoin
{
    /** The publisher's logger: the join is part of its session's story, and its log lines keep their source. */
    private static final Logger LOG = LoggerFactory.getLogger(FeedPublisher.class);
    private static final int POLL_LIMIT = 1024;
    /** What a line joining late sends again of what was due before it joined: the other line's last second. */
    static final long OVERLAP_NS = 1_000_000_000L;

    private LineJoin()
    {
    }

    /**
     * Numbers, without sending, every update the source had due up to {@link #OVERLAP_NS} before now.
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
            skipped = source.poll(batcher.skipping(), POLL_LIMIT, nowNs - OVERLAP_NS);
        }
        while (skipped > 0);
        final long feedStartNs = nowNs - (WallClock.shared().toEpochNanos(nowNs) - line.startEpochNs());
        if (batcher.skippedUpdates() > 0)
        {
            LOG.info("{} joins {} s after the feed's start: the {} updates due before were left to the other " +
                "line(s) but for the last second's, sent again; it goes on from there in session {}", line,
                String.format("%.3f", (nowNs - feedStartNs) / 1e9), batcher.skippedUpdates(), batcher.sessionEpoch());
        }
        else
        {
            LOG.info("{} publishes session {}", line, batcher.sessionEpoch());
        }
        return feedStartNs;
    }
}
