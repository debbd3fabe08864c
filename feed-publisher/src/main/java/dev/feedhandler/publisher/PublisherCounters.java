package dev.feedhandler.publisher;

import dev.feedhandler.common.counters.CounterTypes;
import dev.feedhandler.common.counters.ProcessCounters;
import dev.feedhandler.common.counters.TopicCounters;
import dev.feedhandler.common.metrics.TopicLabels;
import dev.feedhandler.publisher.batch.SmartBatcher;
import dev.feedhandler.publisher.transport.XPubPublication;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The publisher's counters as other threads and processes see them: Agrona {@link AtomicCounter}s in the process's
 * {@link ProcessCounters} (a counters file that {@code feed stat} reads, or memory), each in a 128-byte slot of its
 * own and written by the publisher thread only. The batcher and the socket keep plain fields that only the
 * publisher thread touches (nothing extra per update); every 10 ms, in its housekeeping, and at the end of the
 * session, the publisher thread copies them here with ordered stores, so a metrics scrape, a status line or
 * {@code feed stat} reads consistent, at most 10 ms old values without a lock. Per-topic counts are kept for the
 * first {@link TopicLabels#MAX_TOPIC_LABELS} topics and as one sum for the rest.
 */
public final class PublisherCounters
{
    private final ProcessCounters process;
    private final AtomicCounter updates;
    private final AtomicCounter batches;
    private final AtomicCounter heartbeats;
    private final AtomicCounter bytes;
    private final AtomicCounter messages;
    private final AtomicCounter frames;
    private final AtomicCounter envelopes;
    private final AtomicCounter sendRetries;
    private final AtomicCounter fullBatches;
    private final AtomicCounter lingerFlushes;
    private final AtomicCounter overBudgetSeconds;
    private final AtomicCounter lingerNs;
    private final AtomicCounter subscribers;
    private final AtomicCounter topics;
    private final TopicCounters topicUpdates;
    private final AtomicReferenceArray<String> topicSymbols =
        new AtomicReferenceArray<>(TopicLabels.MAX_TOPIC_LABELS);

    /**
     * Counters in memory (a test, a benchmark, an embedded publisher without a counters file).
     */
    public PublisherCounters()
    {
        this(ProcessCounters.inMemory("publish"));
    }

    /**
     * Counters in the process's counters.
     *
     * @param process where the counters live.
     */
    public PublisherCounters(final ProcessCounters process)
    {
        this.process = process;
        updates = counter("updates published");
        batches = counter("batches published");
        heartbeats = counter("heartbeats sent");
        bytes = counter("bytes sent");
        messages = counter("messages sent");
        frames = counter("frames sent");
        envelopes = counter("envelopes sent");
        sendRetries = counter("send retries");
        fullBatches = counter("full batches");
        lingerFlushes = counter("linger flushes");
        overBudgetSeconds = counter("seconds over the message budget (linger-bound)");
        lingerNs = counter("batch linger now (ns)");
        subscribers = counter("subscribers");
        topics = counter("topics");
        topicUpdates = new TopicCounters(process, CounterTypes.PUBLISHER_TOPIC, "topic updates published: ");
    }

    private AtomicCounter counter(final String label)
    {
        return process.newCounter(CounterTypes.PUBLISHER, label);
    }

    /**
     * Where the counters live, for the other parts of the publisher (recovery service, error handlers).
     *
     * @return the process's counters.
     */
    public ProcessCounters process()
    {
        return process;
    }

    /**
     * Publisher thread: copies the current figures. A topic's first copy allocates its counter (cold: once per
     * topic, for the first {@link TopicLabels#MAX_TOPIC_LABELS}).
     *
     * @param batcher     the batcher.
     * @param publication the socket.
     */
    public void update(final SmartBatcher batcher, final XPubPublication publication)
    {
        updates.setRelease(batcher.publishedUpdates());
        batches.setRelease(batcher.publishedBatches());
        heartbeats.setRelease(batcher.heartbeatsSent());
        bytes.setRelease(publication.bytesSent());
        messages.setRelease(publication.messagesSent());
        frames.setRelease(publication.framesSent());
        envelopes.setRelease(publication.envelopesSent());
        sendRetries.setRelease(publication.sendRetries());
        fullBatches.setRelease(batcher.fullBatches());
        lingerFlushes.setRelease(batcher.lingerFlushes());
        lingerNs.setRelease(batcher.linger().nanos());
        subscribers.setRelease(publication.subscriberCount());
        final int topicCount = batcher.topicCount();
        topics.setRelease(topicCount);
        final int labelled = Math.min(topicCount, TopicLabels.MAX_TOPIC_LABELS);
        long sum = 0;
        for (int id = 0; id < labelled; id++)
        {
            final long topicUpdateCount = batcher.topicAt(id).publishedUpdates();
            sum += topicUpdateCount;
            if (topicSymbols.get(id) == null)
            {
                topicSymbols.lazySet(id, batcher.topicAt(id).instrument().symbol());
            }
            topicUpdates.counter(id, topicSymbols.get(id)).setRelease(topicUpdateCount);
        }
        topicUpdates.other().setRelease(batcher.publishedUpdates() - sum);
    }

    /**
     * Publisher thread: the seconds spent over the message budget because of the linger ({@code MessageRateWatch}).
     *
     * @param seconds the count so far.
     */
    public void overBudgetSeconds(final long seconds)
    {
        overBudgetSeconds.setRelease(seconds);
    }

    /**
     * The batch linger now: {@code --batch-linger}, or longer while {@code --batch-linger-max} stretches it.
     *
     * @return nanoseconds.
     */
    public long lingerNanos()
    {
        return lingerNs.get();
    }

    /**
     * Seconds the linger, not the budget, set the message rate, over the budget ({@code MessageRateWatch}).
     *
     * @return the count.
     */
    public long overBudgetSeconds()
    {
        return overBudgetSeconds.get();
    }

    /**
     * Updates published.
     *
     * @return the count.
     */
    public long publishedUpdates()
    {
        return updates.get();
    }

    /**
     * Batches published.
     *
     * @return the count.
     */
    public long publishedBatches()
    {
        return batches.get();
    }

    /**
     * Heartbeats sent.
     *
     * @return the count.
     */
    public long heartbeatsSent()
    {
        return heartbeats.get();
    }

    /**
     * Bytes handed to the socket (both frames of every message).
     *
     * @return the count.
     */
    public long bytesSent()
    {
        return bytes.get();
    }

    /**
     * Messages handed to the socket (batches, heartbeats, session status; with {@code --envelope} an envelope of
     * several of them is one message).
     *
     * @return the count.
     */
    public long messagesSent()
    {
        return messages.get();
    }

    /**
     * Frames handed to the socket (batches, heartbeats, session status), alone or in envelopes.
     *
     * @return the count.
     */
    public long framesSent()
    {
        return frames.get();
    }

    /**
     * Envelopes of two frames or more handed to the socket ({@code --envelope}).
     *
     * @return the count.
     */
    public long envelopesSent()
    {
        return envelopes.get();
    }

    /**
     * Times a blocking send retried on a full queue.
     *
     * @return the count.
     */
    public long sendRetries()
    {
        return sendRetries.get();
    }

    /**
     * Batches closed because they were full.
     *
     * @return the count.
     */
    public long fullBatches()
    {
        return fullBatches.get();
    }

    /**
     * Batches closed by the linger.
     *
     * @return the count.
     */
    public long lingerFlushes()
    {
        return lingerFlushes.get();
    }

    /**
     * Subscribers announced and still connected.
     *
     * @return the count.
     */
    public long subscribers()
    {
        return subscribers.get();
    }

    /**
     * Topics that have sent or heartbeated.
     *
     * @return the count.
     */
    public int topics()
    {
        return (int)topics.get();
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
        return id == TopicLabels.MAX_TOPIC_LABELS ? topicUpdates.other().get() : topicUpdates.get(id);
    }
}
