package dev.feedhandler.publisher.recovery;

/**
 * One catch-up stream: a client's {@code CatchUpRequest} for a topic's batches of a session from a sequence number
 * on, and how far it got: the next sequence to send, the pages the client can still take, where the journal read
 * stopped. Recovery thread only.
 */
final class CatchUpStream
{
    final Peer client;
    final long requestId;
    final byte[] topic;
    final long epoch;
    final long to;
    long next;
    int credit;
    long journalIndex = Long.MIN_VALUE;
    long lastActiveNs;
    long lastSentNs;

    CatchUpStream(final Peer client, final long requestId, final byte[] topic, final long epoch, final long from,
        final long to, final int credit, final long nowNs)
    {
        this.client = client;
        this.requestId = requestId;
        this.topic = topic;
        this.epoch = epoch;
        this.next = from;
        this.to = to;
        this.credit = credit;
        this.lastActiveNs = nowNs;
        this.lastSentNs = nowNs;
    }
}
