package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.codec.SnapshotEntryDecoder;
import dev.feedhandler.common.wire.DecodeError;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.recovery.RecoveryLink;
import dev.feedhandler.subscriber.sequence.RecoveryRequests;
import dev.feedhandler.subscriber.sequence.TopicSequencer;
import dev.feedhandler.subscriber.sequence.TopicState;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.ZMQ;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiver's end of the link to the recovery client (an inproc PAIR socket, {@link RecoveryLink}): sends the
 * sequencer's requests, and turns what comes back (pages of recovered frames, snapshot entries, finished requests)
 * into calls of the {@link TopicSequencer}. I/O only; the rules are the sequencer's. Receiver thread only; it
 * allocates (link messages), but only while something is being recovered.
 */
final class RecoveryLinkAdapter implements RecoveryRequests
{
    private final ZMQ.Socket link;
    private final List<byte[]> prefixes = new ArrayList<>();
    private final SubscriberCounters counters;
    private final TopicTable topics;
    private final RecoveryLink header = new RecoveryLink();
    private final RecoveryReader reader = new RecoveryReader();
    private final UnsafeBuffer entryView = new UnsafeBuffer(0, 0);
    private boolean nearHead;

    RecoveryLinkAdapter(final ZMQ.Socket link, final List<String> prefixes, final SubscriberCounters counters,
        final TopicTable topics)
    {
        this.link = link;
        this.counters = counters;
        this.topics = topics;
        for (final String prefix : prefixes)
        {
            this.prefixes.add(prefix.getBytes(StandardCharsets.US_ASCII));
        }
    }

    ZMQ.Socket link()
    {
        return link;
    }

    /**
     * Whether a stream page smaller than {@link LivePause#NEAR_HEAD_PAGE_BYTES} came since it was last set to false:
     * some stream is near its topic's newest update.
     */
    boolean nearHead()
    {
        return nearHead;
    }

    void nearHead(final boolean near)
    {
        nearHead = near;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void fillGap(final long task, final TopicState topic, final long epoch, final long from, final long to)
    {
        link.send(RecoveryLink.header(RecoveryLink.GAP_FILL, task, epoch, from, to), ZMQ.SNDMORE);
        link.send(topic.bytes(), 0);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void catchUp(final long task, final TopicState topic, final long epoch, final long from)
    {
        link.send(RecoveryLink.header(RecoveryLink.CATCH_UP, task, epoch, from, 0), ZMQ.SNDMORE);
        link.send(topic.bytes(), 0);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void snapshot(final long task)
    {
        link.send(RecoveryLink.header(RecoveryLink.SNAPSHOT, task, 0, 0, 0), prefixes.isEmpty() ? 0 : ZMQ.SNDMORE);
        for (int i = 0; i < prefixes.size(); i++)
        {
            link.send(prefixes.get(i), i < prefixes.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void cancel(final long task)
    {
        link.send(RecoveryLink.header(RecoveryLink.CANCEL, task, 0, 0, 0), 0);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void release()
    {
        link.send(RecoveryLink.header(RecoveryLink.RELEASE, 0, 0, 0, 0), 0);
    }

    /**
     * Handles what the client sent: recovered frames, snapshot entries, finished requests. A page is acknowledged
     * once handled, so the client may send the next one.
     *
     * @param sequencer where it goes.
     * @return messages handled.
     */
    int drain(final TopicSequencer sequencer)
    {
        int count = 0;
        byte[] first;
        while ((first = link.recv(ZMQ.DONTWAIT)) != null)
        {
            count++;
            final List<byte[]> frames = RecoveryLink.rest(link);
            if (header.wrap(first) == null)
            {
                continue;
            }
            final long task = header.task();
            switch (header.type())
            {
                case RecoveryLink.PAGE:
                    for (int i = 1; i < frames.size(); i++)
                    {
                        final byte[] frame = frames.get(i);
                        sequencer.onRecoveredFrame(task, frames.get(0), frame, 0, frame.length);
                    }
                    ack(task);
                    break;
                case RecoveryLink.STREAM_PAGE:
                    if (frames.size() == 2)
                    {
                        onStreamPage(sequencer, task, frames.get(0), frames.get(1));
                    }
                    link.send(RecoveryLink.header(RecoveryLink.STREAM_ACK, task, 0, 0, 0), 0);
                    break;
                case RecoveryLink.UNAVAILABLE:
                    sequencer.onUnavailable(task, header.from(), header.to());
                    break;
                case RecoveryLink.ENTRIES:
                    onEntries(sequencer, task, frames);
                    ack(task);
                    break;
                case RecoveryLink.DONE:
                    sequencer.onRequestDone(task, header.epoch());
                    break;
                default:
                    break;
            }
        }
        return count;
    }

    /**
     * The batches of a catch-up page, each behind its int32 length, handed on where they lie (no copy). A length
     * that runs past the page is a decode error and ends the page.
     */
    private void onStreamPage(final TopicSequencer sequencer, final long task, final byte[] topic, final byte[] page)
    {
        nearHead |= page.length < LivePause.NEAR_HEAD_PAGE_BYTES;
        entryView.wrap(page);
        int offset = 0;
        while (offset < page.length)
        {
            final int length = page.length - offset < WireFormat.PAGE_LENGTH_PREFIX ? -1 :
                entryView.getInt(offset, ByteOrder.LITTLE_ENDIAN);
            offset += WireFormat.PAGE_LENGTH_PREFIX;
            if (length <= 0 || length > page.length - offset)
            {
                counters.onDecodeError(DecodeError.TRUNCATED);
                return;
            }
            sequencer.onRecoveredFrame(task, topic, page, offset, length);
            offset += length;
        }
    }

    private void onEntries(final TopicSequencer sequencer, final long task, final List<byte[]> frames)
    {
        for (int i = 0; i + 1 < frames.size(); i += 2)
        {
            final TopicState state = topics.find(frames.get(i));
            if (state == null)
            {
                continue;
            }
            final byte[] entry = frames.get(i + 1);
            entryView.wrap(entry);
            if (reader.read(entryView, 0, entry.length) != SnapshotEntryDecoder.TEMPLATE_ID)
            {
                counters.onDecodeError(reader.error());
                continue;
            }
            final SnapshotEntryDecoder decoder = reader.snapshotEntry();
            sequencer.onSnapshotEntry(task, state, decoder.sessionEpoch(), decoder.lastSequence(),
                decoder.quoteSequence(), entry, reader.quoteOffset());
        }
    }

    private void ack(final long task)
    {
        link.send(RecoveryLink.header(RecoveryLink.ACK, task, 0, 0, 0), 0);
    }
}
