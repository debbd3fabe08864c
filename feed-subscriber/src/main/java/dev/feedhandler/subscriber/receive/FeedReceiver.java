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
import org.zeromq.ZMQ;
import zmq.Msg;

import java.util.List;

/**
 * The receiver: reads {@code [topic][payload]} messages from the SUB socket, copies each payload once into a ring
 * slot, validates it completely, checks each topic's sequence numbers, and publishes the slot to the listener's
 * thread. Malformed messages are counted by kind and skipped; nothing stops the loop. Allocation-free per message
 * (JeroMQ itself allocates each received frame). Receiver thread only.
 */
public final class FeedReceiver
{
    /** Receive timeout of the blocking mode: how often the loop checks whether it should stop. */
    public static final int RECEIVE_TIMEOUT_MS = 100;

    private static final int DRAIN_LIMIT = 256;
    private static final int MAX_CONTROL_BYTES = 4096;

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
     * Receives what is there: waits for the first message (up to the socket's receive timeout, or not at all with
     * {@code block} false), then drains up to a limit without waiting.
     *
     * @param block whether to wait for the first message.
     * @return messages handled.
     */
    public int doWork(final boolean block)
    {
        Msg first = socket.recvMsg(block ? 0 : ZMQ.DONTWAIT);
        if (first == null)
        {
            return 0;
        }
        int count = 0;
        do
        {
            onMessage(first);
            count++;
        }
        while (count < DRAIN_LIMIT && (first = socket.recvMsg(ZMQ.DONTWAIT)) != null);
        return count;
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
            final FrameKind kind = frameReader.read(event.buffer, 0, length);
            switch (kind)
            {
                case BATCH:
                    onBatch(state, event, length);
                    break;
                case HEARTBEAT:
                    onHeartbeat(state, event);
                    break;
                case SESSION_STATUS:
                    counters.onDecodeError(DecodeError.UNEXPECTED_MESSAGE);
                    break;
                default:
                    counters.onDecodeError(frameReader.error());
                    break;
            }
        }
        finally
        {
            ring.publish(sequence);
        }
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

    private void onBatch(final TopicState state, final BatchEvent event, final int length)
    {
        final BatchHeaderDecoder header = frameReader.batchHeader();
        final int count = header.updateCount();
        if (count == 0)
        {
            return;
        }
        final int verdict = sequences.onBatch(state, header.sessionEpoch(), header.firstSequence(), count);
        countEpoch(verdict);
        if (verdict == SequenceTracker.STALE_EPOCH)
        {
            return;
        }
        counters.onBatchReceived(count, length);
        counters.onTopicUpdates(state.topic.id(), count);
        if (verdict == SequenceTracker.DUPLICATE)
        {
            counters.onDuplicates(count);
            return;
        }
        if (sequences.hasGap())
        {
            event.gap(sequences.gapFrom(), sequences.gapTo());
            counters.onGap(sequences.gapTo() - sequences.gapFrom() + 1);
        }
        if (sequences.skip() > 0)
        {
            event.skip = sequences.skip();
            counters.onDuplicates(event.skip);
        }
        event.kind = BatchEvent.BATCH;
        event.sessionEpoch = header.sessionEpoch();
        event.firstSequence = header.firstSequence();
        event.updateCount = count;
        event.updatesOffset = frameReader.updatesOffset();
        event.sendTimestampNs = header.sendTimestampNs();
    }

    private void onHeartbeat(final TopicState state, final BatchEvent event)
    {
        counters.onHeartbeat();
        final HeartbeatDecoder heartbeat = frameReader.heartbeat();
        final boolean end = heartbeat.flags().endOfSession();
        final int verdict = sequences.onHeartbeat(state, heartbeat.sessionEpoch(), heartbeat.lastSequence(), end);
        countEpoch(verdict);
        if (verdict != SequenceTracker.DELIVER)
        {
            return;
        }
        if (sequences.hasGap())
        {
            // Tail loss: the publisher sent updates this subscriber never saw.
            event.gap(sequences.gapFrom(), sequences.gapTo());
            counters.onGap(sequences.gapTo() - sequences.gapFrom() + 1);
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
        if (controlReader.isSessionEnded() && controlReader.sessionEpoch() != lastEndedEpoch)
        {
            lastEndedEpoch = controlReader.sessionEpoch();
            final long sequence = claim();
            final BatchEvent event = ring.get(sequence);
            event.reset(BatchEvent.SESSION_END, null);
            event.sessionEpoch = controlReader.sessionEpoch();
            event.sendTimestampNs = controlReader.sendTimestampNs();
            ring.publish(sequence);
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
