package dev.feedhandler.cli.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.JacksonJrExtension;
import com.fasterxml.jackson.jr.ob.api.ExtensionContext;
import com.fasterxml.jackson.jr.ob.api.ReaderWriterProvider;
import com.fasterxml.jackson.jr.ob.api.ValueWriter;
import com.fasterxml.jackson.jr.ob.impl.JSONWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one-line JSON of the command line's summaries, written and read with jackson-jr. Summaries are records (their
 * components, in declaration order, are the keys; a component marked {@link OmittedWhenNull} is left out when null,
 * every other null is written) or maps (in their iteration order). The output is byte for byte what users' scripts
 * have always parsed: doubles as Java prints them but whole ones below 1e15 as {@code 12.0}, NaN and infinities as
 * null, and every character outside printable ASCII as a lower-case <code>&#92;u00xx</code> escape (only {@code \n},
 * {@code \r} and {@code \t} short). Read back, objects keep their key order and integers are {@link Long}s.
 */
public final class Json
{
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().characterEscapes(new AsciiEscapes()).build();
    private static final JSON JSON_WRITER = JSON.builder(FACTORY)
        .enable(JSON.Feature.WRITE_NULL_PROPERTIES, JSON.Feature.PRESERVE_FIELD_ORDERING)
        .disable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS)
        .register(new SummaryExtension())
        .build();

    private Json()
    {
    }

    /**
     * Writes a summary (a record, a map with string keys, a list, a string, a number, a boolean or null) on one line.
     *
     * @param value to write.
     * @return the JSON text.
     */
    public static String write(final Object value)
    {
        try
        {
            return JSON_WRITER.asString(value);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", ex);
        }
    }

    /**
     * Parses JSON text.
     *
     * @param text the JSON.
     * @return a {@code Map<String, Object>} in key order, {@code List<Object>}, String, Long, Double, Boolean or
     * null.
     * @throws IllegalArgumentException with a one-line message (what and where) if the text is not valid JSON.
     */
    public static Object parse(final String text)
    {
        try (JsonParser parser = FACTORY.createParser(text))
        {
            final Object value = JSON_WRITER.anyFrom(parser);
            if (parser.nextToken() != null)
            {
                throw new IllegalArgumentException("invalid JSON at offset " +
                    parser.currentTokenLocation().getCharOffset() + ": unexpected text after the value");
            }
            return longs(value);
        }
        catch (final JsonProcessingException ex)
        {
            final long offset = ex.getLocation() == null ? -1 : ex.getLocation().getCharOffset();
            throw new IllegalArgumentException("invalid JSON at offset " + offset + ": " + ex.getOriginalMessage()
                .lines().findFirst().orElse(""), ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("invalid JSON: " + ex.getMessage(), ex);
        }
    }

    /**
     * Parses a JSON object.
     *
     * @param text the JSON.
     * @return the object as a map, in key order.
     * @throws IllegalArgumentException if the text is not a JSON object.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String text)
    {
        final Object value = parse(text);
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("not a JSON object: " +
                (text.length() > 60 ? text.substring(0, 60) + "..." : text));
        }
        return (Map<String, Object>)value;
    }

    /** Integers as {@link Long}s, whatever size jackson-jr picked for them, all the way down. */
    private static Object longs(final Object value)
    {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte)
        {
            return ((Number)value).longValue();
        }
        if (value instanceof Map)
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            ((Map<?, ?>)value).forEach((key, item) -> map.put(String.valueOf(key), longs(item)));
            return map;
        }
        if (value instanceof List)
        {
            final List<Object> list = new ArrayList<>();
            ((List<?>)value).forEach(item -> list.add(longs(item)));
            return list;
        }
        return value;
    }

    /**
     * Writes doubles and floats the way the summaries always have, and records by their components.
     */
    private static final class SummaryExtension extends JacksonJrExtension
    {
        @Override
        protected void register(final ExtensionContext context)
        {
            context.insertProvider(new ReaderWriterProvider()
            {
                @Override
                public ValueWriter findValueWriter(final JSONWriter writeContext, final Class<?> type)
                {
                    if (type == Double.class || type == double.class || type == Float.class || type == float.class)
                    {
                        return new DecimalWriter(type);
                    }
                    return type.isRecord() ? new RecordWriter(type) : null;
                }
            });
        }
    }

    /**
     * A double or float: whole numbers below 1e15 as {@code 12.0} (never {@code 1.2E1}), NaN and infinities as null.
     */
    private static final class DecimalWriter implements ValueWriter
    {
        private static final double MAX_PLAIN = 1e15;

        private final Class<?> type;

        DecimalWriter(final Class<?> type)
        {
            this.type = type;
        }

        @Override
        public void writeValue(final JSONWriter context, final JsonGenerator generator, final Object value)
            throws IOException
        {
            final double d = ((Number)value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d))
            {
                generator.writeNull();
            }
            else if (d == Math.rint(d) && Math.abs(d) < MAX_PLAIN)
            {
                generator.writeNumber((long)d + ".0");
            }
            else
            {
                generator.writeNumber(Double.toString(d));
            }
        }

        @Override
        public Class<?> valueType()
        {
            return type;
        }
    }

    /**
     * A record as an object of its components in declaration order.
     */
    private static final class RecordWriter implements ValueWriter
    {
        private final Class<?> type;
        private final RecordComponent[] components;
        private final Method[] accessors;

        RecordWriter(final Class<?> type)
        {
            this.type = type;
            this.components = type.getRecordComponents();
            this.accessors = new Method[components.length];
            for (int i = 0; i < components.length; i++)
            {
                // Summary records are package-private where they are built: read them from here all the same.
                accessors[i] = components[i].getAccessor();
                accessors[i].setAccessible(true);
            }
        }

        @Override
        public void writeValue(final JSONWriter context, final JsonGenerator generator, final Object value)
            throws IOException
        {
            generator.writeStartObject();
            for (int i = 0; i < components.length; i++)
            {
                final RecordComponent component = components[i];
                final Object item;
                try
                {
                    item = accessors[i].invoke(value);
                }
                catch (final IllegalAccessException | InvocationTargetException ex)
                {
                    throw new IOException("cannot read " + type.getSimpleName() + "." + component.getName(), ex);
                }
                if (item == null && component.isAnnotationPresent(OmittedWhenNull.class))
                {
                    continue;
                }
                generator.writeFieldName(component.getName());
                context.writeValue(item);
            }
            generator.writeEndObject();
        }

        @Override
        public Class<?> valueType()
        {
            return type;
        }
    }

    /**
     * Printable ASCII as is; quote and backslash escaped; {@code \n}, {@code \r}, {@code \t} short; every other
     * character as a lower-case <code>&#92;u00xx</code>.
     */
    private static final class AsciiEscapes extends CharacterEscapes
    {
        private static final long serialVersionUID = 1L;
        private static final int FIRST_PRINTABLE = 0x20;
        private static final int LAST_PRINTABLE = 0x7e;

        private final int[] ascii = new int[128];

        AsciiEscapes()
        {
            for (int c = 0; c < ascii.length; c++)
            {
                ascii[c] = c < FIRST_PRINTABLE || c > LAST_PRINTABLE ? ESCAPE_CUSTOM : ESCAPE_NONE;
            }
            ascii['"'] = '"';
            ascii['\\'] = '\\';
            ascii['\n'] = 'n';
            ascii['\r'] = 'r';
            ascii['\t'] = 't';
        }

        @Override
        public int[] getEscapeCodesForAscii()
        {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(final int c)
        {
            return new SerializedString(String.format(Locale.ROOT, "\\u%04x", c));
        }
    }
}
