package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.SessionState;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Random;

/**
 * Valid frames (frame 1 payloads) as byte arrays, written by the production writers, and helpers to damage them.
 */
final class TestFrames
{
    /** Offset of blockLength in a message header. */
    static final int BLOCK_LENGTH = 0;
    /** Offset of templateId in a message header. */
    static final int TEMPLATE_ID = 2;
    /** Offset of schemaId in a message header. */
    static final int SCHEMA_ID = 4;
    /** Offset of version in a message header. */
    static final int VERSION = 6;
    /** Offset of updateCount in frame 1 of a batch. */
    static final int UPDATE_COUNT = WireFormat.HEADER_LENGTH + 24;

    private static final UnsafeBuffer BUFFER = new UnsafeBuffer(new byte[64 * 1024]);
    private static final BatchWriter BATCH_WRITER = new BatchWriter();
    private static final ControlWriter CONTROL_WRITER = new ControlWriter();
    private static final ConflatedWriter CONFLATED_WRITER = new ConflatedWriter();

    private TestFrames()
    {
    }

    /**
     * A batch of a quote, a trade and a quote: every kind of update header, and updates of both lengths.
     *
     * @return frame 1.
     */
    static synchronized byte[] quoteTradeQuote()
    {
        BATCH_WRITER.wrap(BUFFER, 0);
        BATCH_WRITER.appendQuote(7, 1_084_120_000L, 1_000_000, 1_084_150_000L, 2_000_000, 1_000_000_001L);
        BATCH_WRITER.appendTrade(7, AggressorSide.BUY, 1_084_150_000L, 500_000, 42, 1_000_000_002L);
        BATCH_WRITER.appendQuote(7, WireFormat.NULL_PRICE, 0, 1_084_160_000L, 1_000_000, 1_000_000_003L);
        return copy(BATCH_WRITER.finish(99, 1001, 1_000_000_010L, false));
    }

    /**
     * A batch of random updates.
     *
     * @param random source of values.
     * @param count  updates in the batch.
     * @return frame 1.
     */
    static synchronized byte[] randomBatch(final Random random, final int count)
    {
        BATCH_WRITER.wrap(BUFFER, 0);
        for (int i = 0; i < count; i++)
        {
            if (random.nextBoolean())
            {
                BATCH_WRITER.appendQuote(random.nextInt(), random.nextLong(), random.nextLong(), random.nextLong(),
                    random.nextLong(), random.nextLong());
            }
            else
            {
                BATCH_WRITER.appendTrade(random.nextInt(), AggressorSide.values()[random.nextInt(3)],
                    random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            }
        }
        return copy(BATCH_WRITER.finish(random.nextLong(), random.nextLong(), random.nextLong(), random.nextBoolean()));
    }

    /**
     * A heartbeat.
     *
     * @param endOfSession its flag.
     * @return frame 1.
     */
    static synchronized byte[] heartbeat(final boolean endOfSession)
    {
        return copy(CONTROL_WRITER.heartbeat(BUFFER, 0, 99, 1003, 1_000_000_020L, endOfSession));
    }

    /**
     * A session status.
     *
     * @param state its state.
     * @return frame 1.
     */
    static synchronized byte[] sessionStatus(final SessionState state)
    {
        return copy(CONTROL_WRITER.sessionStatus(BUFFER, 0, 99, 1_000_000_030L, 1003, 500, 10, state));
    }

    /**
     * Writes a little-endian uint16 into a frame.
     *
     * @param frame to change.
     * @param index where.
     * @param value what.
     * @return the frame.
     */
    /**
     * A conflated stream's message: updates 1001 to 1010 of a topic, 7 quotes (the newest, 1009, follows when
     * {@code withQuote}) and 3 trades; without a quote, 3 trades 1011 to 1013 alone.
     *
     * @param withQuote whether the message carries a quote.
     * @return frame 1.
     */
    static synchronized byte[] conflated(final boolean withQuote)
    {
        if (!withQuote)
        {
            return copy(CONFLATED_WRITER.tradesOnly(BUFFER, 0, 99, 1011, 1013, 1_000_000_020L, 3));
        }
        return copy(CONFLATED_WRITER.withQuote(BUFFER, 0, 99, 1001, 1010, 1_000_000_010L, 7, 3, 1009, 7,
            1_084_120_000L, 1_000_000, 1_084_150_000L, 2_000_000, 1_000_000_009L));
    }

    static byte[] putU16(final byte[] frame, final int index, final int value)
    {
        frame[index] = (byte)value;
        frame[index + 1] = (byte)(value >>> 8);
        return frame;
    }

    /**
     * Reads a little-endian uint16 from a frame.
     *
     * @param frame to read.
     * @param index where.
     * @return the value.
     */
    static int u16(final byte[] frame, final int index)
    {
        return (frame[index] & 0xFF) | (frame[index + 1] & 0xFF) << 8;
    }

    /**
     * Hex of a frame, for failure messages.
     *
     * @param frame the bytes.
     * @return lower-case hex, two digits a byte.
     */
    static String hex(final byte[] frame)
    {
        final StringBuilder out = new StringBuilder(frame.length * 2);
        for (final byte b : frame)
        {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }

    private static byte[] copy(final int length)
    {
        final byte[] frame = new byte[length];
        BUFFER.getBytes(0, frame);
        return frame;
    }
}
