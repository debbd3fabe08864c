package dev.feedhandler.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A registry whose scrapes wait until every metric is registered ({@link #open()}): a process can bind its metrics
 * endpoint first, so that a port in use is a one-line error before anything else starts, and still answer its first
 * scrape with every documented series. A scrape that comes before {@link #open()} is held, at most
 * {@link #MAX_HOLD_MS}, then answered with what is registered.
 */
public final class GatedRegistry extends PrometheusRegistry
{
    /**
     * Longest a scrape waits for the registry to be complete: just under Prometheus' own default scrape timeout
     * (10 s), so a publisher slow to start on a loaded machine (5 s was seen) still answers its first scrape complete.
     */
    public static final long MAX_HOLD_MS = 9_000;

    private final CountDownLatch complete = new CountDownLatch(1);

    /**
     * Lets scrapes through: every metric is registered. Idempotent.
     */
    public void open()
    {
        complete.countDown();
    }

    private void awaitComplete()
    {
        try
        {
            complete.await(MAX_HOLD_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public MetricSnapshots scrape()
    {
        awaitComplete();
        return super.scrape();
    }

    @Override
    public MetricSnapshots scrape(final PrometheusScrapeRequest request)
    {
        awaitComplete();
        return super.scrape(request);
    }

    @Override
    public MetricSnapshots scrape(final Predicate<String> includedNames)
    {
        awaitComplete();
        return super.scrape(includedNames);
    }

    @Override
    public MetricSnapshots scrape(final Predicate<String> includedNames, final PrometheusScrapeRequest request)
    {
        awaitComplete();
        return super.scrape(includedNames, request);
    }
}
