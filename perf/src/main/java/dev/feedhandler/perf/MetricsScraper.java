package dev.feedhandler.perf;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A benchmark's stand-in for a Prometheus server: its processes are measured while they are being scraped.
 */
final class MetricsScraper
{
    private MetricsScraper()
    {
    }

    /**
     * Scrapes every metrics endpoint once a second while the run lasts, as a Prometheus server would.
     */
    static Thread start(final List<Integer> ports, final AtomicBoolean running)
    {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        final Thread thread = new Thread(() ->
        {
            while (running.get())
            {
                for (final int port : ports)
                {
                    try
                    {
                        client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                    }
                    catch (final IOException ex)
                    {
                        // not up yet, or gone: the next round tries again
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
                try
                {
                    Thread.sleep(1000);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }, "bench-scraper");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
