package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link RecoveryResponder} with no socket: frames are handed over as the publisher would, requests go in as
 * bytes, and every reply is recorded decoded. The batches are quotes whose bid is their sequence number, so a page
 * is checked by its sequence numbers alone.
 */
final class ResponderHarness implements ReplySink
{
    static final long EPOCH = 7;
    static final Peer CLIENT = new Peer(new byte[] {0, 1, 2, 3, 4}, false);

    /** A reply, decoded; a catch-up page's frame is unpacked into its batches. */
    record Reply(Peer client, String topic, RecoveryStatus status, long requestId, long from, long to, long next,
        List<byte[]> frames)
    {
        /**
         * The sequence numbers of the batches in the frames.
         *
         * @return them, in order.
         */
        List<Long> sequences()
        {
            final List<Long> sequences = new ArrayList<>();
            for (final byte[] frame : frames)
            {
                sequences.addAll(sequencesOf(frame));
            }
            return sequences;
        }

        /**
         * The last sequence of the end-of-session heartbeat that ends the reply, if it does.
         *
         * @return its last sequence, or -1 without one.
         */
        long endOfSession()
        {
            long end = -1;
            for (final byte[] frame : frames)
            {
                end = Math.max(end, endOf(frame));
            }
            return end;
        }
    }

    final RecoveryCounters counters = new RecoveryCounters();
    final RecoveryHandoff handoff = new RecoveryHandoff(1 << 20);
    final RecoveryStore store;
    final RecoveryResponder responder;
    final List<Reply> replies = new ArrayList<>();
    /** What the sink answers: {@link ReplySink#SENT}, {@link ReplySink#FULL} or {@link ReplySink#GONE}. */
    int sinkResult = SENT;
    long nowNs = 1_000_000_000L;

    private final RecoveryWriter writer = new RecoveryWriter();
    private final RecoveryReader reader = new RecoveryReader();

    ResponderHarness(final int windowBytes, final int maxReplyUpdates)
    {
        this(windowBytes, maxReplyUpdates, null);
    }

    /** A harness whose service reads the journal in {@code journal} (null for none) behind its window. */
    ResponderHarness(final int windowBytes, final int maxReplyUpdates, final Path journal)
    {
        final RecoveryConfiguration configuration = new RecoveryConfiguration(null, windowBytes, maxReplyUpdates,
            2 * 1024 * 1024, RecoveryConfiguration.DEFAULT_RING_BYTES, Duration.ZERO, journal, DropSpec.NONE);
        store = new RecoveryStore(EPOCH, windowBytes, RecoveryArchives.open(journal, null), counters);
        responder = new RecoveryResponder(configuration, store, counters);
    }

    ResponderHarness()
    {
        this(RecoveryConfiguration.DEFAULT_WINDOW_BYTES, 1000);
    }

    /** A batch of {@code count} quotes from {@code first} on, handed over and drained. */
    byte[] publish(final String topic, final long first, final int count)
    {
        final byte[] frame = batch(first, count);
        handoff.offer(ascii(topic), new UnsafeBuffer(frame), 0, frame.length);
        handoff.readAll(store);
        return frame;
    }

    void heartbeat(final String topic, final long last, final boolean end)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = new ControlWriter().heartbeat(buffer, 0, EPOCH, last, 0, end);
        handoff.offer(ascii(topic), buffer, 0, length);
        handoff.readAll(store);
    }

    static byte[] batch(final long first, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 + count * 64]);
        final BatchWriter batchWriter = new BatchWriter().wrap(buffer, 0);
        for (int i = 0; i < count; i++)
        {
            batchWriter.appendQuote(1, first + i, 1, EPOCH, 1, 0);
        }
        final int length = batchWriter.finish(EPOCH, first, 0, false);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    void gapFill(final String topic, final long requestId, final long epoch, final long from, final long to)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = writer.gapFillRequest(buffer, 0, requestId, epoch, from, to);
        request(CLIENT, topic, Arrays.copyOf(buffer.byteArray(), length));
    }

    void snapshot(final String prefix, final long requestId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = writer.snapshotRequest(buffer, 0, requestId, 0);
        request(CLIENT, prefix, Arrays.copyOf(buffer.byteArray(), length));
    }

    void catchUp(final Peer client, final String topic, final long requestId, final long epoch, final long from,
        final long to, final int credit)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = writer.catchUpRequest(buffer, 0, requestId, epoch, from, to, credit);
        request(client, topic, Arrays.copyOf(buffer.byteArray(), length));
    }

    void credit(final Peer client, final String topic, final long requestId, final int credit, final boolean cancel)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = writer.catchUpCredit(buffer, 0, requestId, credit, cancel);
        request(client, topic, Arrays.copyOf(buffer.byteArray(), length));
    }

    void request(final Peer client, final String topic, final byte[] request)
    {
        send(client, responder.respond(client, ascii(topic), request, nowNs));
    }

    void badEnvelope(final Peer client)
    {
        send(client, responder.malformedEnvelope());
    }

    /** As the service sends a request's reply (none when a stream opened or got credit), counted. */
    private void send(final Peer client, final RecoveryReply reply)
    {
        if (reply == null)
        {
            return;
        }
        counters.increment(reply(client, reply.topic, reply.response, reply.frames) == SENT ?
            RecoveryCounters.REPLIES : RecoveryCounters.REPLIES_DROPPED);
    }

    /** Serves the streams until a turn sends nothing. */
    int pollAll()
    {
        int total = 0;
        int sent;
        while ((sent = responder.pollStreams(nowNs, this, 16)) > 0)
        {
            total += sent;
        }
        return total;
    }

    List<Reply> take()
    {
        final List<Reply> taken = new ArrayList<>(replies);
        replies.clear();
        return taken;
    }

    @Override
    public int reply(final Peer client, final byte[] topic, final byte[] response, final List<byte[]> frames)
    {
        if (sinkResult != SENT)
        {
            return sinkResult;
        }
        if (reader.read(new UnsafeBuffer(response), 0, response.length) != RecoveryResponseDecoder.TEMPLATE_ID)
        {
            throw new AssertionError("not a response: " + reader.error());
        }
        final RecoveryResponseDecoder decoder = reader.response();
        if (decoder.frameCount() != frames.size())
        {
            throw new AssertionError("frameCount " + decoder.frameCount() + ", frames " + frames.size());
        }
        replies.add(new Reply(client, new String(topic, StandardCharsets.US_ASCII), decoder.status(),
            decoder.requestId(), decoder.fromSequence(), decoder.toSequence(), decoder.nextSequence(),
            List.copyOf(frames)));
        return SENT;
    }

    /**
     * The sequence numbers in a frame: a batch as sent, or a catch-up page of length-prefixed batches.
     */
    private static List<Long> sequencesOf(final byte[] frame)
    {
        final FrameReader frameReader = new FrameReader();
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final List<Long> sequences = new ArrayList<>();
        final FrameKind whole = frameReader.read(buffer, 0, frame.length);
        if (whole == FrameKind.BATCH)
        {
            addSequences(frameReader, sequences);
            return sequences;
        }
        if (whole == FrameKind.HEARTBEAT)
        {
            return sequences;
        }
        int offset = 0;
        while (offset < frame.length)
        {
            final int length = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
            offset += WireFormat.PAGE_LENGTH_PREFIX;
            final FrameKind kind = frameReader.read(buffer, offset, length);
            if (kind == FrameKind.HEARTBEAT && offset + length == frame.length)
            {
                break;
            }
            if (kind != FrameKind.BATCH)
            {
                throw new AssertionError("a page holds a frame that is not a batch at " + offset + ": " + kind);
            }
            addSequences(frameReader, sequences);
            offset += length;
        }
        return sequences;
    }

    /**
     * The last sequence of the end-of-session heartbeat a frame is (a gap fill's) or ends with (a catch-up page's),
     * or -1.
     */
    private static long endOf(final byte[] frame)
    {
        final FrameReader frameReader = new FrameReader();
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final FrameKind whole = frameReader.read(buffer, 0, frame.length);
        if (whole == FrameKind.HEARTBEAT && frameReader.heartbeat().flags().endOfSession())
        {
            return frameReader.heartbeat().lastSequence();
        }
        if (whole == FrameKind.BATCH)
        {
            return -1;
        }
        int offset = 0;
        while (offset < frame.length)
        {
            final int length = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
            offset += WireFormat.PAGE_LENGTH_PREFIX;
            if (frameReader.read(buffer, offset, length) == FrameKind.HEARTBEAT &&
                frameReader.heartbeat().flags().endOfSession())
            {
                return frameReader.heartbeat().lastSequence();
            }
            offset += length;
        }
        return -1;
    }

    private static void addSequences(final FrameReader frameReader, final List<Long> sequences)
    {
        final long first = frameReader.batchHeader().firstSequence();
        for (int i = 0; i < frameReader.batchHeader().updateCount(); i++)
        {
            sequences.add(first + i);
        }
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static List<Long> range(final long from, final long to)
    {
        final List<Long> list = new ArrayList<>();
        for (long sequence = from; sequence <= to; sequence++)
        {
            list.add(sequence);
        }
        return list;
    }
}
