package dev.feedhandler.common.wire;

import dev.feedhandler.common.codec.Price9Decoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code docs/wire-format.md} against the code: the layout tables against the generated codecs, the constants
 * against {@link WireFormat}, the error table against {@link DecodeError}, and every example block (hex dumps,
 * annotations, Python formats, listing and output) against what the encoder writes and the decoder reads.
 * Checked blocks follow a {@code <!-- check:NAME -->} line in the page.
 */
class WireFormatDocumentationTest
{
    private static final String CODEC_PACKAGE = "dev.feedhandler.common.codec.";
    private static final List<String> MESSAGES =
        List.of("MessageHeader", "BatchHeader", "Quote", "Trade", "Heartbeat", "SessionStatus");
    private static final List<String> RECOVERY_MESSAGES =
        List.of("GapFillRequest", "SnapshotRequest", "RecoveryResponse", "SnapshotEntry", "CatchUpRequest",
            "CatchUpCredit");
    private static final Map<String, Integer> TYPE_SIZES = Map.of("uint8", 1, "uint16", 2, "int32", 4, "int64", 8);
    private static final String REGENERATE = "the page must show exactly what the code writes; if the change is " +
        "deliberate, paste the blocks that WireExamples.main prints";

    private static List<String> page;

    @BeforeAll
    static void readPage() throws IOException
    {
        page = Files.readAllLines(pagePath(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDocumentEveryFieldAtTheOffsetAndSizeOfTheGeneratedCodec() throws ReflectiveOperationException
    {
        final List<String> all = new ArrayList<>(MESSAGES);
        all.addAll(RECOVERY_MESSAGES);
        all.add("Conflated");
        for (final String message : all)
        {
            final Class<?> decoder = Class.forName(CODEC_PACKAGE + message + "Decoder");
            final boolean isHeader = message.equals("MessageHeader");
            final int blockLength = isHeader ?
                decoder.getField("ENCODED_LENGTH").getInt(null) : decoder.getField("BLOCK_LENGTH").getInt(null);
            final List<Map<String, String>> rows = table("layout:" + message);
            final List<String> documented = new ArrayList<>();
            int expectedOffset = 0;
            for (final Map<String, String> row : rows)
            {
                final String field = row.get("Field");
                final int offset = Integer.parseInt(row.get(isHeader ? "Offset" : "Body offset"));
                final int size = Integer.parseInt(row.get("Size"));
                final String where = message + "." + field;
                assertThat(offset).as("%s follows the previous field", where).isEqualTo(expectedOffset);
                if (!isHeader)
                {
                    assertThat(Integer.parseInt(row.get("Offset"))).as("%s offset from the header", where)
                        .isEqualTo(WireFormat.HEADER_LENGTH + offset);
                }
                if (field.startsWith("("))
                {
                    assertThat(row.get("Type")).as(where).isEqualTo("bytes");
                }
                else
                {
                    documented.add(field);
                    assertThat(codecFields(decoder)).as("%s is a field of the schema", where).contains(field);
                    assertThat(TYPE_SIZES.get(row.get("Type"))).as("%s size of its type", where).isEqualTo(size);
                    assertThat(staticInt(decoder, field + "EncodingOffset")).as("%s offset", where).isEqualTo(offset);
                    assertThat(staticInt(decoder, field + "EncodingLength")).as("%s size", where).isEqualTo(size);
                }
                expectedOffset = offset + size;
            }
            assertThat(expectedOffset).as("%s fields and padding fill the block", message).isEqualTo(blockLength);
            assertThat(documented).as("%s documents every field of the schema, in order", message)
                .isEqualTo(codecFields(decoder));
            if (!isHeader)
            {
                assertThat(heading(message)).as("heading of " + message).isEqualTo(
                    "### " + message + " (templateId " + decoder.getField("TEMPLATE_ID").getInt(null) +
                    ", blockLength " + blockLength + ")");
            }
        }
    }

    @Test
    void shouldShowTheConstantsOfWireFormat() throws IllegalAccessException
    {
        final Map<String, String> documented = new LinkedHashMap<>();
        for (final Map<String, String> row : table("constants"))
        {
            documented.put(row.get("Constant"), row.get("Value"));
        }
        final Set<String> constants = new TreeSet<>();
        for (final Field field : WireFormat.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && !field.getType().isArray())
            {
                constants.add(field.getName());
                final Object value = field.get(null);
                final String expected = value instanceof String ?
                    "`" + ((String)value).replace("\0", "\\0") + "`" : String.valueOf(value);
                assertThat(documented.get(field.getName())).as(field.getName()).isEqualTo(expected);
            }
        }
        assertThat(documented.keySet()).as("documented constants").containsExactlyInAnyOrderElementsOf(constants);
        assertThat(WireFormat.MAX_UPDATE_LENGTH).isEqualTo(WireFormat.QUOTE_LENGTH);
    }

    @Test
    void shouldListEveryDecodeError()
    {
        final List<String> documented = table("decode-errors").stream()
            .map(row -> row.get("DecodeError"))
            .collect(Collectors.toList());
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
            Arrays.stream(DecodeError.values()).map(Enum::name).collect(Collectors.toList()));
    }

    @Test
    void shouldListEveryRecoveryStatusWithItsValue()
    {
        final Map<String, String> documented = new LinkedHashMap<>();
        for (final Map<String, String> row : table("recovery-status"))
        {
            documented.put(row.get("Status"), row.get("Value"));
        }
        final Map<String, String> statuses = new LinkedHashMap<>();
        for (final RecoveryStatus status : RecoveryStatus.values())
        {
            if (status != RecoveryStatus.NULL_VAL)
            {
                statuses.put(status.name(), String.valueOf(status.value()));
            }
        }
        assertThat(documented).isEqualTo(statuses);
    }

    @Test
    void shouldGivePythonFormatsForTheRecoveryMessages() throws ReflectiveOperationException
    {
        final List<String> documented = new ArrayList<>();
        for (final Map<String, String> row : table("struct-recovery"))
        {
            final String message = row.get("Message");
            documented.add(message);
            final Class<?> decoder = Class.forName(CODEC_PACKAGE + message + "Decoder");
            final int blockLength = decoder.getField("BLOCK_LENGTH").getInt(null);
            final String format = unquote(row.get("Format"));
            assertThat(Integer.parseInt(row.get("Size"))).as(message).isEqualTo(blockLength);
            assertThat(calcsize(format)).as("size of %s", format).isEqualTo(blockLength);
            assertThat(fieldList(row)).as("%s fields", message).isEqualTo(codecFields(decoder));
            assertThat(codes(format).stream().filter(c -> c.letter != 'x').mapToInt(Code::count).sum())
                .as("%s values", format).isEqualTo(fieldList(row).size());
        }
        assertThat(documented).containsExactlyElementsOf(RECOVERY_MESSAGES);
    }

    @Test
    void shouldShowTheBytesTheEncoderWrites()
    {
        for (final WireExamples.Example example : WireExamples.examples().values())
        {
            assertThat(block("dump:" + example.name())).as(REGENERATE).isEqualTo(WireExamples.dump(example));
            assertThat(block("annotated:" + example.name())).as(REGENERATE)
                .isEqualTo(WireExamples.annotate(example.frame()));
            assertThat(hexOfDump(block("dump:" + example.name()))).as("bytes of the %s dump", example.name())
                .isEqualTo(TestFrames.hex(example.frame()));
        }
    }

    @Test
    void shouldGivePythonFormatsThatReadWhatTheDecodersRead() throws ReflectiveOperationException
    {
        final Map<String, Map<String, String>> formats = new LinkedHashMap<>();
        for (final Map<String, String> row : table("struct"))
        {
            final String message = row.get("Message").equals("message header") ? "MessageHeader" : row.get("Message");
            formats.put(message, row);
        }
        assertThat(formats.keySet()).containsExactlyElementsOf(MESSAGES);
        for (final String message : MESSAGES)
        {
            final Map<String, String> row = formats.get(message);
            final String format = unquote(row.get("Format"));
            final Class<?> decoder = Class.forName(CODEC_PACKAGE + message + "Decoder");
            final int blockLength = message.equals("MessageHeader") ?
                decoder.getField("ENCODED_LENGTH").getInt(null) : decoder.getField("BLOCK_LENGTH").getInt(null);
            assertThat(Integer.parseInt(row.get("Size"))).as(message).isEqualTo(blockLength);
            assertThat(calcsize(format)).as("size of %s", format).isEqualTo(blockLength);
            assertThat(fieldList(row)).as("%s fields", message).isEqualTo(codecFields(decoder));
        }

        int messagesChecked = 0;
        for (final WireExamples.Example example : WireExamples.examples().values())
        {
            final byte[] frame = example.frame();
            int position = 0;
            while (position < frame.length)
            {
                final int templateId = TestFrames.u16(frame, position + TestFrames.TEMPLATE_ID);
                final String message = templateId == 1 ? "BatchHeader" : templateId == 2 ? "Quote" :
                    templateId == 3 ? "Trade" : templateId == 4 ? "Heartbeat" : "SessionStatus";
                assertUnpacksLikeTheDecoder(frame, position, "MessageHeader", formats.get("MessageHeader"));
                assertUnpacksLikeTheDecoder(frame, position + WireFormat.HEADER_LENGTH, message, formats.get(message));
                position += WireFormat.HEADER_LENGTH + TestFrames.u16(frame, position + TestFrames.BLOCK_LENGTH);
                messagesChecked++;
            }
        }
        assertThat(messagesChecked).isEqualTo(5);
    }

    @Test
    void shouldListThePythonDecoderWithTheDocumentedFormatsAndExamples()
    {
        final String python = block("python");
        for (final Map<String, String> row : table("struct"))
        {
            assertThat(python).contains("struct.Struct(\"" + unquote(row.get("Format")) + "\")");
        }
        for (final WireExamples.Example example : WireExamples.examples().values())
        {
            assertThat(python).as(REGENERATE).contains(WireExamples.pythonLiteral(example));
        }
        assertThat(block("python-output")).as(REGENERATE).isEqualTo(WireExamples.pythonOutput());
    }

    @Test
    @Timeout(60)
    void shouldPrintWhatThePageSaysWhenThePythonDecoderRuns() throws IOException, InterruptedException
    {
        final File python3 = findOnPath("python3");
        assumeThat(python3).as("python3 on the PATH").isNotNull();
        final Path script = Files.createTempFile("wire-format-decoder", ".py");
        try
        {
            Files.writeString(script, block("python"), StandardCharsets.UTF_8);
            final Process process = new ProcessBuilder(python3.getPath(), script.toString())
                .redirectErrorStream(true)
                .start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).isEqualTo(block("python-output"));
        }
        finally
        {
            Files.deleteIfExists(script);
        }
    }

    private static void assertUnpacksLikeTheDecoder(
        final byte[] frame, final int offset, final String message, final Map<String, String> formatRow)
        throws ReflectiveOperationException
    {
        final List<Long> unpacked = unpack(unquote(formatRow.get("Format")), frame, offset);
        final Object decoder = Class.forName(CODEC_PACKAGE + message + "Decoder").getConstructor().newInstance();
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        if (message.equals("MessageHeader"))
        {
            decoder.getClass().getMethod("wrap", org.agrona.DirectBuffer.class, int.class)
                .invoke(decoder, buffer, offset);
        }
        else
        {
            final int blockLength = decoder.getClass().getField("BLOCK_LENGTH").getInt(null);
            decoder.getClass().getMethod("wrap", org.agrona.DirectBuffer.class, int.class, int.class, int.class)
                .invoke(decoder, buffer, offset, blockLength, WireFormat.SCHEMA_VERSION);
        }
        final List<String> fields = fieldList(formatRow);
        final List<Long> decoded = new ArrayList<>();
        for (final String field : fields)
        {
            decoded.add(rawValue(decoder, field));
        }
        assertThat(unpacked).as("%s at %d unpacked with %s", message, offset, formatRow.get("Format"))
            .isEqualTo(decoded);
    }

    /** The value of a field as Python's struct module returns it: the integer on the wire. */
    private static long rawValue(final Object decoder, final String field) throws ReflectiveOperationException
    {
        final Object value = decoder.getClass().getMethod(field).invoke(decoder);
        if (value instanceof Price9Decoder)
        {
            return ((Price9Decoder)value).mantissa();
        }
        if (value instanceof Enum)
        {
            return ((Number)decoder.getClass().getMethod(field + "Raw").invoke(decoder)).longValue();
        }
        if (value instanceof Number)
        {
            return ((Number)value).longValue();
        }
        return ((Number)value.getClass().getMethod("getRaw").invoke(value)).longValue();
    }

    private static List<String> fieldList(final Map<String, String> formatRow)
    {
        return Arrays.stream(formatRow.get("Fields, in order").split(","))
            .map(String::trim)
            .collect(Collectors.toList());
    }

    /** Python's struct.calcsize for the little-endian formats of the page. */
    private static int calcsize(final String format)
    {
        int size = 0;
        for (final Code code : codes(format))
        {
            size += code.count * code.size();
        }
        return size;
    }

    /** Python's struct.unpack_from for the little-endian formats of the page, every value as a long. */
    private static List<Long> unpack(final String format, final byte[] frame, final int offset)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        final List<Long> values = new ArrayList<>();
        int position = offset;
        for (final Code code : codes(format))
        {
            for (int i = 0; i < code.count; i++)
            {
                switch (code.letter)
                {
                    case 'x':
                        break;
                    case 'b':
                        values.add((long)bytes.get(position));
                        break;
                    case 'B':
                        values.add((long)(bytes.get(position) & 0xFF));
                        break;
                    case 'h':
                        values.add((long)bytes.getShort(position));
                        break;
                    case 'H':
                        values.add((long)(bytes.getShort(position) & 0xFFFF));
                        break;
                    case 'i':
                        values.add((long)bytes.getInt(position));
                        break;
                    case 'I':
                        values.add(bytes.getInt(position) & 0xFFFF_FFFFL);
                        break;
                    case 'q':
                        values.add(bytes.getLong(position));
                        break;
                    default:
                        throw new IllegalArgumentException("format code " + code.letter + " in " + format);
                }
                position += code.size();
            }
        }
        return values;
    }

    private record Code(char letter, int count)
    {
        int size()
        {
            switch (letter)
            {
                case 'x':
                case 'b':
                case 'B':
                    return 1;
                case 'h':
                case 'H':
                    return 2;
                case 'i':
                case 'I':
                    return 4;
                case 'q':
                case 'Q':
                    return 8;
                default:
                    throw new IllegalArgumentException("format code " + letter);
            }
        }
    }

    private static List<Code> codes(final String format)
    {
        assertThat(format).as("little-endian, unaligned").startsWith("<");
        final List<Code> codes = new ArrayList<>();
        final Matcher matcher = Pattern.compile("(\\d*)([a-zA-Z])").matcher(format.substring(1));
        int end = 0;
        while (matcher.find())
        {
            assertThat(matcher.start()).as("format %s", format).isEqualTo(end);
            final int count = matcher.group(1).isEmpty() ? 1 : Integer.parseInt(matcher.group(1));
            codes.add(new Code(matcher.group(2).charAt(0), count));
            end = matcher.end();
        }
        assertThat(end).as("format %s", format).isEqualTo(format.length() - 1);
        return codes;
    }

    private static String unquote(final String cell)
    {
        assertThat(cell).startsWith("`").endsWith("`");
        return cell.substring(1, cell.length() - 1);
    }

    private static int staticInt(final Class<?> type, final String method)
        throws NoSuchMethodException, IllegalAccessException, InvocationTargetException
    {
        return (int)type.getMethod(method).invoke(null);
    }

    /** The fields of a generated codec in schema order: the ones with an encoding offset. */
    private static List<String> codecFields(final Class<?> decoder) throws ReflectiveOperationException
    {
        final List<Method> offsets = new ArrayList<>();
        for (final Method method : decoder.getMethods())
        {
            if (Modifier.isStatic(method.getModifiers()) && method.getName().endsWith("EncodingOffset"))
            {
                offsets.add(method);
            }
        }
        final Map<Integer, String> byOffset = new TreeMap<>();
        for (final Method method : offsets)
        {
            final String name = method.getName().substring(0, method.getName().length() - "EncodingOffset".length());
            byOffset.put((Integer)method.invoke(null), name);
        }
        return new ArrayList<>(byOffset.values());
    }

    private static String hexOfDump(final String dump)
    {
        final StringBuilder hex = new StringBuilder();
        for (final String line : dump.split("\n"))
        {
            final String trimmed = line.trim();
            if (!trimmed.isEmpty() && Character.isDigit(trimmed.charAt(0)))
            {
                final String[] tokens = trimmed.split("\\s+");
                for (int i = 1; i < tokens.length; i++)
                {
                    hex.append(tokens[i]);
                }
            }
        }
        return hex.toString();
    }

    private static String heading(final String message)
    {
        for (final String line : page)
        {
            if (line.startsWith("### " + message + " "))
            {
                return line;
            }
        }
        return null;
    }

    private static int marker(final String name)
    {
        final int index = page.indexOf("<!-- check:" + name + " -->");
        assertThat(index).as("marker check:%s in the page", name).isNotNegative();
        return index;
    }

    /** The fenced block after a marker, with a newline after each line. */
    private static String block(final String name)
    {
        int line = marker(name) + 1;
        assertThat(page.get(line)).as("fenced block after check:%s", name).startsWith("```");
        final StringBuilder text = new StringBuilder();
        for (line++; !page.get(line).equals("```"); line++)
        {
            text.append(page.get(line)).append('\n');
        }
        return text.toString();
    }

    /** The table after a marker: one map per row, keyed by the header cells. */
    private static List<Map<String, String>> table(final String name)
    {
        int line = marker(name) + 1;
        final List<String> header = cells(page.get(line));
        line += 2;
        final List<Map<String, String>> rows = new ArrayList<>();
        for (; line < page.size() && page.get(line).startsWith("|"); line++)
        {
            final List<String> cells = cells(page.get(line));
            assertThat(cells).as("row %s of check:%s", page.get(line), name).hasSameSizeAs(header);
            final Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++)
            {
                row.put(header.get(i), cells.get(i));
            }
            rows.add(row);
        }
        assertThat(rows).as("rows of check:%s", name).isNotEmpty();
        return rows;
    }

    private static List<String> cells(final String row)
    {
        final String inner = row.trim().substring(1, row.trim().length() - 1);
        return Arrays.stream(inner.split("\\|", -1)).map(String::trim).collect(Collectors.toList());
    }

    private static Path pagePath()
    {
        final List<Path> candidates = new ArrayList<>();
        final String root = System.getProperty("feed.root");
        if (root != null && !root.isBlank())
        {
            candidates.add(Path.of(root, "docs", "wire-format.md"));
        }
        candidates.add(Path.of("..", "docs", "wire-format.md"));
        candidates.add(Path.of("docs", "wire-format.md"));
        for (final Path candidate : candidates)
        {
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/wire-format.md not found; looked at " + candidates);
    }

    private static File findOnPath(final String program)
    {
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return null;
        }
        for (final String directory : path.split(File.pathSeparator))
        {
            final File candidate = new File(directory, program);
            if (candidate.isFile() && candidate.canExecute())
            {
                return candidate;
            }
        }
        return null;
    }
}
