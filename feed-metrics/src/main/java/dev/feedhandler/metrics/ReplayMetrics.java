package dev.feedhandler.metrics;

import dev.feedhandler.publisher.replay.ReplayProgress;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The metrics of {@code feed replay}, read at scrape time from its {@link ReplayProgress}: journal entries read,
 * batches and updates replayed (printed or published), and, when it publishes, the subscribers connected.
 */
public final class ReplayMetrics
{
    private ReplayMetrics()
    {
    }

    /**
     * Registers the replay's metrics.
     *
     * @param registry    where.
     * @param progress    the replay's progress.
     * @param subscribers the subscribers of the replay's socket (0 when printing).
     */
    public static void register(final PrometheusRegistry registry, final ReplayProgress progress,
        final IntSupplier subscribers)
    {
        counter(registry, "feed_replay_entries_read_total", "Journal entries read", progress,
            ReplayProgress::entries);
        counter(registry, "feed_replay_batches_total", "Batches replayed (printed or published)", progress,
            ReplayProgress::batches);
        counter(registry, "feed_replay_updates_total", "Updates replayed (printed or published)", progress,
            ReplayProgress::updates);
        GaugeWithCallback.builder()
            .name("feed_replay_subscribers")
            .help("Subscribers of the replay's socket that announced themselves (0 when printing)")
            .callback(callback -> callback.call(subscribers.getAsInt()))
            .register(registry);
    }

    private static void counter(final PrometheusRegistry registry, final String name, final String help,
        final ReplayProgress progress, final ToLongFunction<ReplayProgress> value)
    {
        CounterWithCallback.builder()
            .name(name)
            .help(help)
            .callback(callback -> callback.call(value.applyAsLong(progress)))
            .register(registry);
    }

    /**
     * The status line of {@code --stats-interval}: rate since the last line and totals.
     *
     * @param progress the replay's progress.
     * @return a line builder that remembers the previous reading; for one printer thread.
     */
    public static Supplier<String> statusLine(final ReplayProgress progress)
    {
        final long[] last = {0, System.nanoTime()};
        return () ->
        {
            final long nowNs = System.nanoTime();
            final long updates = progress.updates();
            final long rate = StatsPrinter.ratePerSecond(last[0], updates, nowNs - last[1]);
            last[0] = updates;
            last[1] = nowNs;
            return "feed replay: rate " + rate + "/s total " + updates + " batches " + progress.batches() +
                " entries " + progress.entries();
        };
    }
}
