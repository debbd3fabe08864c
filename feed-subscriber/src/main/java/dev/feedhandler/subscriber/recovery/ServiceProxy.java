package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.ZMQ;

import java.util.Arrays;

/**
 * Encodes the recovery client's requests and sends them on its current DEALER socket, {@code [topic or prefix]
 * [request]}. Recovery client's thread only; each request is an array of its own (the socket keeps it until sent).
 */
final class ServiceProxy
{
    private final RecoveryWriter writer = new RecoveryWriter();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.CATCH_UP_REQUEST_LENGTH]);
    private ZMQ.Socket dealer;

    /**
     * The socket to send on (a new one after each Lazy Pirate timeout).
     */
    void socket(final ZMQ.Socket socket)
    {
        this.dealer = socket;
    }

    void gapFill(final byte[] topic, final long requestId, final long epoch, final long from, final long to)
    {
        send(topic, writer.gapFillRequest(buffer, 0, requestId, epoch, from, to));
    }

    void snapshot(final byte[] prefix, final long requestId, final long cursor)
    {
        send(prefix, writer.snapshotRequest(buffer, 0, requestId, cursor));
    }

    void catchUp(final byte[] topic, final long requestId, final long epoch, final long from, final long to,
        final int credit)
    {
        send(topic, writer.catchUpRequest(buffer, 0, requestId, epoch, from, to, credit));
    }

    void credit(final byte[] topic, final long requestId, final int pages, final boolean cancel)
    {
        send(topic, writer.catchUpCredit(buffer, 0, requestId, pages, cancel));
    }

    private void send(final byte[] frame0, final int length)
    {
        dealer.send(frame0, ZMQ.SNDMORE);
        dealer.send(Arrays.copyOf(buffer.byteArray(), length), 0);
    }
}
