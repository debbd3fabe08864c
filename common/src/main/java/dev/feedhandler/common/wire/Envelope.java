package dev.feedhandler.common.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One ZeroMQ message that carries the frames of several topics ({@code publish --envelope}): JeroMQ's cost is per
 * message, whatever it carries, and a feed of many instruments has more topics with an update due than a message
 * budget can serve one message each. The publisher's socket packs the frames that one duty cycle sends into one
 * envelope; the subscriber's receiver unpacks it before its sequencer, so each frame inside is exactly the
 * {@code [topic][payload]} pair it would have been on its own (the journal, the recovery service and the
 * shared-memory log never see an envelope).
 * <pre>
 *   frame 0: the topic "\0env" (reserved: control topics start with a zero byte)
 *   frame 1: | version uint8 (1) | reserved uint8 (0) | count uint16 |
 *            then count entries: | topic length uint8 | topic bytes | frame length int32 | frame bytes |
 * </pre>
 * Little-endian, as the SBE frames inside. A subscriber subscribes to the envelope topic as well as its topic
 * prefixes, and filters the topics inside against its prefixes itself: ZeroMQ filters a message by its first frame.
 * Allocation-free. A writer or reader instance belongs to one thread.
 */
public final class Envelope
{
    /** The envelope's topic (frame 0). */
    public static final String TOPIC = "\0env";

    /** The envelope's topic as bytes. */
    public static final byte[] TOPIC_BYTES = TOPIC.getBytes(StandardCharsets.US_ASCII);

    /** The layout version written and read. */
    public static final byte VERSION = 1;

    /** Bytes before the first entry. */
    public static final int HEADER_LENGTH = 4;

    /** Bytes of an entry besides its topic and frame: the two lengths. */
    public static final int ENTRY_OVERHEAD = 1 + Integer.BYTES;

    /** Most entries in one envelope (the count is a uint16). */
    public static final int MAX_ENTRIES = 0xFFFF;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int COUNT_OFFSET = 2;

    private Envelope()
    {
    }

    /**
     * Whether a topic frame is the envelope's.
     *
     * @param topic  the topic frame's bytes.
     * @param length its length.
     * @return true for {@link #TOPIC}.
     */
    public static boolean isEnvelopeTopic(final byte[] topic, final int length)
    {
        if (length != TOPIC_BYTES.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (topic[i] != TOPIC_BYTES[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Bytes an entry takes.
     *
     * @param topicLength its topic's length.
     * @param frameLength its frame's length.
     * @return the entry's length.
     */
    public static int entryLength(final int topicLength, final int frameLength)
    {
        return ENTRY_OVERHEAD + topicLength + frameLength;
    }

    /**
     * Builds an envelope in a buffer of its own, entry by entry.
     */
    public static final class Writer
    {
        private final MutableDirectBuffer buffer;
        private int length = HEADER_LENGTH;
        private int count;

        /**
         * A writer over a buffer whose capacity is the largest envelope.
         *
         * @param buffer where the envelope is built.
         */
        public Writer(final MutableDirectBuffer buffer)
        {
            this.buffer = buffer;
        }

        /**
         * Whether an entry fits in what is left.
         *
         * @param topicLength the entry's topic length.
         * @param frameLength the entry's frame length.
         * @return true if {@link #append} would take it.
         */
        public boolean fits(final int topicLength, final int frameLength)
        {
            return count < MAX_ENTRIES && length + entryLength(topicLength, frameLength) <= buffer.capacity();
        }

        /**
         * Appends an entry; call {@link #fits} first.
         *
         * @param topic   the topic frame.
         * @param payload holds the frame.
         * @param offset  where it starts.
         * @param frameLength its length.
         */
        public void append(final byte[] topic, final DirectBuffer payload, final int offset, final int frameLength)
        {
            int at = length;
            buffer.putByte(at, (byte)topic.length);
            at++;
            buffer.putBytes(at, topic);
            at += topic.length;
            buffer.putInt(at, frameLength, ORDER);
            at += Integer.BYTES;
            buffer.putBytes(at, payload, offset, frameLength);
            length = at + frameLength;
            count++;
        }

        /**
         * Finishes the header; the envelope is the buffer's first {@link #length()} bytes.
         *
         * @return the envelope's length.
         */
        public int seal()
        {
            buffer.putByte(0, VERSION);
            buffer.putByte(1, (byte)0);
            buffer.putShort(COUNT_OFFSET, (short)count, ORDER);
            return length;
        }

        /**
         * Starts the next envelope.
         */
        public void reset()
        {
            length = HEADER_LENGTH;
            count = 0;
        }

        /**
         * The buffer the envelope is built in.
         *
         * @return the buffer.
         */
        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        /**
         * Bytes written so far, header included.
         *
         * @return the length.
         */
        public int length()
        {
            return length;
        }

        /**
         * Entries written so far.
         *
         * @return the count.
         */
        public int count()
        {
            return count;
        }

        /**
         * Where the frame of the only entry starts (for sending a lone frame as a message of its own).
         *
         * @return its offset in {@link #buffer()}.
         */
        public int firstFrameOffset()
        {
            return HEADER_LENGTH + 1 + buffer.getByte(HEADER_LENGTH) + Integer.BYTES;
        }

        /**
         * The length of the frame of the first entry.
         *
         * @return its length.
         */
        public int firstFrameLength()
        {
            return length - firstFrameOffset();
        }
    }

    /**
     * Reads the entries of an envelope in order, checking every length against the envelope's.
     */
    public static final class Reader
    {
        private DirectBuffer buffer;
        private int end;
        private int position;
        private int remaining;
        private int topicOffset;
        private int topicLength;
        private int frameOffset;
        private int frameLength;
        private DecodeError error;

        /**
         * Starts reading an envelope.
         *
         * @param envelope holds it.
         * @param offset   where it starts.
         * @param length   its length.
         * @return false (and {@link #error()}) if its header is malformed.
         */
        public boolean wrap(final DirectBuffer envelope, final int offset, final int length)
        {
            buffer = envelope;
            end = offset + length;
            error = null;
            remaining = 0;
            if (length < HEADER_LENGTH)
            {
                error = DecodeError.TRUNCATED;
                return false;
            }
            if (envelope.getByte(offset) != VERSION)
            {
                error = DecodeError.UNSUPPORTED_VERSION;
                return false;
            }
            remaining = envelope.getShort(offset + COUNT_OFFSET, ORDER) & 0xFFFF;
            position = offset + HEADER_LENGTH;
            return true;
        }

        /**
         * Moves to the next entry.
         *
         * @return true if there is one and it is whole; false at the end, or (with {@link #error()}) when the rest
         *         is malformed: entries read before stay good, the rest is lost.
         */
        public boolean next()
        {
            if (remaining == 0)
            {
                if (error == null && position != end)
                {
                    error = DecodeError.TRAILING_BYTES;
                }
                return false;
            }
            remaining--;
            if (position + ENTRY_OVERHEAD > end)
            {
                return fail();
            }
            topicLength = buffer.getByte(position) & 0xFF;
            topicOffset = position + 1;
            final int lengthAt = topicOffset + topicLength;
            if (lengthAt + Integer.BYTES > end)
            {
                return fail();
            }
            frameLength = buffer.getInt(lengthAt, ORDER);
            frameOffset = lengthAt + Integer.BYTES;
            if (frameLength < 0 || frameLength > end - frameOffset)
            {
                return fail();
            }
            position = frameOffset + frameLength;
            return true;
        }

        private boolean fail()
        {
            error = DecodeError.TRUNCATED;
            remaining = 0;
            position = end;
            return false;
        }

        /**
         * What was wrong with the envelope, or null if nothing (yet).
         *
         * @return the error.
         */
        public DecodeError error()
        {
            return error;
        }

        /**
         * Where the current entry's topic starts.
         *
         * @return the offset.
         */
        public int topicOffset()
        {
            return topicOffset;
        }

        /**
         * The current entry's topic length.
         *
         * @return the length.
         */
        public int topicLength()
        {
            return topicLength;
        }

        /**
         * Where the current entry's frame starts.
         *
         * @return the offset.
         */
        public int frameOffset()
        {
            return frameOffset;
        }

        /**
         * The current entry's frame length.
         *
         * @return the length.
         */
        public int frameLength()
        {
            return frameLength;
        }
    }
}
