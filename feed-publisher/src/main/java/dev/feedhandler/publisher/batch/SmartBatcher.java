package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.UpdateSink;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batches updates per topic and numbers them. A topic's batch is sent when the source has nothing more ready
 * ({@link #flushAll()}), when it is full (updates or bytes), or when its first update has waited longer than the
 * linger ({@link #flushExpired(long)}). It never waits on a timer while idle: low latency at low load, large
 * batches at high load. Also sends each topic's heartbeats. Allocation-free per update; single-threaded.
 */
public final class SmartBatcher implements UpdateSink
{
    private final BatchConfiguration configuration;
    private final InstrumentRegistry registry;
    private final Publication publication;
    private final WallClock clock;
    private final long sessionEpoch;
    private final ControlWriter controlWriter = new ControlWriter();
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[128]);

    private TopicBatch[] topics = new TopicBatch[16];
    private int topicCount;
    private int[] pending = new int[16];
    private int pendingCount;
    private long nowNs;

    private long publishedUpdates;
    private long publishedBatches;
    private long heartbeatsSent;
    private long fullBatches;
    private long lingerFlushes;

    /**
     * A batcher for one publisher session.
     *
     * @param configuration limits.
     * @param registry      instruments; a topic's state is created on its first update or heartbeat.
     * @param publication   where frames go.
     * @param clock         epoch clock for send timestamps.
     * @param sessionEpoch  this session's epoch, carried in every batch and heartbeat.
     */
    public SmartBatcher(
        final BatchConfiguration configuration,
        final InstrumentRegistry registry,
        final Publication publication,
        final WallClock clock,
        final long sessionEpoch)
    {
        this.configuration = configuration;
        this.registry = registry;
        this.publication = publication;
        this.clock = clock;
        this.sessionEpoch = sessionEpoch;
        this.nowNs = System.nanoTime();
    }

    /**
     * Sets the time used for linger decisions until the next call; the publisher's loop calls it once per pass so
     * that no update pays for a clock read.
     *
     * @param nowNs {@link System#nanoTime()} now.
     */
    public void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onQuote(
        final int instrumentId,
        final long bidPrice,
        final long bidSize,
        final long askPrice,
        final long askSize,
        final long sourceTimestampNs)
    {
        final TopicBatch topic = beforeAppend(instrumentId);
        final int length = topic.writer.appendQuote(
            instrumentId, bidPrice, bidSize, askPrice, askSize, sourceTimestampNs);
        afterAppend(topic, length);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onTrade(
        final int instrumentId,
        final AggressorSide side,
        final long price,
        final long size,
        final long tradeId,
        final long sourceTimestampNs)
    {
        final TopicBatch topic = beforeAppend(instrumentId);
        final int length = topic.writer.appendTrade(instrumentId, side, price, size, tradeId, sourceTimestampNs);
        afterAppend(topic, length);
    }

    private TopicBatch beforeAppend(final int instrumentId)
    {
        final TopicBatch topic = topic(instrumentId);
        if (topic.writer.count() == 0)
        {
            topic.firstPendingNs = nowNs;
            addPending(topic);
        }
        topic.ensureRoomForUpdate();
        return topic;
    }

    /**
     * Closes the batch when the next update might not fit: after an append the batch always has room for one more.
     */
    private void afterAppend(final TopicBatch topic, final int length)
    {
        if (topic.writer.count() >= configuration.maxUpdates() ||
            length + WireFormat.MAX_UPDATE_LENGTH > configuration.maxBytes())
        {
            flush(topic);
            fullBatches++;
        }
    }

    /**
     * Sends every pending batch: the source has nothing more ready.
     *
     * @return batches sent.
     */
    public int flushAll()
    {
        final int count = pendingCount;
        while (pendingCount > 0)
        {
            flush(topics[pending[pendingCount - 1]]);
        }
        return count;
    }

    /**
     * Sends the pending batches whose first update has waited at least the linger.
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return batches sent.
     */
    public int flushExpired(final long nowNs)
    {
        final long lingerNs = configuration.lingerNs();
        if (lingerNs == 0 || pendingCount == 0)
        {
            return 0;
        }
        int sent = 0;
        for (int i = pendingCount - 1; i >= 0; i--)
        {
            final TopicBatch topic = topics[pending[i]];
            if (nowNs - topic.firstPendingNs >= lingerNs)
            {
                flush(topic);
                lingerFlushes++;
                sent++;
            }
        }
        return sent;
    }

    private void flush(final TopicBatch topic)
    {
        final int count = topic.writer.count();
        removePending(topic);
        if (count == 0)
        {
            return;
        }
        final long sendTimestampNs = clock.nanoTime();
        final int length = topic.writer.finish(sessionEpoch, topic.nextSequence, sendTimestampNs, false);
        publication.send(topic.topic, topic.buffer, 0, length);
        topic.nextSequence += count;
        topic.publishedUpdates += count;
        topic.publishedBatches++;
        topic.lastSentNs = nowNs;
        publishedUpdates += count;
        publishedBatches++;
        topic.writer.reset();
    }

    /**
     * Sends a heartbeat on every topic that has sent nothing for at least {@code intervalNs}, so subscribers learn
     * each topic's last sequence number (and so any tail loss) within one interval.
     *
     * @param nowNs      {@link System#nanoTime()} now.
     * @param intervalNs the heartbeat interval.
     * @return heartbeats sent.
     */
    public int sendHeartbeats(final long nowNs, final long intervalNs)
    {
        ensureAllTopics();
        int sent = 0;
        for (int i = 0; i < topicCount; i++)
        {
            final TopicBatch topic = topics[i];
            if (topic.writer.count() == 0 && nowNs - topic.lastSentNs >= intervalNs)
            {
                sendHeartbeat(topic, false);
                topic.lastSentNs = nowNs;
                sent++;
            }
        }
        return sent;
    }

    /**
     * Flushes everything and sends a final heartbeat, flagged end of session, on every topic.
     */
    public void endSession()
    {
        flushAll();
        ensureAllTopics();
        for (int i = 0; i < topicCount; i++)
        {
            sendHeartbeat(topics[i], true);
        }
    }

    private void sendHeartbeat(final TopicBatch topic, final boolean endOfSession)
    {
        final int length = controlWriter.heartbeat(
            controlBuffer, 0, sessionEpoch, topic.lastSequence(), clock.nanoTime(), endOfSession);
        publication.send(topic.topic, controlBuffer, 0, length);
        heartbeatsSent++;
    }

    /**
     * Creates the state of every instrument registered so far, so that its topic exists (for counters, metrics and
     * heartbeats) before its first update.
     */
    public void ensureAllTopics()
    {
        final int registered = registry.size();
        for (int id = topicCount; id < registered; id++)
        {
            topic(id);
        }
    }

    private TopicBatch topic(final int instrumentId)
    {
        if (instrumentId < topicCount)
        {
            return topics[instrumentId];
        }
        return addTopics(instrumentId);
    }

    private TopicBatch addTopics(final int instrumentId)
    {
        if (instrumentId >= registry.size() || instrumentId < 0)
        {
            throw new IllegalArgumentException("unknown instrument id " + instrumentId);
        }
        if (instrumentId >= topics.length)
        {
            final int capacity = Math.max(instrumentId + 1, topics.length * 2);
            topics = Arrays.copyOf(topics, capacity);
            pending = Arrays.copyOf(pending, capacity);
        }
        for (int id = topicCount; id <= instrumentId; id++)
        {
            topics[id] = new TopicBatch(registry.get(id), nowNs);
        }
        topicCount = instrumentId + 1;
        return topics[instrumentId];
    }

    private void addPending(final TopicBatch topic)
    {
        topic.pendingIndex = pendingCount;
        pending[pendingCount++] = topic.instrument.id();
    }

    private void removePending(final TopicBatch topic)
    {
        final int index = topic.pendingIndex;
        if (index < 0)
        {
            return;
        }
        final int last = --pendingCount;
        if (index != last)
        {
            final int movedId = pending[last];
            pending[index] = movedId;
            topics[movedId].pendingIndex = index;
        }
        topic.pendingIndex = -1;
    }

    /**
     * The session epoch carried by every batch.
     *
     * @return the epoch.
     */
    public long sessionEpoch()
    {
        return sessionEpoch;
    }

    /**
     * Updates published so far.
     *
     * @return the count.
     */
    public long publishedUpdates()
    {
        return publishedUpdates;
    }

    /**
     * Batches published so far.
     *
     * @return the count.
     */
    public long publishedBatches()
    {
        return publishedBatches;
    }

    /**
     * Heartbeats sent so far, end-of-session ones included.
     *
     * @return the count.
     */
    public long heartbeatsSent()
    {
        return heartbeatsSent;
    }

    /**
     * Batches closed because they were full.
     *
     * @return the count.
     */
    public long fullBatches()
    {
        return fullBatches;
    }

    /**
     * Batches closed by the linger.
     *
     * @return the count.
     */
    public long lingerFlushes()
    {
        return lingerFlushes;
    }

    /**
     * Updates waiting in unsent batches.
     *
     * @return the count.
     */
    public int pendingBatches()
    {
        return pendingCount;
    }

    /**
     * Topics that have a state so far (ids 0 to this - 1); with {@link #topicAt(int)}, a way to read per-topic
     * figures without allocating.
     *
     * @return the count.
     */
    public int topicCount()
    {
        return topicCount;
    }

    /**
     * The state of a topic that has one.
     *
     * @param instrumentId from 0 to {@link #topicCount()} - 1.
     * @return the topic's state.
     */
    public TopicBatch topicAt(final int instrumentId)
    {
        if (instrumentId < 0 || instrumentId >= topicCount)
        {
            throw new IndexOutOfBoundsException("no topic " + instrumentId + " (" + topicCount + " topics)");
        }
        return topics[instrumentId];
    }

    /**
     * The state of every topic that has one, in id order (cold path: summaries).
     *
     * @return a new list.
     */
    public List<TopicBatch> topics()
    {
        final List<TopicBatch> list = new ArrayList<>(topicCount);
        for (int i = 0; i < topicCount; i++)
        {
            list.add(topics[i]);
        }
        return list;
    }
}
