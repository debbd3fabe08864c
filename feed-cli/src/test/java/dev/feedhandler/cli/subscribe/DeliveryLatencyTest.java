package dev.feedhandler.cli.subscribe;

import dev.feedhandler.common.latency.LatencyReport;
import dev.feedhandler.subscriber.Delivery;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ages of delivered quotes are recorded a run of same-bucket ages at a time (flat out, most quotes of a batch
 * share a bucket with their neighbour): the histogram must be the one that recording each quote's age gives.
 */
@Timeout(10)
class DeliveryLatencyTest
{
    private static final long NOW_NS = 1_800_000_000_000_000_000L;

    @Test
    void shouldRecordTheSameAgeHistogramAsOneRecordPerQuote()
    {
        final EpochNanoClock clock = () -> NOW_NS;
        final DeliveryLatency latency = new DeliveryLatency(clock, null, null);
        final Histogram expected = LatencyReport.newHistogram();
        final Random random = new Random(42);
        for (int batch = 0; batch < 2_000; batch++)
        {
            final int quotes = 1 + random.nextInt(300);
            // Ages from 1 ns to 20 s, quotes of a batch close together (flat out: 100 ns apart), some far apart.
            final long oldestNs = 1 + (long)(Math.pow(10, random.nextInt(11)) * random.nextDouble());
            final long stepNs = random.nextBoolean() ? 100 : 1 + random.nextInt(1_000_000);
            latency.onBatchStart(null, 1, quotes, NOW_NS - 1_000, Delivery.LIVE);
            for (int i = 0; i < quotes; i++)
            {
                final long ageNs = Math.max(0, oldestNs - i * stepNs);
                latency.onUpdate(NOW_NS - ageNs);
                latency.onQuote(NOW_NS - ageNs);
                expected.recordValue(Math.max(1, ageNs));
            }
            latency.recordBatch();
        }

        assertThat(latency.age().getTotalCount()).isEqualTo(expected.getTotalCount()).isGreaterThan(100_000);
        assertThat(latency.age()).isEqualTo(expected);
        assertThat(latency.age().getValueAtPercentile(99)).isEqualTo(expected.getValueAtPercentile(99));
        assertThat(latency.age().getMaxValue()).isEqualTo(expected.getMaxValue());
        assertThat(latency.age().getMinNonZeroValue()).isEqualTo(expected.getMinNonZeroValue());
    }
}
