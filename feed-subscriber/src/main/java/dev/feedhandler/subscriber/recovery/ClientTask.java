package dev.feedhandler.subscriber.recovery;

import dev.feedhandler.common.wire.WireFormat;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One task the receiver gave the {@link RecoveryClient}: fill a gap, fetch a snapshot, or catch a topic up, and how
 * far it got. Recovery client's thread only.
 */
final class ClientTask
{
    static final int GAP_FILL = 1;
    static final int SNAPSHOT = 2;
    static final int CATCH_UP = 3;

    final long id;
    final int kind;
    final byte[] topic;
    final long epoch;
    final long to;
    final List<byte[]> prefixes;
    long next;
    int prefix;
    int attempts;
    long requestId;
    /** When the service must have answered, or 0 while nothing is owed (a stream without credit). */
    long deadlineNs;
    /** A stream: pages the service may still send. */
    int credit;
    /** A stream: pages passed to the receiver and not handled yet. */
    int unacked;
    /** A stream the service was too busy for: when to ask again. */
    long retryAtNs;
    /** A stream: late spells it waited on the same socket since its last reply ({@link StreamPatience}). */
    int waits;

    private ClientTask(final long id, final int kind, final byte[] topic, final long epoch, final long from,
        final long to, final List<byte[]> prefixes)
    {
        this.id = id;
        this.kind = kind;
        this.topic = topic;
        this.epoch = epoch;
        this.next = from;
        this.to = to;
        this.prefixes = prefixes;
    }

    static ClientTask gapFill(final long id, final byte[] topic, final long epoch, final long from, final long to)
    {
        return new ClientTask(id, GAP_FILL, topic, epoch, from, to, List.of());
    }

    static ClientTask snapshot(final long id, final List<byte[]> prefixes)
    {
        return new ClientTask(id, SNAPSHOT, null, 0, 0, 0, prefixes);
    }

    static ClientTask catchUp(final long id, final byte[] topic, final long epoch, final long from)
    {
        return new ClientTask(id, CATCH_UP, topic, epoch, from, WireFormat.SEQUENCE_TO_END, List.of());
    }

    @Override
    public String toString()
    {
        switch (kind)
        {
            case GAP_FILL:
                return "gap fill of " + new String(topic, StandardCharsets.US_ASCII) + " from " + next +
                    (to == WireFormat.SEQUENCE_TO_END ? " to the end of session " + epoch : " to " + to);
            case CATCH_UP:
                return "catch-up of " + new String(topic, StandardCharsets.US_ASCII) + " from " + next;
            default:
                return "snapshot";
        }
    }
}
