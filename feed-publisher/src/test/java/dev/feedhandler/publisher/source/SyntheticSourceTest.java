package dev.feedhandler.publisher.source;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.time.WallClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticSourceTest
{
    private static final long SECOND = 1_000_000_000L;

    /** Records updates as text. */
    static final class Recorder implements UpdateSink
    {
        final List<String> updates = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();

        @Override
        public void onQuote(final int id, final long bid, final long bidSize, final long ask, final long askSize,
            final long ts)
        {
            updates.add("Q " + id + " " + bid + "x" + bidSize + " " + ask + "x" + askSize);
            timestamps.add(ts);
        }

        @Override
        public void onTrade(final int id, final AggressorSide side, final long price, final long size,
            final long tradeId, final long ts)
        {
            updates.add("T " + id + " " + side + " " + price + "x" + size + " #" + tradeId);
            timestamps.add(ts);
        }
    }

    private static SyntheticSource source(final InstrumentRegistry registry, final long rate, final long seed,
        final int burst)
    {
        return new SyntheticSource(new SyntheticConfiguration(25, rate, seed, 0.3, burst, Duration.ofSeconds(1), 0),
            registry, WallClock.shared());
    }

    @Test
    void shouldStartWithTheRealSymbolsThenGeneratedOnes()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        source(registry, 1000, 1, 0);
        assertThat(registry.instruments()).extracting(Instrument::symbol).startsWith(
            "EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCHF", "USDCAD", "NZDUSD", "EURGBP", "EURJPY", "GBPJPY");
        assertThat(registry.instruments()).extracting(Instrument::symbol)
            .contains("SYM0001").endsWith("SYM0004", "SYM0005");
        assertThat(registry.instruments()).extracting(Instrument::id).containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 25).boxed().toList());
    }

    @Test
    void shouldGiveTheSameUpdatesForTheSameSeedWhateverTheRate()
    {
        final Recorder paced = new Recorder();
        final SyntheticSource slow = source(new InstrumentRegistry(), 1000, 42, 0);
        long now = 0;
        while (paced.updates.size() < 5000)
        {
            slow.poll(paced, 7, now);
            now += SECOND / 100;
        }
        final Recorder fast = new Recorder();
        final SyntheticSource max = source(new InstrumentRegistry(), Long.MAX_VALUE, 42, 0);
        while (fast.updates.size() < 5000)
        {
            max.poll(fast, 1000, 0);
        }
        assertThat(fast.updates.subList(0, 5000)).isEqualTo(paced.updates.subList(0, 5000));
        assertThat(paced.updates).anyMatch(u -> u.startsWith("T ")).anyMatch(u -> u.startsWith("Q "));

        final Recorder other = new Recorder();
        source(new InstrumentRegistry(), Long.MAX_VALUE, 43, 0).poll(other, 100, 0);
        assertThat(other.updates).isNotEqualTo(fast.updates.subList(0, 100));
    }

    @Test
    void shouldHandOverOnlyWhatIsDueAtTheConfiguredRate()
    {
        final Recorder recorder = new Recorder();
        final SyntheticSource source = source(new InstrumentRegistry(), 1000, 1, 0);
        assertThat(source.poll(recorder, 1000, 5 * SECOND)).isEqualTo(1);
        assertThat(source.poll(recorder, 1000, 5 * SECOND)).isZero();
        assertThat(source.poll(recorder, 1000, 5 * SECOND + SECOND / 2)).isEqualTo(500);
        assertThat(source.poll(recorder, 100, 6 * SECOND)).isEqualTo(100);
        assertThat(source.poll(recorder, 1000, 6 * SECOND)).isEqualTo(400);
        // Intended times are the source timestamps: 1 ms apart at 1000/s.
        assertThat(recorder.timestamps.get(2) - recorder.timestamps.get(1)).isEqualTo(1_000_000L);
    }

    @Test
    void shouldSayWhenItsNextUpdateIsDueSoThatAnIdlePublisherParksUntilThen()
    {
        final Recorder recorder = new Recorder();
        final SyntheticSource source = source(new InstrumentRegistry(), 1000, 1, 0);
        assertThat(source.nextUpdateNs(3 * SECOND)).as("not started: cannot tell").isEqualTo(3 * SECOND);
        source.poll(recorder, 1000, 5 * SECOND);
        assertThat(source.nextUpdateNs(5 * SECOND)).isEqualTo(5 * SECOND + 1_000_000);
        // Each due time is the time at which a poll hands the update over, and none earlier.
        for (int i = 0; i < 1000; i++)
        {
            final long dueNs = source.nextUpdateNs(0);
            assertThat(source.poll(recorder, 1000, dueNs - 1)).as("update %d before its time", i).isZero();
            assertThat(source.poll(recorder, 1000, dueNs)).as("update %d at its time", i).isEqualTo(1);
        }

        final SyntheticSource bursty = source(new InstrumentRegistry(), 1, 1, 500);
        bursty.poll(recorder, 10_000, 0);
        assertThat(bursty.nextUpdateNs(0)).as("the burst every second, with the regular update").isEqualTo(SECOND);
        bursty.poll(recorder, 10_000, SECOND);
        assertThat(bursty.nextUpdateNs(SECOND)).isEqualTo(2 * SECOND);

        final SyntheticSource flatOut = source(new InstrumentRegistry(), Long.MAX_VALUE, 1, 0);
        flatOut.poll(recorder, 10, 0);
        assertThat(flatOut.nextUpdateNs(7)).as("flat out: always ready, nothing to wait for").isEqualTo(7);
    }

    @Test
    void shouldReleaseBurstsOnTopOfTheRate()
    {
        final Recorder recorder = new Recorder();
        final SyntheticSource source = source(new InstrumentRegistry(), 10, 1, 500);
        source.poll(recorder, 10_000, 0);
        assertThat(source.poll(recorder, 10_000, 2 * SECOND)).isEqualTo(1000 + 20);
    }

    @Test
    void shouldGiveTheSameUpdatesAndTimestampsWhenAnchoredWhateverThePollTimes()
    {
        final WallClock clock = WallClock.shared();
        final long base = System.nanoTime();
        final long anchorEpochNs = clock.toEpochNanos(base) + SECOND;
        final SyntheticSource early = source(new InstrumentRegistry(), 20_000, 9, 300);
        final SyntheticSource late = source(new InstrumentRegistry(), 20_000, 9, 300);
        assertThat(early.anchor(anchorEpochNs)).isTrue();
        assertThat(late.anchor(anchorEpochNs)).isTrue();

        final Recorder a = new Recorder();
        assertThat(early.poll(a, 1000, base)).as("nothing is due before the anchor").isZero();
        for (long t = base + SECOND; t < base + 3 * SECOND; t += 7_000_000L)
        {
            while (early.poll(a, 50, t) > 0)
            {
                // Polled often, in small steps.
            }
        }
        // Started two seconds after the anchor: everything due since comes at once, then the same stream goes on.
        final Recorder b = new Recorder();
        while (late.poll(b, 1000, base + 3 * SECOND) > 0)
        {
            // One big catch-up.
        }
        final int common = Math.min(a.updates.size(), b.updates.size());
        assertThat(common).isGreaterThan(40_000);
        assertThat(b.updates.subList(0, common)).isEqualTo(a.updates.subList(0, common));
        assertThat(b.timestamps.subList(0, common)).isEqualTo(a.timestamps.subList(0, common));
        assertThat(a.timestamps.get(0)).isEqualTo(anchorEpochNs);
        assertThat(a.timestamps).as("bursts in time order").isSorted();

        final SyntheticSource flatOut = source(new InstrumentRegistry(), Long.MAX_VALUE, 9, 0);
        assertThat(flatOut.anchor(anchorEpochNs)).as("flat out cannot be anchored").isFalse();
    }

    @Test
    void shouldStopAfterTheCount()
    {
        final Recorder recorder = new Recorder();
        final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(3, Long.MAX_VALUE, 1, 0.1, 0,
            Duration.ofSeconds(1), 250), new InstrumentRegistry(), WallClock.shared());
        while (!source.isExhausted())
        {
            source.poll(recorder, 100, 0);
        }
        assertThat(recorder.updates).hasSize(250);
        assertThat(source.poll(recorder, 100, 0)).isZero();
    }

    @Test
    void shouldKeepPricesPositiveAndTradesInsideTheSpread()
    {
        final Recorder recorder = new Recorder();
        final SyntheticSource source = source(new InstrumentRegistry(), Long.MAX_VALUE, 5, 0);
        for (int i = 0; i < 200; i++)
        {
            source.poll(recorder, 1000, 0);
        }
        for (final String update : recorder.updates)
        {
            if (update.startsWith("Q "))
            {
                final String[] parts = update.split(" ");
                final long bid = Long.parseLong(parts[2].split("x")[0]);
                final long ask = Long.parseLong(parts[3].split("x")[0]);
                assertThat(bid).isPositive();
                assertThat(ask).isGreaterThan(bid);
            }
        }
    }

    @Test
    void shouldRejectInvalidSettingsWithTheFlagName()
    {
        assertThatThrownBy(() -> new SyntheticConfiguration(0, 1, 1, 0.1, 0, Duration.ofSeconds(1), 0))
            .hasMessageContaining("--instruments");
        assertThatThrownBy(() -> new SyntheticConfiguration(1, 1, 1, 1.5, 0, Duration.ofSeconds(1), 0))
            .hasMessageContaining("--trade-ratio");
        assertThatThrownBy(() -> new InstrumentRegistry().register("EUR USD"))
            .hasMessageContaining("EUR USD");
    }
}
