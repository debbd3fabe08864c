package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.UpdateCursor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every frame sent, decoded enough for assertions, with the test's time when it was sent. It can be told to
 * refuse the next sends ({@link Publication#BACK_PRESSURED}) or to be closed.
 */
final class RecordingPublication implements Publication
{
    record Sent(String topic, FrameKind kind, long firstSequence, int updates, int length, long lastSequence,
        boolean end, long firstSourceNs, long sentAtNs)
    {
    }

    final List<Sent> sent = new ArrayList<>();
    int offers;
    long nowNs;
    private int refusals;
    private boolean closed;
    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();

    /**
     * Refuses the next sends.
     *
     * @param count how many.
     */
    void refuse(final int count)
    {
        refusals = count;
    }

    /**
     * Answers {@link Publication#CLOSED} from now on.
     */
    void close()
    {
        closed = true;
    }

    @Override
    public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        offers++;
        if (closed)
        {
            return CLOSED;
        }
        if (refusals > 0)
        {
            refusals--;
            return BACK_PRESSURED;
        }
        final byte[] copy = new byte[length];
        payload.getBytes(offset, copy);
        final UnsafeBuffer buffer = new UnsafeBuffer(copy);
        final FrameKind kind = reader.read(buffer, 0, length);
        final String name = new String(topic, StandardCharsets.US_ASCII);
        switch (kind)
        {
            case BATCH:
                final int count = reader.batchHeader().updateCount();
                cursor.wrap(buffer, reader.updatesOffset(), count);
                final long firstSourceNs = cursor.next() == UpdateCursor.QUOTE ?
                    cursor.quote().sourceTimestampNs() : cursor.trade().sourceTimestampNs();
                sent.add(new Sent(name, kind, reader.batchHeader().firstSequence(), count, length, 0, false,
                    firstSourceNs, nowNs));
                break;
            case HEARTBEAT:
                sent.add(new Sent(name, kind, 0, 0, length, reader.heartbeat().lastSequence(),
                    reader.heartbeat().flags().endOfSession(), 0, nowNs));
                break;
            default:
                sent.add(new Sent(name, kind, 0, 0, length, 0, false, 0, nowNs));
        }
        return SENT;
    }

    List<Sent> batches()
    {
        return sent.stream().filter(s -> s.kind() == FrameKind.BATCH).toList();
    }
}
