package dev.feedhandler.subscriber.sequence;

import org.agrona.DirectBuffer;

/**
 * A 64-bit hash of an update's bytes (FNV-1a over 8-byte words, then the tail's bytes), to tell whether two lines'
 * copies of an update are the same. Allocation-free.
 */
final class UpdateHash
{
    private UpdateHash()
    {
    }

    /**
     * Hashes bytes.
     *
     * @param buffer where they are.
     * @param offset the first.
     * @param length how many.
     * @return the hash.
     */
    static long of(final DirectBuffer buffer, final int offset, final int length)
    {
        long hash = 0xcbf29ce484222325L;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            hash = (hash ^ buffer.getLong(offset + i)) * 0x100000001b3L;
            hash ^= hash >>> 29;
        }
        for (; i < length; i++)
        {
            hash = (hash ^ buffer.getByte(offset + i)) * 0x100000001b3L;
        }
        return hash;
    }
}
