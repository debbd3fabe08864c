package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.csv.CsvConfiguration.EpochUnit;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timestamp parsers against java.time, on random times with a printed seed.
 */
class TimestampParserTest
{
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final long MIN_SECOND = LocalDateTime.of(1970, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long MAX_SECOND = LocalDateTime.of(2200, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    private static long parse(final TimestampParser parser, final String text)
    {
        final byte[] bytes = ("##" + text + "##").getBytes(StandardCharsets.ISO_8859_1);
        return parser.parse(bytes, 2, bytes.length - 2);
    }

    private static long nanos(final Instant instant)
    {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static long seed()
    {
        final long seed = Long.getLong("csv.seed", System.nanoTime());
        System.out.println("TimestampParserTest seed: " + seed + " (rerun with -Dcsv.seed=" + seed + ")");
        return seed;
    }

    @Test
    void shouldReadFixedPatternsAsDateTimeFormatterDoes()
    {
        final long seed = seed();
        final SplittableRandom random = new SplittableRandom(seed);
        final String[] patterns = {
            "yyyyMMdd HH:mm:ss.SSS",
            "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS",
            "dd/MM/yyyy HH:mm:ss",
            "yyMMddHHmmss",
            "d.M.uuuu H:m:s.SSSSSS",
            "''yyyy.MM.dd'' HH-mm"
        };
        final ZoneId[] zones = {UTC, ZoneId.of("Europe/London"), ZoneId.of("America/New_York"),
            ZoneId.of("+05:30")};
        for (final String pattern : patterns)
        {
            for (final ZoneId zone : zones)
            {
                final TimestampParser parser = TimestampParser.create(pattern, zone, EpochUnit.NS);
                assertThat(parser.allocates()).as(pattern).isFalse();
                final DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(zone);
                for (int i = 0; i < 2_000; i++)
                {
                    final long second = random.nextLong(MIN_SECOND + 86_400, pattern.startsWith("yyMM") ?
                        LocalDateTime.of(2099, 12, 31, 0, 0).toEpochSecond(ZoneOffset.UTC) : MAX_SECOND);
                    final Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
                    final String text = formatter.format(instant);
                    final long expected = nanos(Instant.from(formatter.parse(text)));
                    assertThat(parse(parser, text)).as("seed %d, pattern %s, zone %s, text %s", seed, pattern,
                        zone, text).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldReadIsoTimesWithAnyFractionAndOffset()
    {
        final long seed = seed();
        final SplittableRandom random = new SplittableRandom(seed);
        final TimestampParser parser = TimestampParser.create(null, UTC, EpochUnit.NS);
        for (int i = 0; i < 20_000; i++)
        {
            final Instant instant = Instant.ofEpochSecond(random.nextLong(MIN_SECOND + 86_400, MAX_SECOND),
                random.nextInt(1_000_000_000));
            final int digits = random.nextInt(10);
            final ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            final String fraction = digits == 0 ? "" : "." + String.format("%09d", instant.getNano())
                .substring(0, digits);
            final String offsetText = offset.getTotalSeconds() == 0 && random.nextBoolean() ? "Z" :
                random.nextBoolean() ? offset.getId().replace("Z", "+00:00") :
                offset.getId().replace("Z", "+00:00").replace(":", "");
            final String text = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(
                instant.atOffset(offset)) + fraction + offsetText;
            long truncatedNano = instant.getNano();
            for (int k = digits; k < 9; k++)
            {
                truncatedNano /= 10;
            }
            for (int k = digits; k < 9; k++)
            {
                truncatedNano *= 10;
            }
            final long expected = instant.getEpochSecond() * 1_000_000_000L + truncatedNano;
            assertThat(parse(parser, text)).as("seed %d: %s", seed, text).isEqualTo(expected);
        }
    }

    @Test
    void shouldReadIsoTimesWithoutOffsetInTheZone()
    {
        final TimestampParser london = TimestampParser.create(null, ZoneId.of("Europe/London"), EpochUnit.NS);

        assertThat(parse(london, "2024-07-01T12:00:00")).isEqualTo(nanos(Instant.parse("2024-07-01T11:00:00Z")));
        assertThat(parse(london, "2024-01-01 12:00")).isEqualTo(nanos(Instant.parse("2024-01-01T12:00:00Z")));
    }

    @Test
    void shouldFollowDaylightSavingChangesWhenReplayingForward()
    {
        final ZoneId london = ZoneId.of("Europe/London");
        final TimestampParser parser = TimestampParser.create("yyyy-MM-dd HH:mm:ss", london, EpochUnit.NS);
        final DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        // Every 7 minutes through 2024, across both changes (a gap in March, an overlap in October).
        for (LocalDateTime local = LocalDateTime.of(2024, 1, 1, 0, 0); local.getYear() == 2024;
            local = local.plusMinutes(7))
        {
            final long expected = nanos(ZonedDateTime.ofLocal(local, london, null).toInstant());
            assertThat(parse(parser, format.format(local))).as("%s", local).isEqualTo(expected);
        }
    }

    @Test
    void shouldTakeTheEarlierOffsetInAnOverlapWhateverWasReadBefore()
    {
        final ZoneId newYork = ZoneId.of("America/New_York");
        final TimestampParser parser = TimestampParser.create("dd/MM/yyyy HH:mm:ss", newYork, EpochUnit.NS);
        // The seed that once failed (69372978829708): a time after the 2070 fall-back read first keeps the
        // standard offset, then a time in the repeated hour must still take daylight time, as java.time does.
        parse(parser, "02/11/2070 03:00:00");
        assertThat(parse(parser, "02/11/2070 01:32:02")).isEqualTo(3182131922_000_000_000L)
            .isEqualTo(nanos(ZonedDateTime.ofLocal(LocalDateTime.of(2070, 11, 2, 1, 32, 2), newYork, null)
            .toInstant()));
        // Both edges of the overlap, each after a time that keeps the later offset.
        for (final String text : new String[] {"02/11/2070 01:00:00", "02/11/2070 01:59:59", "02/11/2070 02:00:00"})
        {
            parse(parser, "03/11/2070 12:00:00");
            final LocalDateTime local = LocalDateTime.parse(text, DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss"));
            assertThat(parse(parser, text)).as(text)
                .isEqualTo(nanos(ZonedDateTime.ofLocal(local, newYork, null).toInstant()));
        }
        // A time in the spring gap read after a later one moves forward by the gap.
        parse(parser, "10/03/2070 12:00:00");
        assertThat(parse(parser, "09/03/2070 02:30:00"))
            .isEqualTo(nanos(ZonedDateTime.ofLocal(LocalDateTime.of(2070, 3, 9, 2, 30), newYork, null).toInstant()));
    }

    @Test
    void shouldRejectDatesThatDoNotExist()
    {
        final TimestampParser iso = TimestampParser.create(null, UTC, EpochUnit.NS);
        final TimestampParser pattern = TimestampParser.create("yyyyMMdd HH:mm:ss", UTC, EpochUnit.NS);

        assertThat(parse(iso, "2024-02-29T00:00:00Z")).isPositive();
        assertThat(parse(iso, "2023-02-29T00:00:00Z")).isEqualTo(TimestampParser.INVALID);
        assertThat(parse(iso, "2024-04-31T00:00:00Z")).isEqualTo(TimestampParser.INVALID);
        assertThat(parse(iso, "2024-01-01T24:00:00Z")).isEqualTo(TimestampParser.INVALID);
        assertThat(parse(iso, "2024-01-01T00:00:60Z")).isEqualTo(TimestampParser.INVALID);
        assertThat(parse(pattern, "20240230 00:00:00")).isEqualTo(TimestampParser.INVALID);
        assertThat(parse(pattern, "20240101 00:00:0")).isEqualTo(TimestampParser.MALFORMED);
        assertThat(parse(pattern, "20240101 00:00:00 ")).isEqualTo(TimestampParser.MALFORMED);
    }

    @Test
    void shouldRejectMalformedIsoTimes()
    {
        final TimestampParser iso = TimestampParser.create(null, UTC, EpochUnit.NS);

        for (final String text : new String[]{"2024-01-02", "2024-01-02T00", "2024-01-02X00:00:00Z",
            "2024-01-02T00:00:00.Z", "2024-01-02T00:00:00.1234567891Z", "2024-01-02T00:00:00+1", "2024-1-02T00:00Z",
            "2024-01-02T00:00:00ZZ", "2024-01-02T00:00:00+19:00", "", "-", "12a"})
        {
            assertThat(parse(iso, text)).as(text).isEqualTo(TimestampParser.MALFORMED);
        }
        assertThat(parse(iso, "1969-12-31T23:59:59.999999999Z")).isEqualTo(TimestampParser.OUT_OF_RANGE);
        assertThat(parse(iso, "2262-04-12T00:00:00Z")).isEqualTo(TimestampParser.OUT_OF_RANGE);
    }

    @Test
    void shouldReadEpochNumbersInEachUnitWithFractions()
    {
        final long jan2 = 1_704_153_600_000_000_000L;

        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.S), "1704153600")).isEqualTo(jan2);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.S), "1704153600.000000001"))
            .isEqualTo(jan2 + 1);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.S), "1704153600.5000000000"))
            .isEqualTo(jan2 + 500_000_000);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.S), "1704153600.0000000001"))
            .isEqualTo(TimestampParser.MALFORMED);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.MS), "1704153600000.25"))
            .isEqualTo(jan2 + 250_000);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.US), "1704153600000000"))
            .isEqualTo(jan2);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.NS), "9223372036854775807"))
            .isEqualTo(TimestampParser.OUT_OF_RANGE);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.NS), "9223372036854775806"))
            .isEqualTo(9_223_372_036_854_775_806L);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.S), "9223372037"))
            .isEqualTo(TimestampParser.OUT_OF_RANGE);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.NS), "1704153600.5"))
            .isEqualTo(TimestampParser.MALFORMED);
        assertThat(parse(TimestampParser.create(null, UTC, EpochUnit.NS), "-5"))
            .isEqualTo(TimestampParser.MALFORMED);
    }

    @Test
    void shouldUseTheJavaTimeFallbackOnlyForPatternsTheFastParserCannotRead()
    {
        assertThat(TimestampParser.create("yyyyMMdd HH:mm:ss.SSS", UTC, EpochUnit.NS).allocates()).isFalse();
        assertThat(TimestampParser.create("dd MMM yyyy HH:mm:ss", UTC, EpochUnit.NS).allocates()).isTrue();
        assertThat(TimestampParser.create("yyyy-MM-dd'T'HH:mm:ssXXX", UTC, EpochUnit.NS).allocates()).isTrue();
        assertThat(TimestampParser.create("yyyyMMdH", UTC, EpochUnit.NS).allocates())
            .as("a 1-2 digit field next to another number is ambiguous").isTrue();
    }
}
