package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every frame sent, decoded enough for assertions.
 */
final class RecordingPublication implements Publication
{
    record Sent(String topic, FrameKind kind, long firstSequence, int updates, int length, long lastSequence,
        boolean end)
    {
    }

    final List<Sent> sent = new ArrayList<>();
    private final FrameReader reader = new FrameReader();

    @Override
    public void send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        payload.getBytes(offset, copy);
        final FrameKind kind = reader.read(new UnsafeBuffer(copy), 0, length);
        final String name = new String(topic, StandardCharsets.US_ASCII);
        switch (kind)
        {
            case BATCH:
                sent.add(new Sent(name, kind, reader.batchHeader().firstSequence(), reader.batchHeader().updateCount(),
                    length, 0, false));
                break;
            case HEARTBEAT:
                sent.add(new Sent(name, kind, 0, 0, length, reader.heartbeat().lastSequence(),
                    reader.heartbeat().flags().endOfSession()));
                break;
            default:
                sent.add(new Sent(name, kind, 0, 0, length, 0, false));
        }
    }

    List<Sent> batches()
    {
        return sent.stream().filter(s -> s.kind() == FrameKind.BATCH).toList();
    }
}
