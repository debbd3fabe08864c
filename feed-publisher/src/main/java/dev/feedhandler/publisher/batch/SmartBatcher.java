package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.UpdateSink;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Batches updates per topic, numbers them, and decides when each batch goes: a CPU budget, not the publisher's
 * wake-ups, sets the message rate. The pending batches are kept oldest first, and after each poll of the source
 * ({@link #flushDue(long, boolean)}):
 * <ul>
 *   <li>a batch whose first update has waited the linger goes, whatever the budget says (the latency bound);</li>
 *   <li>when the source has nothing more ready, the oldest batches go while the {@link MessageBudget} allows:
 *       at low rates the budget is never spent and a lone update goes out at once; as the rate climbs the budget
 *       runs out, the batches wait for its tokens and grow, and the messages per second stay at the budget;</li>
 *   <li>a full batch (updates or bytes) goes at once and is charged to the budget.</li>
 * </ul>
 * Frames pass through a {@link SendQueue}, which keeps their order when the socket answers back-pressure. Also
 * sends each topic's heartbeats and the session statuses. Allocation-free per update; single-threaded.
 */
public final class SmartBatcher implements UpdateSink
{
    private final BatchConfiguration configuration;
    private final InstrumentRegistry registry;
    private final SendQueue sendQueue;
    private final MessageBudget budget;
    private final LingerControl linger;
    private final WallClock clock;
    private final long sessionEpoch;
    private final ControlWriter controlWriter = new ControlWriter();
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[128]);

    private final BatcherTopics topics;
    private final SkippingSink skipper;
    private final PendingBatches pending = new PendingBatches();
    private long nowNs;

    private long publishedUpdates;
    private long publishedBatches;
    private long heartbeatsSent;
    private long fullBatches;
    private long lingerFlushes;
    private long budgetFlushes;

    /**
     * A batcher for one publisher session.
     *
     * @param configuration limits and budget.
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
        this.topics = new BatcherTopics(registry);
        this.skipper = new SkippingSink(topics);
        this.sendQueue = new SendQueue(publication, topics::topicBytes);
        this.budget = configuration.newBudget();
        this.linger = new LingerControl(configuration);
        this.clock = clock;
        this.sessionEpoch = sessionEpoch;
        this.nowNs = System.nanoTime();
    }

    /**
     * Sets the time used for linger and budget decisions until the next call; the publisher's duty cycle calls it
     * once per pass so that no update pays for a clock read.
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
        final TopicBatch topic = topics.get(instrumentId, nowNs);
        if (topic.writer.count() == 0)
        {
            topic.firstPendingNs = nowNs;
            pending.add(topic);
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
            budget.charge(nowNs);
            fullBatches++;
        }
    }

    /**
     * The flush decision of one duty cycle, after the source was polled: the batches past their linger go, and, if
     * the source has nothing more ready, the oldest ones while the budget allows.
     *
     * @param nowNs         {@link System#nanoTime()} now.
     * @param sourceDrained whether the source handed over everything it had ready.
     * @return batches sent.
     */
    public int flushDue(final long nowNs, final boolean sourceDrained)
    {
        int sent = 0;
        linger.onFlushDecision(nowNs, publishedBatches, lingerFlushes);
        final long lingerNs = linger.nanos();
        if (lingerNs > 0)
        {
            while (pending.oldest() != null && nowNs - pending.oldest().firstPendingNs >= lingerNs)
            {
                flush(pending.oldest());
                budget.charge(nowNs);
                lingerFlushes++;
                sent++;
            }
        }
        if (sourceDrained)
        {
            while (pending.oldest() != null && budget.tryAcquire(nowNs))
            {
                flush(pending.oldest());
                budgetFlushes++;
                sent++;
            }
        }
        return sent;
    }

    /**
     * Sends every pending batch, whatever the budget says (the end of a session).
     *
     * @return batches sent.
     */
    public int flushAll()
    {
        final int count = pending.count();
        while (pending.oldest() != null)
        {
            flush(pending.oldest());
        }
        return count;
    }

    private void flush(final TopicBatch topic)
    {
        final int count = topic.writer.count();
        pending.remove(topic);
        if (count == 0)
        {
            return;
        }
        final long sendTimestampNs = clock.nanoTime();
        final int length = topic.writer.finish(sessionEpoch, topic.nextSequence, sendTimestampNs, false);
        sendQueue.send(topic.instrument.id(), topic.topic, topic.buffer, 0, length);
        topic.nextSequence += count;
        topic.publishedUpdates += count;
        topic.publishedBatches++;
        topic.lastSentNs = nowNs;
        publishedUpdates += count;
        publishedBatches++;
        topic.writer.reset();
    }

    /**
     * Offers the frames that wait behind back-pressure again, oldest first.
     *
     * @return frames that went.
     */
    public int retryBackPressured()
    {
        return sendQueue.retry();
    }

    /**
     * Whether frames wait for the socket ({@code --backpressure block}): the publisher then takes nothing more from
     * its source and sends no heartbeat until they have gone.
     *
     * @return true while back-pressured.
     */
    public boolean isBackPressured()
    {
        return sendQueue.isBackPressured();
    }

    /**
     * Whether the publication was closed under the batcher (its ZeroMQ context terminated): nothing goes out again.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return sendQueue.isClosed();
    }

    /**
     * Gives up on the frames that still wait for the socket (the end of a session that could not get them out).
     *
     * @return frames given up.
     */
    public int discardBackPressured()
    {
        return sendQueue.discard();
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
        for (int i = 0, n = topics.count(); i < n; i++)
        {
            final TopicBatch topic = topics.at(i);
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
        for (int i = 0, n = topics.count(); i < n; i++)
        {
            sendHeartbeat(topics.at(i), true);
        }
    }

    private void sendHeartbeat(final TopicBatch topic, final boolean endOfSession)
    {
        final int length = controlWriter.heartbeat(
            controlBuffer, 0, sessionEpoch, topic.lastSequence(), clock.nanoTime(), endOfSession);
        sendQueue.send(topic.instrument.id(), topic.topic, controlBuffer, 0, length);
        heartbeatsSent++;
    }

    /**
     * A sink that numbers updates without sending them, for a feed line that joins late ({@code FeedLine}).
     *
     * @return the sink, used only before anything was batched.
     */
    public UpdateSink skipping()
    {
        return skipper;
    }

    /**
     * Updates numbered without being sent ({@link #skipping()}).
     *
     * @return the count.
     */
    public long skippedUpdates()
    {
        return skipper.skipped();
    }

    /**
     * Sends a session status on the control topic, in order with the batches and heartbeats (skipped updates count).
     *
     * @param state the session's state.
     */
    public void sendSessionStatus(final SessionState state)
    {
        final int length = controlWriter.sessionStatus(controlBuffer, 0, sessionEpoch, clock.nanoTime(),
            publishedUpdates + skipper.skipped(), publishedBatches, registry.size(), state);
        sendQueue.send(SendQueue.CONTROL_TOPIC_ID, WireFormat.CONTROL_TOPIC_BYTES, controlBuffer, 0, length);
    }

    /**
     * Creates the state of every instrument registered so far, so that its topic exists (for counters, metrics and
     * heartbeats) before its first update.
     */
    public void ensureAllTopics()
    {
        topics.ensureAll(nowNs);
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
     * Updates published so far (numbered and handed on; with back-pressure some may still wait for the socket).
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
     * Batches closed by the linger (the budget alone would have held them longer).
     *
     * @return the count.
     */
    public long lingerFlushes()
    {
        return lingerFlushes;
    }

    /**
     * Batches sent when the source had nothing more ready and the budget allowed.
     *
     * @return the count.
     */
    public long budgetFlushes()
    {
        return budgetFlushes;
    }

    /**
     * The linger, which stretches up to {@code --batch-linger-max} while it sets the message rate.
     *
     * @return its control.
     */
    public LingerControl linger()
    {
        return linger;
    }

    SendQueue sendQueue()
    {
        return sendQueue;
    }

    /**
     * Frames that never went out: given up at the end of the session, or made after the socket closed.
     *
     * @return the count.
     */
    public long unsentFrames()
    {
        return sendQueue.discarded();
    }

    /**
     * Topics with an unsent batch.
     *
     * @return the count.
     */
    public int pendingBatches()
    {
        return pending.count();
    }

    /**
     * Topics that have a state so far (ids 0 to this - 1); with {@link #topicAt(int)}, a way to read per-topic
     * figures without allocating.
     *
     * @return the count.
     */
    public int topicCount()
    {
        return topics.count();
    }

    /**
     * The state of a topic that has one.
     *
     * @param instrumentId from 0 to {@link #topicCount()} - 1.
     * @return the topic's state.
     */
    public TopicBatch topicAt(final int instrumentId)
    {
        if (instrumentId < 0 || instrumentId >= topics.count())
        {
            throw new IndexOutOfBoundsException("no topic " + instrumentId + " (" + topics.count() + " topics)");
        }
        return topics.at(instrumentId);
    }

    /**
     * The state of every topic that has one, in id order (cold path: summaries).
     *
     * @return a new list.
     */
    public List<TopicBatch> topics()
    {
        return topics.list();
    }
}
