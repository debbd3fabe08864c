package dev.feedhandler.common.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the command line needs: one-line summaries written from maps, and read back by the commands and
 * tests that compare them. Cold path only. Objects keep their key order; numbers read back as {@link Long} when
 * they are integers and {@link Double} otherwise.
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * Writes a value (a map with string keys, an iterable, a string, a number, a boolean or null) as one line.
     *
     * @param value to write.
     * @return the JSON text.
     */
    public static String write(final Object value)
    {
        final StringBuilder out = new StringBuilder(256);
        write(out, value);
        return out.toString();
    }

    private static void write(final StringBuilder out, final Object value)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof Map)
        {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                writeString(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        }
        else if (value instanceof Iterable)
        {
            out.append('[');
            final Iterator<?> it = ((Iterable<?>)value).iterator();
            while (it.hasNext())
            {
                write(out, it.next());
                if (it.hasNext())
                {
                    out.append(',');
                }
            }
            out.append(']');
        }
        else if (value instanceof Double || value instanceof Float)
        {
            final double d = ((Number)value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d))
            {
                out.append("null");
            }
            else if (d == Math.rint(d) && Math.abs(d) < 1e15)
            {
                out.append((long)d).append(".0");
            }
            else
            {
                out.append(d);
            }
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else
        {
            writeString(out, value.toString());
        }
    }

    private static void writeString(final StringBuilder out, final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /**
     * Parses JSON text.
     *
     * @param text the JSON.
     * @return a {@code Map<String, Object>}, {@code List<Object>}, String, Long, Double, Boolean or null.
     * @throws IllegalArgumentException if the text is not valid JSON, with the position.
     */
    public static Object parse(final String text)
    {
        final Parser parser = new Parser(text);
        final Object value = parser.value();
        parser.skipSpace();
        if (parser.pos != text.length())
        {
            throw parser.error("unexpected text after the value");
        }
        return value;
    }

    /**
     * Parses a JSON object.
     *
     * @param text the JSON.
     * @return the object as a map.
     * @throws IllegalArgumentException if the text is not a JSON object.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String text)
    {
        final Object value = parse(text);
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
        }
        return (Map<String, Object>)value;
    }

    private static String abbreviate(final String text)
    {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private static final class Parser
    {
        private final String text;
        private int pos;

        Parser(final String text)
        {
            this.text = text;
        }

        IllegalArgumentException error(final String message)
        {
            return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + message);
        }

        void skipSpace()
        {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos)))
            {
                pos++;
            }
        }

        Object value()
        {
            skipSpace();
            if (pos >= text.length())
            {
                throw error("unexpected end");
            }
            final char c = text.charAt(pos);
            switch (c)
            {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        Object literal(final String word, final Object value)
        {
            if (!text.startsWith(word, pos))
            {
                throw error("expected " + word);
            }
            pos += word.length();
            return value;
        }

        Map<String, Object> object()
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '}')
            {
                pos++;
                return map;
            }
            while (true)
            {
                skipSpace();
                if (pos >= text.length() || text.charAt(pos) != '"')
                {
                    throw error("expected a key");
                }
                final String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',')
                {
                    pos++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        List<Object> array()
        {
            final List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ']')
            {
                pos++;
                return list;
            }
            while (true)
            {
                list.add(value());
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',')
                {
                    pos++;
                    continue;
                }
                expect(']');
                return list;
            }
        }

        void expect(final char c)
        {
            if (pos >= text.length() || text.charAt(pos) != c)
            {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        String string()
        {
            pos++;
            final StringBuilder out = new StringBuilder();
            while (true)
            {
                if (pos >= text.length())
                {
                    throw error("unterminated string");
                }
                final char c = text.charAt(pos++);
                if (c == '"')
                {
                    return out.toString();
                }
                if (c != '\\')
                {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length())
                {
                    throw error("unterminated escape");
                }
                final char e = text.charAt(pos++);
                switch (e)
                {
                    case 'n':
                        out.append('\n');
                        break;
                    case 'r':
                        out.append('\r');
                        break;
                    case 't':
                        out.append('\t');
                        break;
                    case 'b':
                        out.append('\b');
                        break;
                    case 'f':
                        out.append('\f');
                        break;
                    case 'u':
                        if (pos + 4 > text.length())
                        {
                            throw error("bad unicode escape");
                        }
                        out.append((char)Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                        break;
                    default:
                        out.append(e);
                }
            }
        }

        Object number()
        {
            final int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0)
            {
                pos++;
            }
            final String token = text.substring(start, pos);
            if (token.isEmpty())
            {
                throw error("unexpected character '" + text.charAt(start) + "'");
            }
            try
            {
                if (token.indexOf('.') < 0 && token.indexOf('e') < 0 && token.indexOf('E') < 0)
                {
                    return Long.parseLong(token);
                }
                return Double.parseDouble(token);
            }
            catch (final NumberFormatException ex)
            {
                pos = start;
                throw error("bad number '" + token + "'");
            }
        }
    }
}
