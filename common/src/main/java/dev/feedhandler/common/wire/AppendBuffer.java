package dev.feedhandler.common.wire;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * A buffer for the {@link BatchWriter} of a publishing thread: the SBE encoders write through its puts, which skip
 * Agrona's check of each index because the writer checks the whole record's range once before encoding it
 * ({@link BatchWriter#appendQuote}, {@link BatchWriter#appendTrade}, {@link BatchWriter#finish}). A quote is nine
 * puts, so nine checks became one: 20-22 to 16-18 ns per update in {@code BatcherBenchmark.onQuote} (as with Agrona's
 * global {@code agrona.disable.bounds.checks}, which would also drop the checks of every decoder of network input).
 * Only the puts the encoders use are unchecked; everything else is {@link UnsafeBuffer}'s.
 */
public final class AppendBuffer extends UnsafeBuffer
{
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /**
     * Wraps an array.
     *
     * @param array the bytes.
     */
    public AppendBuffer(final byte[] array)
    {
        super(array);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putLong(final int index, final long value, final ByteOrder byteOrder)
    {
        UnsafeApi.putLong(byteArray(), addressOffset() + index,
            (byteOrder == ByteOrder.LITTLE_ENDIAN) == NATIVE_LITTLE_ENDIAN ? value : Long.reverseBytes(value));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putInt(final int index, final int value, final ByteOrder byteOrder)
    {
        UnsafeApi.putInt(byteArray(), addressOffset() + index,
            (byteOrder == ByteOrder.LITTLE_ENDIAN) == NATIVE_LITTLE_ENDIAN ? value : Integer.reverseBytes(value));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putShort(final int index, final short value, final ByteOrder byteOrder)
    {
        UnsafeApi.putShort(byteArray(), addressOffset() + index,
            (byteOrder == ByteOrder.LITTLE_ENDIAN) == NATIVE_LITTLE_ENDIAN ? value : Short.reverseBytes(value));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void putByte(final int index, final byte value)
    {
        UnsafeApi.putByte(byteArray(), addressOffset() + index, value);
    }
}
