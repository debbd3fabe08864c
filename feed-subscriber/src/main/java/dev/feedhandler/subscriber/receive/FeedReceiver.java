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
import dev.feedhandler.subscriber.sequence.SequencerListener;
import dev.feedhandler.subscriber.sequence.TopicSequencer;
import dev.feedhandler.subscriber.sequence.TopicState;
import dev.feedhandler.subscriber.sequence.Verdict;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;

import java.util.List;

/**
 * The receiver: reads {@code [topic][payload]} messages from the SUB socket, copies each payload once into a ring
 * slot, validates it completely, asks the {@link TopicSequencer} what to do with it, and publishes the slot to the
 * listener's thread. It does the I/O and the ring publishing; every sequence rule is the sequencer's. Malformed
 * messages are counted by kind and skipped; nothing stops the loop. Allocation-free per message (JeroMQ itself
 * allocates each received frame). Receiver thread only.
 * <p>
 * With recovery ({@link #enableRecovery}), while requests are in flight the loop also watches the link to the
 * recovery client (one poller over both sockets). It tells the listener when the feed goes stale and live.
 */
public final class FeedReceiver implements SequencerListener
{
    /** Receive timeout of the blocking mode: how often the loop checks whether it should stop. */
    public static final int RECEIVE_TIMEOUT_MS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(FeedReceiver.class);
    private static final int DRAIN_LIMIT = 256;
    private static final int MAX_CONTROL_BYTES = 4096;
    private static final long LIVENESS_INTERVALS = 3;
    private static final long NOT_CLAIMED = -1;

    private ZMQ.Socket socket;
    private final RingBuffer<BatchEvent> ring;
    private final SubscriberCounters counters;
    private final FrameReader frameReader = new FrameReader();
    private final FrameReader controlReader = new FrameReader();
    private final TopicTable topicTable = new TopicTable();
    private final byte[] topicBytes = new byte[WireFormat.MAX_TOPIC_LENGTH];
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[MAX_CONTROL_BYTES]);
    private final ReceiveBufferPool pool;
    private final int maxFrameBytes;
    private final int maxTopics;
    private final NanoClock clock;
    private TopicSequencer sequencer;
    private RecoveryLinkAdapter recovery;
    private FrameTap tap;
    private ZContext context;
    private ZMQ.Poller poller;
    private ZMQ.Socket polled;
    private long claimed = NOT_CLAIMED;
    private int feedMessages;
    private long livenessNs;
    private long lastMessageNs;
    private boolean anyMessage;
    private boolean stale;

    /**
     * A receiver over a connected, subscribed socket, with the plain sequence rules (every gap unrecoverable) until
     * {@link #enableRecovery} is called.
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
        this.clock = new SystemNanoClock();
        this.sequencer = new TopicSequencer(null, this, counters, clock, 0);
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
        recovery = new RecoveryLinkAdapter(link, prefixes, counters, topicTable);
        sequencer = new TopicSequencer(recovery, this, counters, clock, maxHeldBytes);
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
        if (recovery != null && sequencer.busy())
        {
            return doWorkRecovering(block);
        }
        Msg first = socket.recvMsg(block ? 0 : ZMQ.DONTWAIT);
        if (first == null)
        {
            feedMessages = 0;
            return 0;
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
            onMessage(message);
            count++;
        }
        feedMessages = count;
        return count + recovery.drain(sequencer);
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
            sequencer.onFeedStale();
        }
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

    /**
     * The topics seen so far, in id order. Safe to read from any thread.
     *
     * @return the topics.
     */
    public List<Topic> topics()
    {
        return topicTable.topics();
    }

    /**
     * The sequencer (for tests and status).
     *
     * @return the sequencer.
     */
    public TopicSequencer sequencer()
    {
        return sequencer;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Messages from the socket.
    // ---------------------------------------------------------------------------------------------------------------

    private void onMessage(final Msg topicFrame)
    {
        if (stale)
        {
            // The first message after a stale period: the listener hears it before the message itself.
            stale = false;
            LOG.info("feed live again after {} ms of silence", (System.nanoTime() - lastMessageNs) / 1_000_000);
            publishEvent(BatchEvent.LIVE);
        }
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
        if (state.topic().id() >= maxTopics)
        {
            counters.onDecodeError(DecodeError.BAD_TOPIC);
            return;
        }

        final BatchEvent event = claim(BatchEvent.NONE, state.topic());
        try
        {
            event.ensureCapacity(length);
            payload.getBytes(0, event.data, 0, length);
            if (tap != null)
            {
                tap.onFrame(topicBytes, topicLength, event.buffer, 0, length);
            }
            final FrameKind kind = decode(event, length);
            if (kind == FrameKind.BATCH)
            {
                apply(event, sequencer.onBatch(state, event.sessionEpoch, event.firstSequence, event.updateCount,
                    event.buffer, 0, length));
            }
            else if (kind == FrameKind.HEARTBEAT)
            {
                apply(event, sequencer.onHeartbeat(state, event.sessionEpoch, event.lastSequence, event.endOfTopic,
                    event.buffer, 0, length));
            }
        }
        finally
        {
            publishClaimed();
        }
        sequencer.afterFrame();
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
        sequencer.onSessionStatus(controlReader.sessionEpoch(), controlReader.sessionStatus().publishedUpdates(),
            controlReader.isSessionEnded(), controlReader.sendTimestampNs());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What the sequencer delivers besides the live frame: published in slots of their own.
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     */
    @Override
    public void onTopicEvent(final TopicState topic, final Verdict verdict, final byte[] frame, final int offset,
        final int length)
    {
        final BatchEvent event = claim(BatchEvent.NOTICE, topic.topic());
        try
        {
            if (frame != null && verdict.kind() != Verdict.NOTICE)
            {
                event.ensureCapacity(length);
                System.arraycopy(frame, offset, event.data, 0, length);
                decode(event, length);
            }
            apply(event, verdict);
        }
        finally
        {
            publishClaimed();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onSnapshot(final TopicState topic, final long sessionEpoch, final long lastSequence,
        final long quoteSequence, final byte[] entry, final int quoteOffset)
    {
        final BatchEvent event = claim(BatchEvent.SNAPSHOT, topic.topic());
        try
        {
            event.ensureCapacity(entry.length);
            System.arraycopy(entry, 0, event.data, 0, entry.length);
            event.sessionEpoch = sessionEpoch;
            event.lastSequence = lastSequence;
            event.quoteSequence = quoteOffset < 0 ? 0 : quoteSequence;
            event.quoteOffset = quoteOffset;
        }
        finally
        {
            publishClaimed();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onSessionEnd(final long sessionEpoch, final long sendTimestampNs)
    {
        final BatchEvent event = claim(BatchEvent.SESSION_END, null);
        try
        {
            event.sessionEpoch = sessionEpoch;
            event.sendTimestampNs = sendTimestampNs;
        }
        finally
        {
            publishClaimed();
        }
    }

    private void publishEvent(final int kind)
    {
        claim(kind, null);
        publishClaimed();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The ring.
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Claims the next slot, reset to a kind: the one way into the ring. The caller publishes it with
     * {@link #publishClaimed()} in a finally block. One slot at a time: claiming while holding one could wait
     * forever for a listener that is itself waiting for the held slot.
     */
    private BatchEvent claim(final int kind, final Topic topic)
    {
        if (claimed != NOT_CLAIMED)
        {
            throw new IllegalStateException("a ring slot is already claimed");
        }
        long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            counters.onRingFull();
            sequence = ring.next();
        }
        claimed = sequence;
        final BatchEvent event = ring.get(sequence);
        event.reset(kind, topic);
        return event;
    }

    private void publishClaimed()
    {
        final long sequence = claimed;
        claimed = NOT_CLAIMED;
        ring.publish(sequence);
    }

    /**
     * Validates the frame in the slot and reads its header into the slot's fields.
     */
    private FrameKind decode(final BatchEvent event, final int length)
    {
        final FrameKind kind = frameReader.read(event.buffer, 0, length);
        switch (kind)
        {
            case BATCH:
            {
                final BatchHeaderDecoder header = frameReader.batchHeader();
                event.sessionEpoch = header.sessionEpoch();
                event.firstSequence = header.firstSequence();
                event.updateCount = header.updateCount();
                event.updatesOffset = frameReader.updatesOffset();
                event.sendTimestampNs = header.sendTimestampNs();
                break;
            }
            case HEARTBEAT:
            {
                final HeartbeatDecoder heartbeat = frameReader.heartbeat();
                event.sessionEpoch = heartbeat.sessionEpoch();
                event.lastSequence = heartbeat.lastSequence();
                event.endOfTopic = heartbeat.flags().endOfSession();
                event.sendTimestampNs = heartbeat.sendTimestampNs();
                break;
            }
            case SESSION_STATUS:
                counters.onDecodeError(DecodeError.UNEXPECTED_MESSAGE);
                break;
            default:
                counters.onDecodeError(frameReader.error());
                break;
        }
        return kind;
    }

    /**
     * Puts the sequencer's verdict into the slot: what the listener gets of it.
     */
    private static void apply(final BatchEvent event, final Verdict verdict)
    {
        switch (verdict.kind())
        {
            case Verdict.BATCH:
                event.kind = BatchEvent.BATCH;
                break;
            case Verdict.HEARTBEAT:
                event.kind = BatchEvent.HEARTBEAT;
                break;
            case Verdict.NOTICE:
                event.kind = BatchEvent.NOTICE;
                break;
            default:
                event.kind = BatchEvent.NONE;
                break;
        }
        event.delivery = verdict.origin();
        event.skip = verdict.skip();
        event.endOfTopic = verdict.endOfTopic();
        if (verdict.hasGap())
        {
            event.gap(verdict.gapFrom(), verdict.gapTo(), verdict.gapUnrecoverable());
        }
        if (verdict.lostEpoch() != 0)
        {
            event.sessionLost(verdict.lostEpoch(), verdict.lostSequence());
        }
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
}
