package dev.feedhandler.journal.kafka;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds a seek starts from: known records of an instrument in a session bracket a range's start, other
 * instruments and sessions are not confused with it, and memory stays bounded.
 */
class SeekPointsTest
{
    private static final byte[] EURUSD = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GBPUSD = "GBPUSD".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldBracketARangeByTheRecordsSeen()
    {
        final SeekPoints points = new SeekPoints();
        points.sessionStart(EURUSD, 7, 100);
        // Batches ending at sequences 10, 20, 30 at offsets 200, 400, 600.
        points.add(EURUSD, 7, 200, 10);
        points.add(EURUSD, 7, 400, 20);
        points.add(EURUSD, 7, 600, 30);

        assertThat(points.sessionStart(EURUSD, 7)).isEqualTo(100);
        assertThat(points.lowerBound(EURUSD, 7, 15, 100)).isEqualTo(201);
        assertThat(points.upperBound(EURUSD, 7, 15, 10_000)).isEqualTo(400);
        assertThat(points.lowerBound(EURUSD, 7, 31, 100)).isEqualTo(601);
        assertThat(points.upperBound(EURUSD, 7, 31, 10_000)).isEqualTo(10_000);
        assertThat(points.lowerBound(EURUSD, 7, 1, 100)).isEqualTo(100);
        assertThat(points.upperBound(EURUSD, 7, 1, 10_000)).isEqualTo(200);
        assertThat(points.seen(EURUSD, 7)).isTrue();

        // Another instrument, another session: nothing known.
        assertThat(points.seen(GBPUSD, 7)).isFalse();
        assertThat(points.lowerBound(GBPUSD, 7, 15, 100)).isEqualTo(100);
        assertThat(points.upperBound(EURUSD, 8, 15, 10_000)).isEqualTo(10_000);
        assertThat(points.sessionStart(EURUSD, 8)).isEqualTo(-1);

        points.clear();
        assertThat(points.seen(EURUSD, 7)).isFalse();
        assertThat(points.lowerBound(EURUSD, 7, 15, 100)).isEqualTo(100);
    }

    @Test
    void shouldKeepTheNewestPointsAndTheRecentSessionsOnly()
    {
        final SeekPoints points = new SeekPoints();
        for (int i = 1; i <= SeekPoints.MAX_POINTS + 1; i++)
        {
            points.add(EURUSD, 7, 100L * i, 10L * i);
        }
        // The first point (offset 100, sequence 10) is dropped: nothing below sequence 20 is bracketed from above now.
        assertThat(points.upperBound(EURUSD, 7, 5, 10_000)).isEqualTo(200);
        assertThat(points.lowerBound(EURUSD, 7, 15, 0)).isZero();

        for (long epoch = 100; epoch < 100 + SeekPoints.MAX_SESSIONS; epoch++)
        {
            points.add(EURUSD, epoch, 1, 1);
        }
        assertThat(points.size()).isEqualTo(SeekPoints.MAX_SESSIONS);
        assertThat(points.seen(EURUSD, 7)).as("the least recently used session, dropped").isFalse();
    }
}
