package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the recovery service knows of one topic of the current session: its last sequence number, whether its
 * session ended (its end-of-session heartbeat), its last quote (the Last Value Cache of the ZeroMQ guide) and where
 * its batches are in the window: the positions of its records,
 * oldest first, in a circular array that {@link RecoveryWindow} keeps (a lookup is a binary search, not a walk
 * through every newer batch). Recovery thread only.
 */
final class TopicSlot
{
    final int id;
    final byte[] topic;
    final UnsafeBuffer quote = new UnsafeBuffer(new byte[WireFormat.QUOTE_LENGTH]);
    long lastSequence;
    boolean ended;
    long quoteSequence;
    long[] positions = new long[64];
    int positionsHead;
    int positionsSize;

    TopicSlot(final int id, final byte[] topic)
    {
        this.id = id;
        this.topic = topic;
    }
}
