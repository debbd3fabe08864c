package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bare DEALER (or REQ) client of the recovery service for tests: sends any frames and reads whole replies.
 */
final class RecoveryClientStub implements AutoCloseable
{
    /** A reply, decoded. */
    record Reply(byte[] topic, RecoveryStatus status, long requestId, long epoch, long from, long to, long next,
        List<byte[]> frames)
    {
    }

    private final ZMQ.Socket socket;
    private final RecoveryWriter writer = new RecoveryWriter();
    private final RecoveryReader reader = new RecoveryReader();

    RecoveryClientStub(final ZContext context, final String endpoint, final SocketType type)
    {
        socket = context.createSocket(type);
        socket.setLinger(0);
        socket.setReceiveTimeOut(5_000);
        socket.connect(endpoint);
    }

    RecoveryClientStub(final ZContext context, final String endpoint)
    {
        this(context, endpoint, SocketType.DEALER);
    }

    ZMQ.Socket socket()
    {
        return socket;
    }

    Reply gapFill(final String topic, final long requestId, final long epoch, final long from, final long to)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = writer.gapFillRequest(buffer, 0, requestId, epoch, from, to);
        send(topic.getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(buffer.byteArray(), length));
        return receive();
    }

    Reply snapshot(final String prefix, final long requestId, final long cursor)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int length = writer.snapshotRequest(buffer, 0, requestId, cursor);
        send(prefix.getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(buffer.byteArray(), length));
        return receive();
    }

    /**
     * Streams a topic with a catch-up request (credit 2, one more for each page taken) to the stream's end, and
     * returns its batches as the pages packed them.
     */
    List<byte[]> catchUp(final String topic, final long requestId, final long epoch, final long from, final long to)
    {
        final byte[] name = topic.getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        int length = writer.catchUpRequest(buffer, 0, requestId, epoch, from, to, 2);
        send(name, Arrays.copyOf(buffer.byteArray(), length));
        final List<byte[]> batches = new ArrayList<>();
        while (true)
        {
            final Reply page = receive();
            if (page.requestId() != requestId)
            {
                throw new AssertionError("a page of request " + page.requestId());
            }
            for (final byte[] frame : page.frames())
            {
                final UnsafeBuffer packed = new UnsafeBuffer(frame);
                int offset = 0;
                while (offset < frame.length)
                {
                    final int batchLength = packed.getInt(offset, java.nio.ByteOrder.LITTLE_ENDIAN);
                    offset += WireFormat.PAGE_LENGTH_PREFIX;
                    batches.add(Arrays.copyOfRange(frame, offset, offset + batchLength));
                    offset += batchLength;
                }
            }
            if (page.status() == RecoveryStatus.OK)
            {
                return batches;
            }
            if (page.status() != RecoveryStatus.PARTIAL)
            {
                throw new AssertionError("stream ended with " + page.status());
            }
            if (!page.frames().isEmpty())
            {
                length = writer.catchUpCredit(buffer, 0, requestId, 1, false);
                send(name, Arrays.copyOf(buffer.byteArray(), length));
            }
        }
    }

    void send(final byte[]... frames)
    {
        for (int i = 0; i < frames.length; i++)
        {
            socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    Reply receive()
    {
        final List<byte[]> frames = new ArrayList<>();
        byte[] frame = socket.recv(0);
        if (frame == null)
        {
            throw new AssertionError("no reply within 5 s");
        }
        frames.add(frame);
        while (socket.hasReceiveMore())
        {
            frames.add(socket.recv(0));
        }
        return decode(frames);
    }

    private Reply decode(final List<byte[]> frames)
    {
        if (frames.size() < 2)
        {
            throw new AssertionError("a reply has at least two frames, this one " + frames.size());
        }
        final byte[] response = frames.get(1);
        final int template = reader.read(new UnsafeBuffer(response), 0, response.length);
        if (template != RecoveryResponseDecoder.TEMPLATE_ID && frames.size() > 2 && frames.get(0).length == 0)
        {
            // A request whose first frame was empty had a REQ envelope: the reply echoes the delimiter.
            return decode(frames.subList(1, frames.size()));
        }
        if (template != RecoveryResponseDecoder.TEMPLATE_ID)
        {
            throw new AssertionError("frame 1 of a reply is a RecoveryResponse: " + reader.error());
        }
        final RecoveryResponseDecoder decoder = reader.response();
        final List<byte[]> rest = new ArrayList<>(frames.subList(2, frames.size()));
        if (rest.size() != decoder.frameCount())
        {
            throw new AssertionError("frameCount " + decoder.frameCount() + " but " + rest.size() + " frames");
        }
        return new Reply(frames.get(0), decoder.status(), decoder.requestId(), decoder.sessionEpoch(),
            decoder.fromSequence(), decoder.toSequence(), decoder.nextSequence(), rest);
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
