package dev.feedhandler.cli;

import dev.feedhandler.common.testing.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric that docs/observability.md documents exists from the very first scrape of a process's endpoint, at
 * zero where it counts something: dashboards and alert rules written against the documented names must never see a
 * series appear late. Each process is scraped once, as soon as it says where its endpoint is, before any feed
 * traffic: the publisher holds its source for a subscriber that never comes, the subscriber connects to nothing.
 */
@Timeout(120)
class MetricsAtFirstScrapeTest
{
    private static final Pattern METRICS_URL = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:\\d+/metrics)");
    private static final Pattern TABLE_ROW =
        Pattern.compile("^\\| (`[a-z_]+`(?:, `[a-z_]+`)*) \\|([^|]*)\\|([^|]*)\\|");
    private static final Pattern NAME = Pattern.compile("`([a-z_]+)`");

    @TempDir
    Path dir;

    @Test
    void shouldServeEveryDocumentedPublisherMetricAtItsFirstScrape() throws Exception
    {
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", endpoint,
            "--recovery-bind", "tcp://127.0.0.1:" + FeedProcess.freePort(), "--await-subscribers", "1",
            "--await-timeout", "90s", "--metrics-port", "0"))
        {
            checkFirstScrape(publisher, documented("Publisher"));
        }
    }

    @Test
    void shouldServeEveryDocumentedSubscriberMetricAtItsFirstScrape() throws Exception
    {
        // Nothing listens there: the subscriber connects and waits.
        final String endpoint = "tcp://127.0.0.1:" + FeedProcess.freePort();
        try (FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect", endpoint,
            "--duration", "90s", "--metrics-port", "0"))
        {
            final Map<String, Boolean> documented = documented("Subscriber");
            // The documented exceptions: a subscriber learns its topics from the feed (it subscribes to prefixes),
            // so a per-topic series appears when the topic is first seen.
            assertThat(documented.remove("feed_subscriber_topic_updates_received_total")).isTrue();
            assertThat(documented.remove("feed_subscriber_topic_updates_conflated_total")).isTrue();
            checkFirstScrape(subscriber, documented);
        }
    }

    @Test
    void shouldServeEveryDocumentedReplayMetricAtItsFirstScrape() throws Exception
    {
        // A journal with something in it, then a replay that waits for a subscriber that never comes.
        final java.nio.file.Path journal = dir.resolve("journal");
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind",
            "tcp://127.0.0.1:" + FeedProcess.freePort(), "--recovery-bind", "none", "--count", "100",
            "--journal", journal.toString()))
        {
            assertThat(publisher.waitFor(60)).as(publisher.stderr()).isZero();
        }
        try (FeedProcess replay = FeedProcess.start(dir, "replay", "replay", "--journal", journal.toString(),
            "--publish", "tcp://127.0.0.1:" + FeedProcess.freePort(), "--await-subscribers", "1",
            "--await-timeout", "90s", "--metrics-port", "0"))
        {
            checkFirstScrape(replay, documented("Replay"));
            final String base = metricsUrl(replay).replace("/metrics", "");
            final HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(
                HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            final HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"replay\"").contains("replaying");
        }
    }

    /**
     * Scrapes once and checks every documented metric: a metric with labels must at least be declared (its series
     * appear with their label values), one without must be a sample, and a counter's sample must be 0.
     */
    private static void checkFirstScrape(final FeedProcess process, final Map<String, Boolean> documented)
    {
        final PrometheusText first = PrometheusText.scrape(metricsUrl(process));
        final List<String> missing = new ArrayList<>();
        documented.forEach((name, labelled) ->
        {
            final boolean declared = first.types().containsKey(name) ||
                first.types().containsKey(name.replaceAll("_total$", ""));
            if (labelled ? !declared : !first.has(name))
            {
                missing.add(name);
            }
        });
        assertThat(missing).as("documented metrics missing from the first scrape of %s", first.samples().keySet())
            .isEmpty();
        documented.forEach((name, labelled) ->
        {
            if (!labelled && name.endsWith("_total"))
            {
                assertThat(first.value(name)).as(name).isZero();
            }
        });
    }

    /**
     * The metrics of a section of docs/observability.md's "Metric names": name to whether it has labels.
     */
    private static Map<String, Boolean> documented(final String section) throws IOException
    {
        final List<String> lines = Files.readAllLines(FeedProcess.root().resolve("docs/observability.md"));
        final Map<String, Boolean> metrics = new LinkedHashMap<>();
        boolean inSection = false;
        for (final String line : lines)
        {
            if (line.startsWith("### "))
            {
                inSection = line.equals("### " + section);
                continue;
            }
            final Matcher row = TABLE_ROW.matcher(line);
            if (inSection && row.find())
            {
                final boolean labelled = !row.group(3).isBlank();
                final Matcher name = NAME.matcher(row.group(1));
                while (name.find())
                {
                    metrics.put(name.group(1), labelled);
                }
            }
        }
        assertThat(metrics).as("metrics documented under ### " + section).hasSizeGreaterThan(3);
        return metrics;
    }

    private static String metricsUrl(final FeedProcess process)
    {
        final String[] url = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() ->
        {
            for (final String line : process.stderrLines())
            {
                final Matcher matcher = METRICS_URL.matcher(line);
                if (matcher.find())
                {
                    url[0] = matcher.group(1);
                    return true;
                }
            }
            return false;
        });
        return url[0];
    }
}
