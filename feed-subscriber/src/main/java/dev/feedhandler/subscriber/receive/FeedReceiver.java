package dev.feedhandler.subscriber.receive;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiver: reads {@code [topic][payload]} messages from the SUB socket, copies each payload once into a ring
 * slot, validates it completely, checks each topic's sequence numbers, and publishes the slot to the listener's
 * thread. Malformed messages are counted by kind and skipped; nothing stops the loop. Allocation-free per message
 * (JeroMQ itself allocates each received frame). Receiver thread only.
 * <p>
 * With recovery ({@link #enableRecovery}), a frame the plain sequence rules cannot deliver at once (a gap, a newer
 * session, a topic that is recovering) goes to the {@link RecoveryCoordinator}; a batch that continues its topic's
 * sequence pays three comparisons for it. While recoveries are in flight the loop also watches the link to the
 * recovery client (one poller over both sockets), and it tells the listener when the feed goes stale and live.
 */
public final class FeedReceiver
{
    /** Receive timeout of the blocking mode: how often the loop checks whether it should stop. */
    public static final int RECEIVE_TIMEOUT_MS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(FeedReceiver.class);
    private static final int DRAIN_LIMIT = 256;
    private static final int MAX_CONTROL_BYTES = 4096;
    private static final long LIVENESS_INTERVALS = 3;

    private ZMQ.Socket socket;
    private final RingBuffer<BatchEvent> ring;
    private final SubscriberCounters counters;
    private final FrameReader frameReader = new FrameReader();
    private final FrameReader controlReader = new FrameReader();
    private final SequenceTracker sequences = new SequenceTracker();
    private final TopicTable topicTable = new TopicTable();
    private final byte[] topicBytes = new byte[WireFormat.MAX_TOPIC_LENGTH];
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[MAX_CONTROL_BYTES]);
    private final ReceiveBufferPool pool;
    private final int maxFrameBytes;
    private final int maxTopics;
    private FrameTap tap;
    private long lastEndedEpoch;
    private RecoveryCoordinator recovery;
    private ZContext context;
    private long pendingEndNs;
    private ZMQ.Poller poller;
    private ZMQ.Socket polled;
    private int feedMessages;
    private long livenessNs;
    private long lastMessageNs;
    private boolean anyMessage;
    private boolean stale;

    /**
     * A receiver over a connected, subscribed socket.
     *
     * @param socket        the SUB socket.
     * @param ring          where received frames are published.
     * @param counters      counters to update.
     * @param pool          the socket's receive pool, to give arrays back to, or null.
     * @param maxFrameBytes largest payload accepted.
     * @param maxTopics     most distinct topics tracked; frames of further topics are rejected.
     */
    public FeedReceiver(
        final ZMQ.Socket socket,
        final RingBuffer<BatchEvent> ring,
        final SubscriberCounters counters,
        final ReceiveBufferPool pool,
        final int maxFrameBytes,
        final int maxTopics)
    {
        this.socket = socket;
        this.pool = pool;
        this.ring = ring;
        this.counters = counters;
        this.maxFrameBytes = maxFrameBytes;
        this.maxTopics = maxTopics;
    }

    /**
     * Adds a tap that sees every frame received, before validation (for recording).
     *
     * @param frameTap the tap, or null for none.
     */
    public void tap(final FrameTap frameTap)
    {
        this.tap = frameTap;
    }

    /**
     * Replaces the socket (after the old one was closed because a connection stalled).
     *
     * @param socket the new, connected and subscribed socket.
     */
    public void socket(final ZMQ.Socket socket)
    {
        this.socket = socket;
    }

    /**
     * Recovers gaps, earlier sessions' rests and missed beginnings through a recovery client.
     *
     * @param context      the context of the sockets (for the poller).
     * @param link         a PAIR socket connected to the recovery client.
     * @param prefixes     the subscription's topic prefixes, for snapshots.
     * @param maxHeldBytes most bytes of live frames held back behind recoveries, all topics together.
     */
    public void enableRecovery(final ZContext context, final ZMQ.Socket link, final List<String> prefixes,
        final long maxHeldBytes)
    {
        this.context = context;
        final List<byte[]> bytes = new ArrayList<>();
        for (final String prefix : prefixes)
        {
            bytes.add(prefix.getBytes(StandardCharsets.US_ASCII));
        }
        recovery = new RecoveryCoordinator(this, link, counters, maxHeldBytes, bytes);
    }

    /**
     * Tells the listener when nothing at all has arrived for three heartbeat intervals (stale), and when something
     * arrives again (live). Counted from the first message: before it the feed is not stale, just not there yet.
     *
     * @param heartbeatIntervalNs the publisher's heartbeat interval, 0 to turn liveness off.
     */
    public void liveness(final long heartbeatIntervalNs)
    {
        livenessNs = heartbeatIntervalNs <= 0 ? 0 : LIVENESS_INTERVALS * heartbeatIntervalNs;
    }

    /**
     * Receives what is there: waits for the first message (up to the socket's receive timeout, or not at all with
     * {@code block} false), then drains up to a limit without waiting.
     *
     * @param block whether to wait for the first message.
     * @return messages handled.
     */
    public int doWork(final boolean block)
    {
        if (recovery != null && recovery.busy())
        {
            return doWorkRecovering(block);
        }
        Msg first = socket.recvMsg(block ? 0 : ZMQ.DONTWAIT);
        if (first == null)
        {
            feedMessages = 0;
            return 0;
        }
        if (stale)
        {
            live();
        }
        int count = 0;
        do
        {
            onMessage(first);
            count++;
        }
        while (count < DRAIN_LIMIT && (first = socket.recvMsg(ZMQ.DONTWAIT)) != null);
        feedMessages = count;
        return count;
    }

    /**
     * While recoveries are in flight: wait on the feed and the link together, then drain both.
     */
    private int doWorkRecovering(final boolean block)
    {
        if (block)
        {
            if (poller == null || polled != socket)
            {
                if (poller != null)
                {
                    poller.close();
                }
                poller = context.createPoller(2);
                poller.register(socket, ZMQ.Poller.POLLIN);
                poller.register(recovery.link(), ZMQ.Poller.POLLIN);
                polled = socket;
            }
            poller.poll(RECEIVE_TIMEOUT_MS);
        }
        int count = 0;
        Msg message;
        while (count < DRAIN_LIMIT && (message = socket.recvMsg(ZMQ.DONTWAIT)) != null)
        {
            if (stale)
            {
                live();
            }
            onMessage(message);
            count++;
        }
        feedMessages = count;
        final int handled = recovery.drainLink();
        publishSessionEndWhenIdle();
        return count + handled;
    }

    /**
     * Follows the feed's liveness after a {@link #doWork} call: the listener hears when nothing has arrived for
     * three heartbeat intervals, and when something arrives again.
     *
     * @param nowNs {@link System#nanoTime()} now.
     */
    public void checkLiveness(final long nowNs)
    {
        if (feedMessages > 0)
        {
            lastMessageNs = nowNs;
            anyMessage = true;
        }
        else if (livenessNs > 0 && anyMessage && !stale && nowNs - lastMessageNs > livenessNs)
        {
            stale = true;
            counters.onStale();
            LOG.warn("feed stale: nothing received for {} ms (three heartbeat intervals)",
                (nowNs - lastMessageNs) / 1_000_000);
            publishEvent(BatchEvent.STALE);
            if (recovery != null)
            {
                recovery.audit(lastEndedEpoch, true);
            }
        }
    }

    /**
     * The first message after a stale period: the listener hears it before the message itself.
     */
    private void live()
    {
        stale = false;
        LOG.info("feed live again after {} ms of silence", (System.nanoTime() - lastMessageNs) / 1_000_000);
        publishEvent(BatchEvent.LIVE);
    }

    private void publishEvent(final int kind)
    {
        final long sequence = claim();
        ring.get(sequence).reset(kind, null);
        ring.publish(sequence);
    }

    /**
     * Closes the poller of the recovering mode, if there is one.
     */
    public void close()
    {
        if (poller != null)
        {
            poller.close();
            poller = null;
        }
    }

    private void onMessage(final Msg topicFrame)
    {
        if (!topicFrame.hasMore())
        {
            counters.onDecodeError(DecodeError.MISSING_PAYLOAD);
            return;
        }
        // ZeroMQ delivers the parts of a message together: the rest is already here.
        final Msg payload = socket.recvMsg(0);
        if (payload == null)
        {
            counters.onDecodeError(DecodeError.MISSING_PAYLOAD);
            return;
        }
        if (payload.hasMore())
        {
            counters.onDecodeError(DecodeError.EXTRA_FRAMES);
            Msg extra = payload;
            while (extra != null && extra.hasMore())
            {
                release(extra);
                extra = socket.recvMsg(0);
            }
            release(extra);
            return;
        }
        onFrames(topicFrame, payload);
        release(payload);
    }

    private void release(final Msg message)
    {
        if (pool != null && message != null)
        {
            pool.release(message);
        }
    }

    /**
     * Handles one two-frame message (package-private for tests that feed frames without a socket).
     */
    void onFrames(final Msg topicFrame, final Msg payload)
    {
        final int topicLength = topicFrame.size();
        if (topicLength == 0 || topicLength > WireFormat.MAX_TOPIC_LENGTH)
        {
            counters.onDecodeError(DecodeError.BAD_TOPIC);
            return;
        }
        topicFrame.getBytes(0, topicBytes, 0, topicLength);
        if (topicBytes[0] == WireFormat.RESERVED_TOPIC_BYTE)
        {
            onControl(payload, topicLength);
            return;
        }
        if (!isPrintable(topicBytes, topicLength))
        {
            counters.onDecodeError(DecodeError.BAD_TOPIC);
            return;
        }
        final int length = payload.size();
        if (length > maxFrameBytes)
        {
            counters.onDecodeError(DecodeError.OVERSIZED);
            return;
        }
        final TopicState state = topicTable.lookup(topicBytes, topicLength);
        if (state.topic.id() >= maxTopics)
        {
            counters.onDecodeError(DecodeError.BAD_TOPIC);
            return;
        }

        final long sequence = claim();
        final BatchEvent event = ring.get(sequence);
        try
        {
            event.reset(BatchEvent.NONE, state.topic);
            event.ensureCapacity(length);
            payload.getBytes(0, event.data, 0, length);
            if (tap != null)
            {
                tap.onFrame(topicBytes, topicLength, event.buffer, 0, length);
            }
            process(state, event, length, BatchEvent.DELIVERY_LIVE);
        }
        finally
        {
            ring.publish(sequence);
        }
        if (recovery != null)
        {
            recovery.afterPublish();
        }
    }

    /**
     * Puts a frame that did not come straight from the socket through the same path: a recovered batch, or a live
     * frame that was held back.
     */
    void inject(final TopicState state, final byte[] frame, final int length, final byte origin)
    {
        final long sequence = claim();
        final BatchEvent event = ring.get(sequence);
        try
        {
            event.reset(BatchEvent.NONE, state.topic);
            event.ensureCapacity(length);
            System.arraycopy(frame, 0, event.data, 0, length);
            process(state, event, length, origin);
        }
        finally
        {
            ring.publish(sequence);
        }
    }

    private void process(final TopicState state, final BatchEvent event, final int length, final byte origin)
    {
        final FrameKind kind = frameReader.read(event.buffer, 0, length);
        switch (kind)
        {
            case BATCH:
                onBatch(state, event, length, origin);
                break;
            case HEARTBEAT:
                onHeartbeat(state, event, length, origin);
                break;
            case SESSION_STATUS:
                counters.onDecodeError(DecodeError.UNEXPECTED_MESSAGE);
                break;
            default:
                counters.onDecodeError(frameReader.error());
                break;
        }
    }

    /**
     * A gap notice of its own, for a topic.
     */
    void publishNotice(final TopicState state, final long gapFrom, final long gapTo, final boolean unrecoverable)
    {
        final long sequence = claim();
        final BatchEvent event = ring.get(sequence);
        event.reset(BatchEvent.NOTICE, state.topic);
        event.gap(gapFrom, gapTo, unrecoverable);
        ring.publish(sequence);
    }

    /**
     * A lost session notice of its own, for a topic.
     */
    void publishLost(final TopicState state, final long lostEpoch, final long lostSequence)
    {
        final long sequence = claim();
        final BatchEvent event = ring.get(sequence);
        event.reset(BatchEvent.NOTICE, state.topic);
        event.sessionLost(lostEpoch, lostSequence);
        ring.publish(sequence);
    }

    /**
     * A topic's snapshot: the entry frame as received, its quote (if any) at {@code quoteOffset}.
     */
    void publishSnapshot(final TopicState state, final long epoch, final long lastSequence, final long quoteSequence,
        final byte[] entry, final int quoteOffset)
    {
        final long sequence = claim();
        final BatchEvent event = ring.get(sequence);
        event.reset(BatchEvent.SNAPSHOT, state.topic);
        event.ensureCapacity(entry.length);
        System.arraycopy(entry, 0, event.data, 0, entry.length);
        event.sessionEpoch = epoch;
        event.lastSequence = lastSequence;
        event.quoteSequence = quoteOffset < 0 ? 0 : quoteSequence;
        event.quoteOffset = quoteOffset;
        ring.publish(sequence);
    }

    /**
     * The state of a topic seen before.
     *
     * @param topic its bytes.
     * @return the state, or null.
     */
    TopicState find(final byte[] topic)
    {
        return topicTable.find(topic);
    }

    private long claim()
    {
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            counters.onRingFull();
            return ring.next();
        }
    }

    private void onBatch(final TopicState state, final BatchEvent event, final int length, final byte origin)
    {
        final BatchHeaderDecoder header = frameReader.batchHeader();
        if (header.updateCount() == 0)
        {
            return;
        }
        if (recovery != null && recovery.intercepts(state, header.sessionEpoch(), header.firstSequence(), origin))
        {
            recovery.onBatch(state, event, length, origin, header.sessionEpoch(), header.firstSequence());
            return;
        }
        deliverBatch(state, event, length, origin);
    }

    /**
     * The plain rules for the batch the frame reader holds: deliver what is new, drop duplicates and late messages of
     * older sessions, report a gap (lost for good: without recovery, or when recovery has decided so).
     */
    void deliverBatch(final TopicState state, final BatchEvent event, final int length, final byte origin)
    {
        final BatchHeaderDecoder header = frameReader.batchHeader();
        final int count = header.updateCount();
        final int verdict = sequences.onBatch(state, header.sessionEpoch(), header.firstSequence(), count);
        countEpoch(verdict);
        if (verdict == SequenceTracker.STALE_EPOCH)
        {
            noticeOnly(event);
            return;
        }
        counters.onBatchReceived(count, length);
        counters.onTopicUpdates(state.topic.id(), count);
        if (verdict == SequenceTracker.DUPLICATE)
        {
            counters.onDuplicates(count);
            noticeOnly(event);
            return;
        }
        if (sequences.hasGap())
        {
            final long missing = sequences.gapTo() - sequences.gapFrom() + 1;
            event.gap(sequences.gapFrom(), sequences.gapTo());
            counters.onGap(missing);
            counters.onUnrecoverable(missing);
        }
        if (sequences.skip() > 0)
        {
            event.skip = sequences.skip();
            counters.onDuplicates(event.skip);
        }
        event.kind = BatchEvent.BATCH;
        event.delivery = origin;
        event.sessionEpoch = header.sessionEpoch();
        event.firstSequence = header.firstSequence();
        event.updateCount = count;
        event.updatesOffset = frameReader.updatesOffset();
        event.sendTimestampNs = header.sendTimestampNs();
        if (origin == BatchEvent.DELIVERY_RECOVERED)
        {
            counters.onRecovered(count - event.skip);
        }
    }

    private static void noticeOnly(final BatchEvent event)
    {
        if (event.kind == BatchEvent.NONE && (event.hasGap() || event.lostEpoch != 0))
        {
            event.kind = BatchEvent.NOTICE;
        }
    }

    private void onHeartbeat(final TopicState state, final BatchEvent event, final int length, final byte origin)
    {
        if (origin == BatchEvent.DELIVERY_LIVE)
        {
            counters.onHeartbeat();
        }
        final HeartbeatDecoder heartbeat = frameReader.heartbeat();
        if (recovery != null &&
            recovery.interceptsHeartbeat(state, heartbeat.sessionEpoch(), heartbeat.lastSequence()))
        {
            recovery.onHeartbeat(state, event, length, origin, heartbeat.sessionEpoch(), heartbeat.lastSequence());
            return;
        }
        deliverHeartbeat(state, event);
    }

    /**
     * The plain rules for the heartbeat the frame reader holds: a last sequence number ahead of what was delivered
     * is a tail loss (lost for good here), an end of session is passed on.
     */
    void deliverHeartbeat(final TopicState state, final BatchEvent event)
    {
        final HeartbeatDecoder heartbeat = frameReader.heartbeat();
        final boolean end = heartbeat.flags().endOfSession();
        final int verdict = sequences.onHeartbeat(state, heartbeat.sessionEpoch(), heartbeat.lastSequence(), end);
        countEpoch(verdict);
        if (verdict != SequenceTracker.DELIVER)
        {
            noticeOnly(event);
            return;
        }
        if (sequences.hasGap())
        {
            // Tail loss: the publisher sent updates this subscriber never saw.
            final long missing = sequences.gapTo() - sequences.gapFrom() + 1;
            event.gap(sequences.gapFrom(), sequences.gapTo());
            counters.onGap(missing);
            counters.onUnrecoverable(missing);
        }
        event.kind = BatchEvent.HEARTBEAT;
        event.sessionEpoch = heartbeat.sessionEpoch();
        event.endOfTopic = end;
        event.lastSequence = heartbeat.lastSequence();
        event.sendTimestampNs = heartbeat.sendTimestampNs();
    }

    private void countEpoch(final int verdict)
    {
        if (verdict == SequenceTracker.STALE_EPOCH)
        {
            counters.onStaleEpoch();
        }
        else if (sequences.epochChanged())
        {
            counters.onEpochChange();
        }
    }

    private void onControl(final Msg payload, final int topicFrameLength)
    {
        final int length = payload.size();
        if (length > controlBuffer.capacity())
        {
            counters.onDecodeError(DecodeError.OVERSIZED);
            return;
        }
        payload.getBytes(0, controlBuffer.byteArray(), 0, length);
        if (tap != null)
        {
            tap.onFrame(topicBytes, topicFrameLength, controlBuffer, 0, length);
        }
        final FrameKind kind = controlReader.read(controlBuffer, 0, length);
        if (kind == FrameKind.INVALID)
        {
            counters.onDecodeError(controlReader.error());
            return;
        }
        if (kind != FrameKind.SESSION_STATUS)
        {
            counters.onDecodeError(DecodeError.UNEXPECTED_MESSAGE);
            return;
        }
        if (recovery != null)
        {
            recovery.onSessionStatus(controlReader.sessionEpoch(), controlReader.sessionStatus().publishedUpdates());
        }
        if (controlReader.isSessionEnded() && controlReader.sessionEpoch() != lastEndedEpoch)
        {
            lastEndedEpoch = controlReader.sessionEpoch();
            pendingEndNs = controlReader.sendTimestampNs();
            if (recovery != null)
            {
                // The session's last heartbeats may have been dropped: ask the service for the topics' ends.
                recovery.audit(lastEndedEpoch, false);
            }
            // "Everything sent before has been delivered": not while a topic still recovers or holds frames back.
            publishSessionEndWhenIdle();
        }
    }

    private void publishSessionEndWhenIdle()
    {
        if (pendingEndNs == 0 || (recovery != null && !recovery.idle()))
        {
            return;
        }
        final long sequence = claim();
        final BatchEvent event = ring.get(sequence);
        event.reset(BatchEvent.SESSION_END, null);
        event.sessionEpoch = lastEndedEpoch;
        event.sendTimestampNs = pendingEndNs;
        ring.publish(sequence);
        pendingEndNs = 0;
    }

    private static boolean isPrintable(final byte[] bytes, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = bytes[i];
            if (b <= ' ' || b > '~')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The topics seen so far, in id order. Safe to read from any thread.
     *
     * @return the topics.
     */
    public List<Topic> topics()
    {
        return topicTable.topics();
    }
}
