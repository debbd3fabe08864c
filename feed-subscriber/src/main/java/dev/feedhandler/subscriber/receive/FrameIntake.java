package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.sequence.LineArbiter;
import dev.feedhandler.subscriber.sequence.TopicSequencer;
import dev.feedhandler.subscriber.sequence.TopicState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import zmq.Msg;

/**
 * What the receiver does with one {@code [topic][payload]} frame pair, wherever it came from (a ZeroMQ socket or
 * shared memory): validates the topic, copies a data payload once into a ring slot (a control payload into a buffer
 * of its own), taps it, decodes it, puts the {@link TopicSequencer}'s verdict in the slot and publishes it; a
 * malformed frame is counted by kind and skipped. Allocation-free per frame. Receiver thread only.
 */
final class FrameIntake
{
    private static final int MAX_CONTROL_BYTES = 4096;

    private final ListenerProxy proxy;
    private final SubscriberCounters counters;
    private final TopicTable topicTable;
    private final NanoClock clock;
    private final int maxFrameBytes;
    private final int maxTopics;
    private final FrameReader controlReader = new FrameReader();
    private final byte[] topicBytes = new byte[WireFormat.MAX_TOPIC_LENGTH];
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[MAX_CONTROL_BYTES]);
    private TopicSequencer sequencer;
    private FrameTap tap;
    private LineArbiter arbiter;

    FrameIntake(
        final ListenerProxy proxy,
        final SubscriberCounters counters,
        final TopicTable topicTable,
        final NanoClock clock,
        final int maxFrameBytes,
        final int maxTopics)
    {
        this.proxy = proxy;
        this.counters = counters;
        this.topicTable = topicTable;
        this.clock = clock;
        this.maxFrameBytes = maxFrameBytes;
        this.maxTopics = maxTopics;
    }

    void sequencer(final TopicSequencer topicSequencer)
    {
        this.sequencer = topicSequencer;
    }

    void tap(final FrameTap frameTap)
    {
        this.tap = frameTap;
    }

    void arbiter(final LineArbiter lineArbiter)
    {
        this.arbiter = lineArbiter;
    }

    /**
     * Handles one two-frame message (package-private for tests that feed frames without a socket).
     */
    void onFrames(final Msg topicFrame, final Msg payload, final int line)
    {
        final int topicLength = topicFrame.size();
        if (!validTopicLength(topicLength))
        {
            return;
        }
        topicFrame.getBytes(0, topicBytes, 0, topicLength);
        final int length = payload.size();
        if (topicBytes[0] == WireFormat.RESERVED_TOPIC_BYTE)
        {
            if (length <= controlBuffer.capacity())
            {
                payload.getBytes(0, controlBuffer.byteArray(), 0, length);
            }
            onControl(topicLength, length);
            return;
        }
        final TopicState state = accept(topicLength, length);
        if (state == null)
        {
            return;
        }
        final BatchEvent event = proxy.claim(BatchEvent.NONE, state.topic());
        try
        {
            event.ensureCapacity(length);
            payload.getBytes(0, event.data, 0, length);
            process(state, event, topicLength, length, line);
        }
        finally
        {
            proxy.publishClaimed();
        }
        sequencer.afterFrame();
    }

    /**
     * Handles one frame that did not come alone in a ZeroMQ message (shared memory, an envelope, a test): the same
     * checks, rules and delivery as a socket's message.
     *
     * @param topic         holds frame 0.
     * @param topicOffset   where it starts.
     * @param topicLength   its length.
     * @param payload       holds frame 1.
     * @param payloadOffset where it starts.
     * @param length        its length.
     * @param line          the line it came on (0 but for arbitrated lines' envelopes).
     */
    void onFrame(final DirectBuffer topic, final int topicOffset, final int topicLength,
        final DirectBuffer payload, final int payloadOffset, final int length, final int line)
    {
        if (!validTopicLength(topicLength))
        {
            return;
        }
        topic.getBytes(topicOffset, topicBytes, 0, topicLength);
        if (topicBytes[0] == WireFormat.RESERVED_TOPIC_BYTE)
        {
            if (length <= controlBuffer.capacity())
            {
                payload.getBytes(payloadOffset, controlBuffer, 0, length);
            }
            onControl(topicLength, length);
            return;
        }
        final TopicState state = accept(topicLength, length);
        if (state == null)
        {
            return;
        }
        final BatchEvent event = proxy.claim(BatchEvent.NONE, state.topic());
        try
        {
            event.ensureCapacity(length);
            payload.getBytes(payloadOffset, event.data, 0, length);
            process(state, event, topicLength, length, line);
        }
        finally
        {
            proxy.publishClaimed();
        }
        sequencer.afterFrame();
    }

    private boolean validTopicLength(final int topicLength)
    {
        if (topicLength == 0 || topicLength > WireFormat.MAX_TOPIC_LENGTH)
        {
            counters.onDecodeError(DecodeError.BAD_TOPIC);
            return false;
        }
        return true;
    }

    /**
     * The state of the data topic in {@link #topicBytes}, or null (counted) if the frame is not accepted.
     */
    private TopicState accept(final int topicLength, final int length)
    {
        if (!WireFormat.isPrintableTopic(topicBytes, topicLength))
        {
            counters.onDecodeError(DecodeError.BAD_TOPIC);
            return null;
        }
        if (length > maxFrameBytes)
        {
            counters.onDecodeError(DecodeError.OVERSIZED);
            return null;
        }
        final TopicState state = topicTable.lookup(topicBytes, topicLength);
        if (state.topic().id() >= maxTopics)
        {
            counters.onDecodeError(DecodeError.BAD_TOPIC);
            return null;
        }
        return state;
    }

    /**
     * A data frame copied into its slot: taps it, decodes it, and puts the sequencer's verdict in the slot.
     */
    private void process(
        final TopicState state, final BatchEvent event, final int topicLength, final int length, final int line)
    {
        if (tap != null)
        {
            tap.onFrame(topicBytes, topicLength, event.buffer, 0, length);
        }
        final FrameKind kind = proxy.decode(event, length);
        if (kind == FrameKind.BATCH)
        {
            if (arbiter != null)
            {
                arbiter.onBatch(line, state, event.sessionEpoch, event.firstSequence, event.updateCount,
                    event.buffer, 0, event.updatesOffset, length, clock.nanoTime());
            }
            ListenerProxy.apply(event, sequencer.onBatch(state, event.sessionEpoch, event.firstSequence,
                event.updateCount, event.buffer, 0, length));
        }
        else if (kind == FrameKind.HEARTBEAT)
        {
            if (arbiter != null)
            {
                arbiter.onHeartbeat(line, state, event.sessionEpoch, event.lastSequence);
            }
            ListenerProxy.apply(event, sequencer.onHeartbeat(state, event.sessionEpoch, event.lastSequence,
                event.endOfTopic, event.buffer, 0, length));
        }
        else if (kind == FrameKind.CONFLATED)
        {
            ListenerProxy.apply(event, sequencer.onConflated(state, event.sessionEpoch, event.firstSequence,
                event.lastSequence, event.quoteSequence, event.buffer, 0, length));
        }
    }

    /**
     * A control frame, copied into {@link #controlBuffer} when it fits.
     */
    private void onControl(final int topicFrameLength, final int length)
    {
        if (length > controlBuffer.capacity())
        {
            counters.onDecodeError(DecodeError.OVERSIZED);
            return;
        }
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
}
