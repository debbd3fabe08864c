package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.BatchHeaderEncoder;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The test hook {@code --drop-batches}: keeps the data batches a {@link DropSpec} chooses off the socket (and, with
 * {@code end}, the session's end), and sends everything else. It sits right in front of the socket, so the journal
 * and the recovery window still get the dropped batches: subscribers see a loss the recovery service can repair. A
 * batch offered again after back-pressure is counted and judged once. Publisher thread only.
 */
public final class DroppingPublication implements Publication
{
    private static final int FIRST_SEQUENCE_OFFSET =
        WireFormat.HEADER_LENGTH + BatchHeaderEncoder.firstSequenceEncodingOffset();
    private static final int UPDATE_COUNT_OFFSET =
        WireFormat.HEADER_LENGTH + BatchHeaderEncoder.updateCountEncodingOffset();

    private final Publication delegate;
    private final DropSpec spec;
    private long batches;
    private long dropped;
    private boolean retrying;

    /**
     * Decorates the socket's publication.
     *
     * @param delegate the socket.
     * @param spec     what to drop.
     */
    public DroppingPublication(final Publication delegate, final DropSpec spec)
    {
        this.delegate = delegate;
        this.spec = spec;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        if (spec.dropsEnd() && WireFormat.isEndOfSession(payload, offset, length))
        {
            return SENT;
        }
        if (!retrying && WireFormat.isDataBatch(topic, payload, offset, length))
        {
            batches++;
            final long first = payload.getLong(offset + FIRST_SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final int count = payload.getShort(offset + UPDATE_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (spec.drops(topic, first, count, batches))
            {
                dropped++;
                return SENT;
            }
        }
        final int result = delegate.send(topic, payload, offset, length);
        retrying = result == BACK_PRESSURED;
        return result;
    }

    /**
     * Batches kept off the socket so far.
     *
     * @return the count.
     */
    public long dropped()
    {
        return dropped;
    }
}
