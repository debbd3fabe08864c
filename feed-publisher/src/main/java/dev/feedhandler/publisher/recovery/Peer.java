package dev.feedhandler.publisher.recovery;

import java.util.Arrays;

/**
 * A client of the recovery service as the ROUTER socket knows it: its identity, and whether its requests come in a
 * REQ envelope (an empty delimiter frame, echoed in front of every reply). Equal by identity: a catch-up stream
 * belongs to the connection that asked for it.
 */
final class Peer
{
    private final byte[] identity;
    private final boolean delimiter;
    private final int hash;

    Peer(final byte[] identity, final boolean delimiter)
    {
        this.identity = identity;
        this.delimiter = delimiter;
        this.hash = Arrays.hashCode(identity);
    }

    byte[] identity()
    {
        return identity;
    }

    boolean delimiter()
    {
        return delimiter;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Peer && Arrays.equals(identity, ((Peer)other).identity);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }
}
