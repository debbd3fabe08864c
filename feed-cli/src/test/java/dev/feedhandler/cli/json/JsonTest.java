package dev.feedhandler.cli.json;

import dev.feedhandler.common.testing.TestSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The small JSON writer and parser of the command line: one-line output in key order, and values that read back
 * equal to what was written.
 */
class JsonTest
{
    private static final int RANDOM_DOCUMENTS = 2_000;

    @Test
    void shouldWriteOneLineInKeyOrder()
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("published", 1003L);
        summary.put("topics", List.of("EURUSD", "GBPUSD"));
        summary.put("elapsedSeconds", 2.5);
        summary.put("rate", 2.0);
        summary.put("ok", true);
        summary.put("none", null);
        summary.put("latency_us", new LinkedHashMap<>(Map.of("p50", 12.3)));

        assertThat(Json.write(summary)).isEqualTo(
            "{\"published\":1003,\"topics\":[\"EURUSD\",\"GBPUSD\"],\"elapsedSeconds\":2.5,\"rate\":2.0,\"ok\":true," +
            "\"none\":null,\"latency_us\":{\"p50\":12.3}}");
    }

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharacters()
    {
        assertThat(Json.write("a\"b\\c\nd\re\tf\u0001g\u00e9h\u007f"))
            .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u00e9h\\u007f\"");
    }

    @Test
    void shouldWriteNumbersThatAreNotFiniteAsNull()
    {
        assertThat(Json.write(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)))
            .isEqualTo("[null,null,null]");
    }

    @Test
    void shouldWriteARecordAsItsComponentsInOrderLeavingOutOnlyTheOptionalNulls()
    {
        final Summary full = new Summary(3, null, new Part("x", 0.5), Map.of("k", 1L), List.of(1.0, 2.5e-7));
        final Summary lean = new Summary(3, null, new Part(null, 1e20), null, List.of());

        assertThat(Json.write(full)).isEqualTo(
            "{\"count\":3,\"endpoint\":null,\"part\":{\"name\":\"x\",\"ratio\":0.5},\"extra\":{\"k\":1}," +
                "\"values\":[1.0,2.5E-7]}");
        assertThat(Json.write(lean)).isEqualTo(
            "{\"count\":3,\"endpoint\":null,\"part\":{\"name\":null,\"ratio\":1.0E20},\"values\":[]}");
        final Map<String, Object> parsed = Json.parseObject(Json.write(full));
        assertThat(parsed.keySet()).containsExactly("count", "endpoint", "part", "extra", "values");
        assertThat(parsed.get("count")).isEqualTo(3L);
        assertThat(parsed.get("endpoint")).isNull();
        assertThat(parsed.get("part")).isEqualTo(Map.of("name", "x", "ratio", 0.5));
        assertThat(parsed.get("values")).isEqualTo(List.of(1.0, 2.5e-7));
    }

    /** A package-private summary record, as the commands declare theirs. */
    record Summary(
        long count, String endpoint, Part part, @OmittedWhenNull Map<String, Long> extra, List<Double> values)
    {
    }

    /** A nested record. */
    record Part(String name, double ratio)
    {
    }

    @Test
    void shouldParseIntegersAsLongAndOtherNumbersAsDouble()
    {
        final Map<String, Object> parsed = Json.parseObject(
            " { \"a\" : 1 , \"b\":-2.5,\"c\":1e3, \"d\":[ ], \"e\":{}, \"f\":\"\\u0041\\/\\b\\f\" , \"g\":false } ");

        assertThat(parsed).containsExactly(
            Map.entry("a", 1L),
            Map.entry("b", -2.5),
            Map.entry("c", 1000.0),
            Map.entry("d", List.of()),
            Map.entry("e", Map.of()),
            Map.entry("f", "A/\b\f"),
            Map.entry("g", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "nul", "1 2", "\"abc", "\"a\\", "-", "1.2.3", "{1:2}", "@"})
    void shouldRejectInvalidJsonWithItsPosition(final String text)
    {
        assertThatThrownBy(() -> Json.parse(text))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("invalid JSON at offset");
    }

    @Test
    void shouldRejectAnythingButAnObjectWhereAnObjectIsExpected()
    {
        assertThatThrownBy(() -> Json.parseObject("[1]"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a JSON object");
    }

    @Test
    void shouldReadBackRandomDocuments()
    {
        final long seed = TestSeeds.seed("shouldReadBackRandomDocuments");
        final Random random = new Random(seed);
        for (int i = 0; i < RANDOM_DOCUMENTS; i++)
        {
            final Map<String, Object> document = randomObject(random, 0);
            final String text = Json.write(document);
            assertThat(text).as("seed %d", seed).doesNotContain("\n");
            assertThat(Json.parseObject(text)).as("seed %d: %s", seed, text).isEqualTo(document);
        }
    }

    private static Object randomValue(final Random random, final int depth)
    {
        switch (random.nextInt(depth < 3 ? 8 : 6))
        {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return random.nextInt(4) == 0 ? (long)random.nextInt(100) : random.nextLong();
            case 3:
                return randomDouble(random);
            case 4:
            case 5:
                return randomString(random);
            case 6:
                final List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--)
                {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            default:
                return randomObject(random, depth + 1);
        }
    }

    private static Map<String, Object> randomObject(final Random random, final int depth)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--)
        {
            map.put(randomString(random), randomValue(random, depth + 1));
        }
        return map;
    }

    private static double randomDouble(final Random random)
    {
        while (true)
        {
            final double value;
            switch (random.nextInt(3))
            {
                case 0:
                    value = random.nextInt(2_000_000) / 100.0 - 10_000;
                    break;
                case 1:
                    value = (double)random.nextInt(1000);
                    break;
                default:
                    value = Double.longBitsToDouble(random.nextLong());
                    break;
            }
            // Not finite is written as null, and -0.0 reads back as 0.0.
            if (Double.isFinite(value) && Double.doubleToLongBits(value) != Double.doubleToLongBits(-0.0))
            {
                return value;
            }
        }
    }

    private static int randomCodePoint(final Random random)
    {
        final int codePoint = random.nextInt(Character.MAX_CODE_POINT + 1);
        return Character.isSurrogate((char)codePoint) && codePoint < Character.MIN_SUPPLEMENTARY_CODE_POINT ?
            'x' : codePoint;
    }

    private static String randomString(final Random random)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--)
        {
            switch (random.nextInt(4))
            {
                case 0:
                    text.append((char)random.nextInt(0x20));
                    break;
                case 1:
                    text.append("\"\\/".charAt(random.nextInt(3)));
                    break;
                case 2:
                    // Any Unicode character, supplementary ones as surrogate pairs: a lone surrogate is not text
                    // (and Jackson's parser rejects one in a key).
                    text.appendCodePoint(randomCodePoint(random));
                    break;
                default:
                    text.append((char)(' ' + random.nextInt(95)));
                    break;
            }
        }
        return text.toString();
    }
}
