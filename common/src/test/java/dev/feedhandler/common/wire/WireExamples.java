package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.price.Prices;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The worked examples of {@code docs/wire-format.md}: messages written by the production writers, and the text
 * blocks the page shows for them (hex dumps, field-by-field annotations, Python literals, the Python decoder's
 * output). Annotated values are read back from the bytes, never copied from the inputs. The page must contain
 * these blocks exactly; {@code WireFormatDocumentationTest} checks it, and {@link #main} prints them.
 */
final class WireExamples
{
    /** 2026-01-01T09:00:00Z: the example publisher session. */
    static final long SESSION_EPOCH = 1_767_258_000_000_000_000L;

    private static final int BYTES_PER_DUMP_LINE = 16;
    private static final int HEX_CHARS_PER_PYTHON_LINE = 64;
    private static final long SCALE = 1_000_000_000L;

    private WireExamples()
    {
    }

    /**
     * One example message: its two frames.
     *
     * @param name  how the page refers to it.
     * @param topic frame 0.
     * @param frame frame 1.
     */
    record Example(String name, byte[] topic, byte[] frame)
    {
    }

    /**
     * The examples of the page, by name: {@code batch}, {@code heartbeat}, {@code status}.
     *
     * @return the examples in page order.
     */
    static Map<String, Example> examples()
    {
        final Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("batch", new Example("batch", ascii("EURUSD"), batch()));
        examples.put("heartbeat", new Example("heartbeat", ascii("EURUSD"), heartbeat()));
        examples.put("status", new Example("status", WireFormat.CONTROL_TOPIC_BYTES, sessionStatus()));
        return examples;
    }

    /**
     * A batch of one quote and one trade of EURUSD (instrument 3), sequence numbers 1001 and 1002.
     *
     * @return frame 1.
     */
    static byte[] batch()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final BatchWriter writer = new BatchWriter().wrap(buffer, 0);
        writer.appendQuote(3, 1_084_120_000L, 1_000_000, 1_084_150_000L, 2_500_000, SESSION_EPOCH + 1_500_000_000L);
        writer.appendTrade(3, AggressorSide.BUY, 1_084_150_000L, 500_000, 7001, SESSION_EPOCH + 1_500_020_000L);
        final int length = writer.finish(SESSION_EPOCH, 1001, SESSION_EPOCH + 1_500_042_000L, false);
        return copy(buffer, length);
    }

    /**
     * The last heartbeat of EURUSD in the session: end of session, last sequence number 1002.
     *
     * @return frame 1.
     */
    static byte[] heartbeat()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = new ControlWriter().heartbeat(
            buffer, 0, SESSION_EPOCH, 1002, SESSION_EPOCH + 2_500_000_000L, true);
        return copy(buffer, length);
    }

    /**
     * The final session status on the control topic.
     *
     * @return frame 1.
     */
    static byte[] sessionStatus()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = new ControlWriter().sessionStatus(
            buffer, 0, SESSION_EPOCH, SESSION_EPOCH + 2_500_100_000L, 8517, 3120, 10, SessionState.ENDED);
        return copy(buffer, length);
    }

    /**
     * A classic hex dump: decimal offset, then 16 bytes a line.
     *
     * @param frame the bytes.
     * @return the dump, one line per 16 bytes.
     */
    static String hexDump(final byte[] frame)
    {
        final StringBuilder out = new StringBuilder();
        for (int line = 0; line < frame.length; line += BYTES_PER_DUMP_LINE)
        {
            out.append(String.format("%4d ", line));
            for (int i = line; i < Math.min(frame.length, line + BYTES_PER_DUMP_LINE); i++)
            {
                out.append(i - line == BYTES_PER_DUMP_LINE / 2 ? "  " : " ").append(hexByte(frame[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Every field of a frame on its own line: offset, bytes, name and value read back from the bytes.
     *
     * @param frame a batch, heartbeat or session status.
     * @return the annotation.
     */
    static String annotate(final byte[] frame)
    {
        final Annotator annotator = new Annotator(frame);
        final int templateId = annotator.u16(2);
        annotator.header(templateId == 1 ? "BatchHeader" : templateId == 4 ? "Heartbeat" : "SessionStatus");
        switch (templateId)
        {
            case 1:
                annotator.int64("sessionEpoch", Format.TIMESTAMP);
                annotator.int64("firstSequence", Format.PLAIN);
                annotator.int64("sendTimestampNs", Format.TIMESTAMP);
                final int count = annotator.u16(annotator.position);
                annotator.field(2, "updateCount", String.valueOf(count));
                annotator.flags("flags", "replay");
                annotator.padding(5, "reserved");
                for (int i = 0; i < count; i++)
                {
                    final int updateTemplate = annotator.u16(annotator.position + 2);
                    annotator.header(updateTemplate == 2 ? "Quote" : "Trade");
                    if (updateTemplate == 2)
                    {
                        annotator.int32("instrumentId");
                        annotator.padding(4, "padding");
                        annotator.int64("bidPrice", Format.PRICE);
                        annotator.int64("bidSize", Format.PLAIN);
                        annotator.int64("askPrice", Format.PRICE);
                        annotator.int64("askSize", Format.PLAIN);
                        annotator.int64("sourceTimestampNs", Format.TIMESTAMP);
                    }
                    else
                    {
                        annotator.int32("instrumentId");
                        final int side = annotator.frame[annotator.position] & 0xFF;
                        annotator.field(1, "aggressorSide", side + " = " + sideName(side));
                        annotator.padding(3, "padding");
                        annotator.int64("price", Format.PRICE);
                        annotator.int64("size", Format.PLAIN);
                        annotator.int64("tradeId", Format.PLAIN);
                        annotator.int64("sourceTimestampNs", Format.TIMESTAMP);
                    }
                }
                break;
            case 4:
                annotator.int64("sessionEpoch", Format.TIMESTAMP);
                annotator.int64("lastSequence", Format.PLAIN);
                annotator.int64("sendTimestampNs", Format.TIMESTAMP);
                annotator.flags("flags", "endOfSession");
                annotator.padding(7, "reserved");
                break;
            default:
                annotator.int64("sessionEpoch", Format.TIMESTAMP);
                annotator.int64("sendTimestampNs", Format.TIMESTAMP);
                annotator.int64("publishedUpdates", Format.PLAIN);
                annotator.int64("publishedBatches", Format.PLAIN);
                annotator.int32("topicCount");
                final int state = annotator.frame[annotator.position] & 0xFF;
                annotator.field(1, "state", state + " = " + (state == 1 ? "ACTIVE" : state == 2 ? "ENDED" : "?"));
                annotator.padding(3, "reserved");
                break;
        }
        if (annotator.position != frame.length)
        {
            throw new IllegalStateException("annotated " + annotator.position + " of " + frame.length + " bytes");
        }
        return annotator.out.toString();
    }

    /**
     * Both frames of an example as the page shows them: frame 0 in hex and as text, then a hex dump of frame 1.
     *
     * @param example the example.
     * @return the dump.
     */
    static String dump(final Example example)
    {
        final StringBuilder hex = new StringBuilder();
        final StringBuilder text = new StringBuilder();
        for (final byte b : example.topic())
        {
            hex.append(hex.length() == 0 ? "" : " ").append(hexByte(b));
            text.append(b == 0 ? "\\0" : String.valueOf((char)b));
        }
        return "frame 0 (" + example.topic().length + " bytes): " + hex + "  \"" + text + "\"\n" +
            "frame 1 (" + example.frame().length + " bytes):\n" + hexDump(example.frame());
    }

    /**
     * An example's frame 1 as a Python bytes literal, for the decoder example.
     *
     * @param example the example.
     * @return the assignment to {@code <NAME>_FRAME}, 32 bytes a line.
     */
    static String pythonLiteral(final Example example)
    {
        final String hex = TestFrames.hex(example.frame());
        final StringBuilder out = new StringBuilder(example.name().toUpperCase(Locale.ROOT))
            .append("_FRAME = bytes.fromhex(\n");
        for (int i = 0; i < hex.length(); i += HEX_CHARS_PER_PYTHON_LINE)
        {
            out.append("    \"").append(hex, i, Math.min(hex.length(), i + HEX_CHARS_PER_PYTHON_LINE)).append("\"\n");
        }
        return out.append(")\n").toString();
    }

    /**
     * What the page's Python decoder prints for the examples, rendered here from the Java decoders.
     *
     * @return the expected output.
     */
    static String pythonOutput()
    {
        final StringBuilder out = new StringBuilder();
        final FrameReader reader = new FrameReader();
        final UpdateCursor cursor = new UpdateCursor();
        for (final Example example : examples().values())
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(example.frame());
            final String topic = new String(example.topic(), StandardCharsets.US_ASCII).replace("\0", "\\x00");
            final FrameKind kind = reader.read(buffer, 0, example.frame().length);
            switch (kind)
            {
                case BATCH:
                    out.append(String.format("%s batch epoch=%d first=%d count=%d replay=%s sent=%d\n", topic,
                        reader.batchHeader().sessionEpoch(), reader.batchHeader().firstSequence(),
                        reader.batchHeader().updateCount(), reader.batchHeader().flags().replay() ? "True" : "False",
                        reader.batchHeader().sendTimestampNs()));
                    cursor.wrap(buffer, reader.updatesOffset(), reader.batchHeader().updateCount());
                    long sequence = reader.batchHeader().firstSequence();
                    int template;
                    while ((template = cursor.next()) != UpdateCursor.END)
                    {
                        if (template == UpdateCursor.QUOTE)
                        {
                            out.append(String.format("  #%d quote id=%d bid=%s x %d ask=%s x %d at=%d\n", sequence,
                                cursor.quote().instrumentId(), price(cursor.quote().bidPrice().mantissa()),
                                cursor.quote().bidSize(), price(cursor.quote().askPrice().mantissa()),
                                cursor.quote().askSize(), cursor.quote().sourceTimestampNs()));
                        }
                        else
                        {
                            out.append(String.format("  #%d trade id=%d side=%s price=%s size=%d tradeId=%d at=%d\n",
                                sequence, cursor.trade().instrumentId(), sideName(cursor.trade().aggressorSideRaw()),
                                price(cursor.trade().price().mantissa()), cursor.trade().size(),
                                cursor.trade().tradeId(), cursor.trade().sourceTimestampNs()));
                        }
                        sequence++;
                    }
                    break;
                case HEARTBEAT:
                    out.append(String.format("%s heartbeat epoch=%d last=%d endOfSession=%s sent=%d\n", topic,
                        reader.heartbeat().sessionEpoch(), reader.heartbeat().lastSequence(),
                        reader.heartbeat().flags().endOfSession() ? "True" : "False",
                        reader.heartbeat().sendTimestampNs()));
                    break;
                case SESSION_STATUS:
                    out.append(String.format("%s status epoch=%d state=%s updates=%d batches=%d topics=%d sent=%d\n",
                        topic, reader.sessionStatus().sessionEpoch(),
                        reader.isSessionEnded() ? "ENDED" : "ACTIVE", reader.sessionStatus().publishedUpdates(),
                        reader.sessionStatus().publishedBatches(), reader.sessionStatus().topicCount(),
                        reader.sessionStatus().sendTimestampNs()));
                    break;
                default:
                    throw new IllegalStateException(example.name() + ": " + reader.error());
            }
        }
        return out.toString();
    }

    /**
     * Prints every generated block, to paste into the page after a deliberate change of the examples.
     *
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        for (final Example example : examples().values())
        {
            System.out.println("== " + example.name());
            System.out.print(dump(example));
            System.out.println();
            System.out.print(annotate(example.frame()));
            System.out.println();
            System.out.print(pythonLiteral(example));
        }
        System.out.println("== python output");
        System.out.print(pythonOutput());
    }

    private static String price(final long mantissa)
    {
        if (mantissa == WireFormat.NULL_PRICE)
        {
            return "None";
        }
        final long magnitude = Math.abs(mantissa);
        return (mantissa < 0 ? "-" : "") + magnitude / SCALE + "." + String.format("%09d", magnitude % SCALE);
    }

    private static String sideName(final int side)
    {
        switch (side)
        {
            case 1:
                return "BUY";
            case 2:
                return "SELL";
            default:
                return "UNKNOWN";
        }
    }

    private static String hexByte(final byte b)
    {
        return String.format("%02x", b & 0xFF);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    private enum Format
    {
        PLAIN, PRICE, TIMESTAMP
    }

    /**
     * Walks a frame field by field, writing one line per field.
     */
    private static final class Annotator
    {
        private final byte[] frame;
        private final ByteBuffer bytes;
        private final StringBuilder out = new StringBuilder();
        private int position;

        Annotator(final byte[] frame)
        {
            this.frame = frame;
            this.bytes = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        }

        int u16(final int index)
        {
            return bytes.getShort(index) & 0xFFFF;
        }

        void header(final String message)
        {
            out.append(String.format("%s# message header of a %s\n", out.length() == 0 ? "" : "\n", message));
            field(2, "blockLength", String.valueOf(u16(position)));
            final int templateId = u16(position);
            field(2, "templateId", templateId + " = " + message);
            field(2, "schemaId", String.valueOf(u16(position)));
            field(2, "version", String.valueOf(u16(position)));
            out.append(String.format("# %s body\n", message));
        }

        void int32(final String name)
        {
            field(4, name, String.valueOf(bytes.getInt(position)));
        }

        void int64(final String name, final Format format)
        {
            final long value = bytes.getLong(position);
            final String text;
            switch (format)
            {
                case PRICE:
                    text = value + " = " + (value == WireFormat.NULL_PRICE ? "no price" : Prices.toString(value));
                    break;
                case TIMESTAMP:
                    text = value + " = " + Instant.ofEpochSecond(value / SCALE, value % SCALE);
                    break;
                default:
                    text = String.valueOf(value);
                    break;
            }
            field(8, name, text);
        }

        void flags(final String name, final String bit0)
        {
            final int value = frame[position] & 0xFF;
            field(1, name, String.format("0x%02x: %s=%d", value, bit0, value & 1));
        }

        void padding(final int length, final String name)
        {
            field(length, name, "zero");
        }

        void field(final int length, final String name, final String value)
        {
            final StringBuilder hex = new StringBuilder();
            for (int i = position; i < position + length; i++)
            {
                hex.append(hex.length() == 0 ? "" : " ").append(hexByte(frame[i]));
            }
            out.append(String.format("%4d  %-23s  %-17s  %s\n", position, hex, name, value));
            position += length;
        }
    }
}
