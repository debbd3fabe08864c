package dev.feedhandler.publisher.source.csv;

import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.ReplaySpeed;
import dev.feedhandler.publisher.source.csv.RecordingSink.Update;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pacing, driven by synthetic {@code nowNs} values: which updates are due when.
 */
@Timeout(30)
class CsvPacingTest
{
    private static final long MS = 1_000_000L;
    private static final long JAN_2_2024_NS = 1_704_153_600_000_000_000L;

    /** Close to the top of the nanoTime range, so that the pacing must compare differences, not values. */
    private static final long START_NS = Long.MAX_VALUE - 4 * MS;

    @TempDir
    Path dir;

    private Path file;

    private Path ticks()
    {
        // Offsets from the first tick: 0, 0, 1 ms, 5 ms, 3 ms (back in time), 10 ms.
        return CsvFiles.lines(dir, "ticks.csv",
            "timestamp,symbol,bid,ask",
            "2024-01-02T00:00:00.000Z,A,1,2",
            "2024-01-02T00:00:00.000Z,B,1,2",
            "2024-01-02T00:00:00.001Z,A,1,2",
            "2024-01-02T00:00:00.005Z,A,1,2",
            "2024-01-02T00:00:00.003Z,A,1,2",
            "2024-01-02T00:00:00.010Z,A,1,2");
    }

    private CsvSource source(final double speed)
    {
        file = ticks();
        return new CsvSource(CsvConfiguration.defaults(file).withSpeed(speed), new InstrumentRegistry());
    }

    @Test
    void shouldReplayAtRecordedPace()
    {
        try (CsvSource source = source(1))
        {
            final RecordingSink sink = new RecordingSink();
            assertThat(source.poll(sink, 100, START_NS)).as("the first ticks are due at start").isEqualTo(2);
            assertThat(source.poll(sink, 100, START_NS + MS - 1)).isZero();
            assertThat(source.poll(sink, 100, START_NS + MS)).isEqualTo(1);
            assertThat(source.poll(sink, 100, START_NS + 5 * MS - 1)).isZero();
            assertThat(source.poll(sink, 100, START_NS + 5 * MS)).as("5 ms, and 3 ms which went back").isEqualTo(2);
            assertThat(source.poll(sink, 100, START_NS + 10 * MS - 1)).isZero();
            assertThat(source.isExhausted()).isFalse();
            assertThat(source.poll(sink, 100, START_NS + 10 * MS)).isEqualTo(1);
            assertThat(source.poll(sink, 100, START_NS + 11 * MS)).isZero();
            assertThat(source.isExhausted()).isTrue();

            assertThat(sink.updates).extracting(Update::timestampNs).as("the file's timestamps").containsExactly(
                JAN_2_2024_NS, JAN_2_2024_NS, JAN_2_2024_NS + MS, JAN_2_2024_NS + 5 * MS, JAN_2_2024_NS + 3 * MS,
                JAN_2_2024_NS + 10 * MS);
        }
    }

    @Test
    void shouldReplayFasterAtASpeedMultiple()
    {
        try (CsvSource source = source(10))
        {
            final RecordingSink sink = new RecordingSink();
            assertThat(source.poll(sink, 100, START_NS)).isEqualTo(2);
            assertThat(source.poll(sink, 100, START_NS + MS / 10 - 1)).isZero();
            assertThat(source.poll(sink, 100, START_NS + MS / 10)).isEqualTo(1);
            assertThat(source.poll(sink, 100, START_NS + MS / 2)).isEqualTo(2);
            assertThat(source.poll(sink, 100, START_NS + MS - 1)).isZero();
            assertThat(source.poll(sink, 100, START_NS + MS)).isEqualTo(1);
            assertThat(source.isExhausted()).isTrue();
        }
    }

    @Test
    void shouldReplaySlowerAtAFractionalSpeed()
    {
        try (CsvSource source = source(0.5))
        {
            final RecordingSink sink = new RecordingSink();
            assertThat(source.poll(sink, 100, START_NS)).isEqualTo(2);
            assertThat(source.poll(sink, 100, START_NS + 2 * MS - 1)).isZero();
            assertThat(source.poll(sink, 100, START_NS + 2 * MS)).isEqualTo(1);
        }
    }

    @Test
    void shouldReplayEverythingAtOnceAtMaxSpeed()
    {
        try (CsvSource source = source(CsvConfiguration.MAX_SPEED))
        {
            final RecordingSink sink = new RecordingSink();
            assertThat(source.poll(sink, 4, START_NS)).as("only the poll limit holds it back").isEqualTo(4);
            assertThat(source.poll(sink, 100, START_NS)).isEqualTo(2);
            assertThat(source.isExhausted()).isTrue();
            assertThat(source.statistics()).containsEntry("speed", "max");
        }
    }

    @Test
    void shouldReplayEverythingAtOnceAtAFiniteSpeedLargerThanTheFileSpan()
    {
        for (final double speed : new double[]{1e300, Double.MAX_VALUE})
        {
            try (CsvSource source = source(speed))
            {
                final RecordingSink sink = new RecordingSink();
                assertThat(source.poll(sink, 100, START_NS)).as("speed %s", speed).isEqualTo(6);
                assertThat(source.isExhausted()).isTrue();
                assertThat(source.statistics()).containsEntry("speed", speed);
            }
        }
    }

    @Test
    void shouldPaceAtTheSlowestSpeedWithoutOverflowNearTheTopOfTheClock()
    {
        try (CsvSource source = source(ReplaySpeed.MIN_SPEED))
        {
            final RecordingSink sink = new RecordingSink();
            // 1 ms of the file takes 100 s, less the rounding of 0.00001 in binary, rounded down to whole ns.
            final long oneMsOfFileNs = (long)(MS / ReplaySpeed.MIN_SPEED);
            assertThat(oneMsOfFileNs).isBetween(100_000_000_000L - 1, 100_000_000_000L);
            assertThat(source.poll(sink, 100, START_NS)).isEqualTo(2);
            assertThat(source.nextUpdateNs(START_NS) - START_NS).isEqualTo(oneMsOfFileNs);
            assertThat(source.poll(sink, 100, START_NS + oneMsOfFileNs - 1)).isZero();
            assertThat(source.poll(sink, 100, START_NS + oneMsOfFileNs)).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseASpeedBelowTheSlowest()
    {
        final CsvConfiguration configuration = CsvConfiguration.defaults(ticks());
        for (final double speed : new double[]{1e-300, ReplaySpeed.MIN_SPEED / 2, Double.NaN, -1, 0})
        {
            assertThatThrownBy(() -> configuration.withSpeed(speed)).as("speed %s", speed)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--speed must be a positive number of at least 0.00001 (one second");
        }
    }

    @Test
    void shouldStartTheClockAtTheFirstPoll()
    {
        try (CsvSource source = source(1))
        {
            final RecordingSink sink = new RecordingSink();
            final long lateStartNs = 42 * MS;
            assertThat(source.poll(sink, 100, lateStartNs)).isEqualTo(2);
            assertThat(source.poll(sink, 100, lateStartNs + MS - 1)).isZero();
            assertThat(source.poll(sink, 100, lateStartNs + MS)).isEqualTo(1);
        }
    }

    @Test
    void shouldCatchUpAllDueUpdatesAfterALatePoll()
    {
        try (CsvSource source = source(1))
        {
            final RecordingSink sink = new RecordingSink();
            assertThat(source.poll(sink, 100, START_NS)).isEqualTo(2);
            assertThat(source.poll(sink, 100, START_NS + 20 * MS)).isEqualTo(4);
            assertThat(source.isExhausted()).isTrue();
        }
    }
}
