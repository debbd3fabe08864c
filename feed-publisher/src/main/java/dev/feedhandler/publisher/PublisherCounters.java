package dev.feedhandler.publisher;

import dev.feedhandler.common.metrics.TopicLabels;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.transport.XPubPublication;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The publisher's counters as other threads see them. The batcher and the socket keep plain fields that only the
 * publisher thread touches (nothing extra per update); every 10 ms, in its housekeeping, and at the end of the
 * session, the publisher thread copies them here with ordered stores, so a metrics scrape or a status line reads
 * consistent, at most 10 ms old values without a lock. Per-topic counts are kept for the first
 * {@link TopicLabels#MAX_TOPIC_LABELS} topics and as one sum for the rest.
 */
public final class PublisherCounters
{
    private static final int UPDATES = 0;
    private static final int BATCHES = 1;
    private static final int HEARTBEATS = 2;
    private static final int BYTES = 3;
    private static final int MESSAGES = 4;
    private static final int SEND_RETRIES = 5;
    private static final int FULL_BATCHES = 6;
    private static final int LINGER_FLUSHES = 7;
    private static final int SUBSCRIBERS = 8;
    private static final int TOPICS = 9;
    private static final int SIZE = 10;

    private final AtomicLongArray values = new AtomicLongArray(SIZE);
    private final AtomicLongArray topicUpdates = new AtomicLongArray(TopicLabels.MAX_TOPIC_LABELS + 1);
    private final AtomicReferenceArray<String> topicSymbols =
        new AtomicReferenceArray<>(TopicLabels.MAX_TOPIC_LABELS);

    /**
     * Publisher thread: copies the current figures.
     *
     * @param batcher     the batcher.
     * @param publication the socket.
     */
    public void update(final SmartBatcher batcher, final XPubPublication publication)
    {
        values.lazySet(UPDATES, batcher.publishedUpdates());
        values.lazySet(BATCHES, batcher.publishedBatches());
        values.lazySet(HEARTBEATS, batcher.heartbeatsSent());
        values.lazySet(BYTES, publication.bytesSent());
        values.lazySet(MESSAGES, publication.messagesSent());
        values.lazySet(SEND_RETRIES, publication.sendRetries());
        values.lazySet(FULL_BATCHES, batcher.fullBatches());
        values.lazySet(LINGER_FLUSHES, batcher.lingerFlushes());
        values.lazySet(SUBSCRIBERS, publication.subscriberCount());
        final int topics = batcher.topicCount();
        values.lazySet(TOPICS, topics);
        final int labelled = Math.min(topics, TopicLabels.MAX_TOPIC_LABELS);
        long sum = 0;
        for (int id = 0; id < labelled; id++)
        {
            final long updates = batcher.topicAt(id).publishedUpdates();
            sum += updates;
            if (topicSymbols.get(id) == null)
            {
                topicSymbols.lazySet(id, batcher.topicAt(id).instrument().symbol());
            }
            topicUpdates.lazySet(id, updates);
        }
        topicUpdates.lazySet(TopicLabels.MAX_TOPIC_LABELS, batcher.publishedUpdates() - sum);
    }

    /**
     * Updates published.
     *
     * @return the count.
     */
    public long publishedUpdates()
    {
        return values.get(UPDATES);
    }

    /**
     * Batches published.
     *
     * @return the count.
     */
    public long publishedBatches()
    {
        return values.get(BATCHES);
    }

    /**
     * Heartbeats sent.
     *
     * @return the count.
     */
    public long heartbeatsSent()
    {
        return values.get(HEARTBEATS);
    }

    /**
     * Bytes handed to the socket (both frames of every message).
     *
     * @return the count.
     */
    public long bytesSent()
    {
        return values.get(BYTES);
    }

    /**
     * Messages handed to the socket (batches, heartbeats, session status).
     *
     * @return the count.
     */
    public long messagesSent()
    {
        return values.get(MESSAGES);
    }

    /**
     * Times a blocking send retried on a full queue.
     *
     * @return the count.
     */
    public long sendRetries()
    {
        return values.get(SEND_RETRIES);
    }

    /**
     * Batches closed because they were full.
     *
     * @return the count.
     */
    public long fullBatches()
    {
        return values.get(FULL_BATCHES);
    }

    /**
     * Batches closed by the linger.
     *
     * @return the count.
     */
    public long lingerFlushes()
    {
        return values.get(LINGER_FLUSHES);
    }

    /**
     * Subscribers announced and still connected.
     *
     * @return the count.
     */
    public long subscribers()
    {
        return values.get(SUBSCRIBERS);
    }

    /**
     * Topics that have sent or heartbeated.
     *
     * @return the count.
     */
    public int topics()
    {
        return (int)values.get(TOPICS);
    }

    /**
     * The symbol of a topic with its own series.
     *
     * @param id from 0 to {@link TopicLabels#MAX_TOPIC_LABELS} - 1.
     * @return the symbol, or null if that topic has not been seen.
     */
    public String topicSymbol(final int id)
    {
        return topicSymbols.get(id);
    }

    /**
     * Updates published on a topic with its own series, or (id {@link TopicLabels#MAX_TOPIC_LABELS}) on all the
     * others together.
     *
     * @param id the topic id, or {@link TopicLabels#MAX_TOPIC_LABELS}.
     * @return the count.
     */
    public long topicUpdates(final int id)
    {
        return topicUpdates.get(id);
    }
}
