package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.publisher.source.UpdateSink;

/**
 * A sink that numbers updates without sending them: a line of a feed started after the feed's start leaves what was
 * due before it came up to the line that sent it, and goes on with the same sequence numbers ({@code FeedLine}).
 * Used once, at the start of a session, before anything was batched. Publisher thread only.
 */
final class SkippingSink implements UpdateSink
{
    private final BatcherTopics topics;
    private long skipped;

    SkippingSink(final BatcherTopics topics)
    {
        this.topics = topics;
    }

    @Override
    public void onQuote(final int instrumentId, final long bidPrice, final long bidSize, final long askPrice,
        final long askSize, final long sourceTimestampNs)
    {
        skip(instrumentId);
    }

    @Override
    public void onTrade(final int instrumentId, final AggressorSide side, final long price, final long size,
        final long tradeId, final long sourceTimestampNs)
    {
        skip(instrumentId);
    }

    private void skip(final int instrumentId)
    {
        final TopicBatch topic = topics.get(instrumentId, System.nanoTime());
        if (topic.writer.count() != 0 || topic.publishedUpdates != 0)
        {
            throw new IllegalStateException("updates can be skipped only before any is batched");
        }
        topic.nextSequence++;
        skipped++;
    }

    /**
     * Updates numbered without being sent.
     *
     * @return the count.
     */
    long skipped()
    {
        return skipped;
    }
}
