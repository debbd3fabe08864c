package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.ConflatedDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.sequence.SequencerListener;
import dev.feedhandler.subscriber.sequence.TopicState;
import dev.feedhandler.subscriber.sequence.Verdict;

/**
 * Puts what the listener gets into the {@link EventHandoff}: the receiver's live frames, and everything the
 * {@link dev.feedhandler.subscriber.sequence.TopicSequencer} delivers besides (held and recovered frames, notices,
 * snapshots, session ends, stale and live). One slot at a time, through one claim with its publish in a finally
 * block; each delivered frame is decoded from its own slot. Receiver thread only; allocation-free.
 */
final class ListenerProxy implements SequencerListener
{
    private final EventHandoff handoff;
    private final SubscriberCounters counters;
    private final FrameReader frameReader = new FrameReader();
    private boolean claimed;

    ListenerProxy(final EventHandoff handoff, final SubscriberCounters counters)
    {
        this.handoff = handoff;
        this.counters = counters;
    }

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

    void publishEvent(final int kind)
    {
        claim(kind, null);
        publishClaimed();
    }

    /**
     * Claims the next slot, reset to a kind: the one way to the listener. The caller publishes it with
     * {@link #publishClaimed()} in a finally block. One slot at a time: claiming while holding one could wait
     * forever for a listener that is itself waiting for the held slot.
     */
    BatchEvent claim(final int kind, final Topic topic)
    {
        if (claimed)
        {
            throw new IllegalStateException("a slot is already claimed");
        }
        claimed = true;
        final BatchEvent event = handoff.claim();
        event.reset(kind, topic);
        return event;
    }

    void publishClaimed()
    {
        claimed = false;
        handoff.publish();
    }

    /**
     * Validates the frame in the slot and reads its header into the slot's fields.
     */
    FrameKind decode(final BatchEvent event, final int length)
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
            case CONFLATED:
            {
                final ConflatedDecoder conflated = frameReader.conflated();
                event.sessionEpoch = conflated.sessionEpoch();
                event.firstSequence = conflated.fromSequence();
                event.lastSequence = conflated.toSequence();
                event.quoteSequence = conflated.quoteSequence();
                event.quotes = conflated.quotes();
                event.trades = conflated.trades();
                event.quoteOffset = frameReader.conflatedQuoteOffset();
                event.sendTimestampNs = conflated.sendTimestampNs();
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
    static void apply(final BatchEvent event, final Verdict verdict)
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
            case Verdict.CONFLATED:
                event.kind = BatchEvent.CONFLATED;
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
}
