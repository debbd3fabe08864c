package dev.feedhandler.subscriber;

import dev.feedhandler.common.codec.CatchUpCreditDecoder;
import dev.feedhandler.common.codec.CatchUpRequestDecoder;
import dev.feedhandler.common.codec.GapFillRequestDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.codec.SnapshotRequestDecoder;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recovery service for tests whose answers a test scripts: a real ROUTER socket on its own thread that hands each
 * request to a {@link Script} and sends what it returns (or nothing, to make the client time out).
 */
final class ScriptedRecoveryService implements AutoCloseable
{
    /** A request as received: a gap fill, a snapshot, or a catch-up stream's opening. */
    record Request(String topic, boolean snapshot, long epoch, long from, long to, long cursor, boolean catchUp)
    {
        Request(final String topic, final boolean snapshot, final long epoch, final long from, final long to,
            final long cursor)
        {
            this(topic, snapshot, epoch, from, to, cursor, false);
        }
    }

    /** A reply: status, range, next, frames; a null status sends the frames alone (not a response). */
    record Reply(RecoveryStatus status, long epoch, long from, long to, long next, List<byte[]> frames)
    {
    }

    /** Decides the reply to a request; null sends nothing. */
    @FunctionalInterface
    interface Script
    {
        Reply answer(Request request);
    }

    private final ZContext context = new ZContext();
    private final ZMQ.Socket socket;
    private final String endpoint;
    private final Thread thread;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> credits = new CopyOnWriteArrayList<>();
    private volatile Script script;
    private volatile boolean running = true;

    ScriptedRecoveryService(final Script script)
    {
        this.script = script;
        socket = context.createSocket(SocketType.ROUTER);
        socket.setLinger(0);
        socket.setReceiveTimeOut(20);
        socket.bind("tcp://127.0.0.1:*");
        endpoint = socket.getLastEndpoint();
        thread = new Thread(this::run, "scripted-recovery");
        thread.setDaemon(true);
        thread.start();
    }

    String endpoint()
    {
        return endpoint;
    }

    List<Request> requests()
    {
        return new ArrayList<>(requests);
    }

    /**
     * The catch-up credits received, as "requestId +pages" or "requestId cancel".
     */
    List<String> credits()
    {
        return new ArrayList<>(credits);
    }

    void script(final Script newScript)
    {
        script = newScript;
    }

    private void run()
    {
        final RecoveryReader reader = new RecoveryReader();
        final RecoveryWriter writer = new RecoveryWriter();
        while (running)
        {
            final byte[] identity = socket.recv(0);
            if (identity == null)
            {
                continue;
            }
            final List<byte[]> frames = new ArrayList<>();
            while (socket.hasReceiveMore())
            {
                frames.add(socket.recv(0));
            }
            final byte[] request = frames.get(1);
            final int template = reader.read(new UnsafeBuffer(request), 0, request.length);
            final String topic = new String(frames.get(0), StandardCharsets.US_ASCII);
            final Request parsed;
            final long requestId;
            if (template == GapFillRequestDecoder.TEMPLATE_ID)
            {
                final GapFillRequestDecoder gap = reader.gapFillRequest();
                requestId = gap.requestId();
                parsed = new Request(topic, false, gap.sessionEpoch(), gap.fromSequence(), gap.toSequence(), 0);
            }
            else if (template == SnapshotRequestDecoder.TEMPLATE_ID)
            {
                requestId = reader.snapshotRequest().requestId();
                parsed = new Request(topic, true, 0, 0, 0, reader.snapshotRequest().cursor());
            }
            else if (template == CatchUpRequestDecoder.TEMPLATE_ID)
            {
                final CatchUpRequestDecoder catchUp = reader.catchUpRequest();
                requestId = catchUp.requestId();
                parsed = new Request(topic, false, catchUp.sessionEpoch(), catchUp.fromSequence(),
                    catchUp.toSequence(), 0, true);
            }
            else if (template == CatchUpCreditDecoder.TEMPLATE_ID)
            {
                final CatchUpCreditDecoder credit = reader.catchUpCredit();
                credits.add(credit.requestId() + (credit.flags().cancel() ? " cancel" : " +" + credit.credit()));
                continue;
            }
            else
            {
                throw new AssertionError("not a request: " + reader.error());
            }
            requests.add(parsed);
            final Reply reply = script.answer(parsed);
            if (reply == null)
            {
                continue;
            }
            if (reply.status() == null)
            {
                // A broken service: its frames as they are, without a response.
                socket.send(identity, ZMQ.SNDMORE);
                socket.send(frames.get(0), ZMQ.SNDMORE);
                for (int i = 0; i < reply.frames().size(); i++)
                {
                    socket.send(reply.frames().get(i), i < reply.frames().size() - 1 ? ZMQ.SNDMORE : 0);
                }
                continue;
            }
            final UnsafeBuffer response = new UnsafeBuffer(new byte[WireFormat.RECOVERY_RESPONSE_LENGTH]);
            writer.response(response, 0, requestId, reply.status(), reply.epoch(), reply.from(), reply.to(),
                reply.next(), reply.frames().size());
            socket.send(identity, ZMQ.SNDMORE);
            socket.send(frames.get(0), ZMQ.SNDMORE);
            socket.send(response.byteArray(), reply.frames().isEmpty() ? 0 : ZMQ.SNDMORE);
            for (int i = 0; i < reply.frames().size(); i++)
            {
                socket.send(reply.frames().get(i), i < reply.frames().size() - 1 ? ZMQ.SNDMORE : 0);
            }
        }
    }

    /**
     * A catch-up page frame: the batches, each behind its int32 length.
     */
    static byte[] page(final byte[]... batches)
    {
        int length = 0;
        for (final byte[] batch : batches)
        {
            length += WireFormat.PAGE_LENGTH_PREFIX + batch.length;
        }
        final UnsafeBuffer page = new UnsafeBuffer(new byte[length]);
        int offset = 0;
        for (final byte[] batch : batches)
        {
            page.putInt(offset, batch.length, java.nio.ByteOrder.LITTLE_ENDIAN);
            page.putBytes(offset + WireFormat.PAGE_LENGTH_PREFIX, batch);
            offset += WireFormat.PAGE_LENGTH_PREFIX + batch.length;
        }
        return page.byteArray();
    }

    /**
     * A snapshot entry frame.
     */
    static byte[] entry(final long epoch, final long lastSequence, final long quoteSequence, final DirectBuffer quote,
        final int quoteOffset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.SNAPSHOT_ENTRY_LENGTH +
            WireFormat.QUOTE_LENGTH]);
        final int length = new RecoveryWriter().snapshotEntry(buffer, 0, epoch, lastSequence, quoteSequence, quote,
            quoteOffset);
        return java.util.Arrays.copyOf(buffer.byteArray(), length);
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
