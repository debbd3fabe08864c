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
    /** Late spells it waited on the same socket since its last reply ({@link StreamPatience}). */
    int waits;
    /** Since when the service has owed it an answer (asked, no reply since), or {@link #NOT_OWED}. */
    long owedSinceNs = NOT_OWED;

    /** {@link #owedSinceNs} while nothing is owed. */
    static final long NOT_OWED = Long.MIN_VALUE;

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

    /**
     * The service now owes it an answer, if it did not already.
     *
     * @param nowNs the time.
     */
    void owe(final long nowNs)
    {
        if (owedSinceNs == NOT_OWED)
        {
            owedSinceNs = nowNs;
        }
    }

    /**
     * The service answered it: nothing is owed until it is asked again.
     */
    void answered()
    {
        owedSinceNs = NOT_OWED;
        attempts = 0;
        waits = 0;
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
