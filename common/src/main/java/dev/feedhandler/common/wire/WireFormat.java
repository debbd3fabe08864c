package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.BatchHeaderEncoder;
import dev.feedhandler.common.codec.CatchUpCreditEncoder;
import dev.feedhandler.common.codec.CatchUpRequestEncoder;
import dev.feedhandler.common.codec.ConflatedEncoder;
import dev.feedhandler.common.codec.GapFillRequestEncoder;
import dev.feedhandler.common.codec.HeartbeatEncoder;
import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.Price9Encoder;
import dev.feedhandler.common.codec.QuoteEncoder;
import dev.feedhandler.common.codec.RecoveryResponseEncoder;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.codec.SessionStatusEncoder;
import dev.feedhandler.common.codec.SnapshotEntryEncoder;
import dev.feedhandler.common.codec.SnapshotRequestEncoder;
import dev.feedhandler.common.codec.TradeEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Constants of the wire format: sizes of every message, the price exponent and the reserved topics.
 * <p>
 * A ZeroMQ message of the feed is two frames, {@code [topic][payload]}. The payload is a sequence of SBE
 * messages, each preceded by the 8-byte message header. See {@code docs/wire-format.md}.
 * <pre>
 *   frame 1 of a data batch:
 *   +--------+-------------+--------+-------+--------+-------+-----
 *   | header | BatchHeader | header | Quote | header | Trade | ...   (updateCount updates)
 *   +--------+-------------+--------+-------+--------+-------+-----
 *      8          32          8       48       8       40
 * </pre>
 */
public final class WireFormat
{
    /** SBE schema id: a frame whose header carries another id is not ours. */
    public static final int SCHEMA_ID = MessageHeaderEncoder.SCHEMA_ID;

    /** SBE schema version written by this code. Newer versions may append fields; older are rejected. */
    public static final int SCHEMA_VERSION = MessageHeaderEncoder.SCHEMA_VERSION;

    /** Length of the SBE message header that precedes every message. */
    public static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;

    /** Length of an encoded batch header, message header included. */
    public static final int BATCH_HEADER_LENGTH = HEADER_LENGTH + BatchHeaderEncoder.BLOCK_LENGTH;

    /** Length of an encoded quote, message header included. */
    public static final int QUOTE_LENGTH = HEADER_LENGTH + QuoteEncoder.BLOCK_LENGTH;

    /** Length of an encoded trade, message header included. */
    public static final int TRADE_LENGTH = HEADER_LENGTH + TradeEncoder.BLOCK_LENGTH;

    /** Length of an encoded heartbeat frame. */
    public static final int HEARTBEAT_LENGTH = HEADER_LENGTH + HeartbeatEncoder.BLOCK_LENGTH;

    /** Length of an encoded session status frame. */
    public static final int SESSION_STATUS_LENGTH = HEADER_LENGTH + SessionStatusEncoder.BLOCK_LENGTH;

    /** Length of an encoded gap fill request frame (recovery service). */
    public static final int GAP_FILL_REQUEST_LENGTH = HEADER_LENGTH + GapFillRequestEncoder.BLOCK_LENGTH;

    /** Length of an encoded snapshot request frame (recovery service). */
    public static final int SNAPSHOT_REQUEST_LENGTH = HEADER_LENGTH + SnapshotRequestEncoder.BLOCK_LENGTH;

    /** Length of an encoded recovery response frame (recovery service). */
    public static final int RECOVERY_RESPONSE_LENGTH = HEADER_LENGTH + RecoveryResponseEncoder.BLOCK_LENGTH;

    /** Length of an encoded snapshot entry, without the quote that may follow it in its frame. */
    public static final int SNAPSHOT_ENTRY_LENGTH = HEADER_LENGTH + SnapshotEntryEncoder.BLOCK_LENGTH;

    /** Length of an encoded catch-up request frame (recovery service). */
    public static final int CATCH_UP_REQUEST_LENGTH = HEADER_LENGTH + CatchUpRequestEncoder.BLOCK_LENGTH;

    /** Length of an encoded catch-up credit frame (recovery service). */
    public static final int CATCH_UP_CREDIT_LENGTH = HEADER_LENGTH + CatchUpCreditEncoder.BLOCK_LENGTH;

    /** Length of the int32 that precedes each batch in the page frame of a catch-up stream. */
    public static final int PAGE_LENGTH_PREFIX = 4;
    /** Length of an encoded Conflated message (conflated stream), without the quote that may follow it. */
    public static final int CONFLATED_LENGTH = HEADER_LENGTH + ConflatedEncoder.BLOCK_LENGTH;

    /** Largest request frame the recovery service reads; a larger one is answered TOO_LARGE. */
    public static final int MAX_RECOVERY_REQUEST_LENGTH = 1024;

    /** A gap fill's {@code toSequence} that asks for whatever the session has after {@code fromSequence}. */
    public static final long SEQUENCE_TO_END = Long.MAX_VALUE;

    /** The largest update an encoder writes; a batch buffer must hold at least a header and one of these. */
    public static final int MAX_UPDATE_LENGTH = Math.max(QUOTE_LENGTH, TRADE_LENGTH);

    /** Decimal exponent of every price on the wire: price = mantissa * 10^PRICE_EXPONENT. */
    public static final int PRICE_EXPONENT = -9;

    /** 10^-PRICE_EXPONENT: the mantissa of a price of exactly 1. */
    public static final long PRICE_SCALE = 1_000_000_000L;

    /** Mantissa that means "no price" (for example a one-sided quote). */
    public static final long NULL_PRICE = Price9Encoder.mantissaNullValue();

    /** Most updates one batch can carry (the count is a uint16). */
    public static final int MAX_UPDATES_PER_BATCH = 0xFFFF;

    /** Longest topic (frame 0) in bytes. */
    public static final int MAX_TOPIC_LENGTH = 64;

    /** Topics that start with this byte are reserved for control messages; symbols never do. */
    public static final byte RESERVED_TOPIC_BYTE = 0;

    /** Topic of the publisher's control messages (SessionStatus). */
    public static final String CONTROL_TOPIC = "\0ctl";

    /** The control topic as bytes. */
    public static final byte[] CONTROL_TOPIC_BYTES = CONTROL_TOPIC.getBytes(StandardCharsets.US_ASCII);

    /**
     * Prefix of the subscription a subscriber sends last, after its topic subscriptions, to announce itself to
     * the publisher: {@code "\0hello:" + id}. Nothing is ever published on it.
     */
    public static final String HELLO_TOPIC_PREFIX = "\0hello:";

    private WireFormat()
    {
    }

    /**
     * Writes zeros over padding or reserved bytes: buffers are reused, and stale contents must not go on the wire.
     *
     * @param buffer to write into.
     * @param from   first byte to clear.
     * @param to     index after the last byte to clear.
     */
    static void zero(final MutableDirectBuffer buffer, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            buffer.putByte(i, (byte)0);
        }
    }

    /**
     * Whether a topic is a valid instrument symbol for frame 0: 1 to {@link #MAX_TOPIC_LENGTH} printable ASCII
     * characters, no space.
     *
     * @param symbol the candidate.
     * @return true if it can be published as a topic.
     */
    public static boolean isValidSymbol(final CharSequence symbol)
    {
        final int length = symbol.length();
        if (length == 0 || length > MAX_TOPIC_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = symbol.charAt(i);
            if (c <= ' ' || c > '~')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the first {@code length} bytes of a topic frame are printable ASCII without spaces, as every data
     * topic is (allocation-free, for the receive path).
     *
     * @param bytes  the topic frame.
     * @param length its length.
     * @return true if printable.
     */
    public static boolean isPrintableTopic(final byte[] bytes, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = bytes[i];
            if (b <= ' ' || b > '~')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a frame is a data batch of a feed's topic: not a control topic's frame, not a heartbeat or status
     * (the first message's template is the batch header). Allocation-free.
     *
     * @param topic   frame 0.
     * @param payload holds frame 1.
     * @param offset  where frame 1 starts.
     * @param length  frame 1 length.
     * @return true for a batch of updates.
     */
    public static boolean isDataBatch(final byte[] topic, final DirectBuffer payload, final int offset,
        final int length)
    {
        return length >= BATCH_HEADER_LENGTH && topic.length > 0 && topic[0] != RESERVED_TOPIC_BYTE &&
            (payload.getShort(offset + MessageHeaderEncoder.templateIdEncodingOffset(), ByteOrder.LITTLE_ENDIAN) &
            0xFFFF) == BatchHeaderEncoder.TEMPLATE_ID;
    }

    /**
     * Whether a frame is part of a session's end: a topic's end-of-session heartbeat or the ended session status.
     * Allocation-free.
     *
     * @param payload holds frame 1.
     * @param offset  where frame 1 starts.
     * @param length  frame 1 length.
     * @return true for an end-of-session heartbeat or an ended status.
     */
    public static boolean isEndOfSession(final DirectBuffer payload, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        final int template = payload.getShort(offset + MessageHeaderEncoder.templateIdEncodingOffset(),
            ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int heartbeatFlags = HEADER_LENGTH + HeartbeatEncoder.flagsEncodingOffset();
        if (template == HeartbeatEncoder.TEMPLATE_ID && length > heartbeatFlags)
        {
            return (payload.getByte(offset + heartbeatFlags) & 1) != 0;
        }
        final int statusState = HEADER_LENGTH + SessionStatusEncoder.stateEncodingOffset();
        return template == SessionStatusEncoder.TEMPLATE_ID && length > statusState &&
            payload.getByte(offset + statusState) == SessionState.ENDED.value();
    }
}
