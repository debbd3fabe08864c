package dev.feedhandler.common.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A topic's (or a symbol's) bytes as a hash key, compared by content and hashed so that symbols that differ in a few
 * characters spread over the whole table. A reused instance wraps received bytes for a lookup without allocation
 * ({@link #wrap}); a stored key wraps bytes it owns ({@link #copyOf}, or an array no one changes).
 * <p>
 * Agrona's {@code UnsafeBuffer}, the key before, hashes eight bytes at a time and folds each long in half, so
 * 8-byte symbols that differ only in their digits ({@code SYM12345}; option symbols likewise) fell into a few hundred
 * of a {@code HashMap}'s buckets: with 20,000 instruments every lookup walked a tree of about 80. This key's hash is
 * FNV-1a over every byte, finished with MurmurHash3's 32-bit mix.
 */
public final class TopicKey
{
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private int hash;

    /**
     * A key that owns a copy of the bytes.
     *
     * @param bytes  the bytes.
     * @param offset where they start.
     * @param length how many.
     * @return a new key.
     */
    public static TopicKey copyOf(final DirectBuffer bytes, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        bytes.getBytes(offset, copy);
        return new TopicKey().wrap(copy, 0, length);
    }

    /**
     * Points this key at bytes (not copied: they must not change while the key is in use) and hashes them.
     *
     * @param bytes  the bytes.
     * @param offset where they start.
     * @param length how many.
     * @return this.
     */
    public TopicKey wrap(final byte[] bytes, final int offset, final int length)
    {
        view.wrap(bytes, offset, length);
        hash = hash(view);
        return this;
    }

    /**
     * Points this key at bytes of a buffer (not copied: they must not change while the key is in use) and hashes
     * them.
     *
     * @param bytes  the buffer.
     * @param offset where they start.
     * @param length how many.
     * @return this.
     */
    public TopicKey wrap(final DirectBuffer bytes, final int offset, final int length)
    {
        view.wrap(bytes, offset, length);
        hash = hash(view);
        return this;
    }

    /**
     * The bytes' hash: FNV-1a, 32 bits, then MurmurHash3's finalizer so that every input bit reaches the low bits a
     * hash table indexes with.
     *
     * @param bytes the bytes, all of the buffer.
     * @return the hash.
     */
    public static int hash(final DirectBuffer bytes)
    {
        int h = 0x811C9DC5;
        for (int i = 0, length = bytes.capacity(); i < length; i++)
        {
            h = (h ^ (bytes.getByte(i) & 0xFF)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /**
     * The key's bytes, valid while the key wraps them.
     *
     * @return a view of them.
     */
    public DirectBuffer bytes()
    {
        return view;
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof TopicKey))
        {
            return false;
        }
        final TopicKey that = (TopicKey)other;
        return hash == that.hash && view.equals(that.view);
    }

    @Override
    public String toString()
    {
        return view.getStringWithoutLengthAscii(0, view.capacity());
    }
}
