package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operations kit against a real Prometheus server (Debian's {@code prometheus}; skipped where it is not
 * installed, and {@code scripts/test-tools} installs it): it scrapes a running publisher (with a journal) and a
 * subscriber (started from a config file, logging JSON), every series the alerts and the dashboard use is queried
 * through its HTTP API, every panel of ops/grafana/feed.json returns data, and when the publisher is killed the
 * FeedStale alert of ops/prometheus/alerts.yml fires while the subscriber's {@code /ready} turns 503.
 * <p>
 * Scrapes and rule evaluations run every second, and every alert's {@code for:} is cut to 1 s in the rules the
 * server loads (the file's own durations are checked by promtool in {@link OperationsKitTest}).
 */
@Timeout(180)
class PrometheusEndToEndTest
{
    private static final Pattern METRICS_PORT = Pattern.compile("metrics on http:\\\\?/\\\\?/127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern FOR = Pattern.compile("(?m)^(\\s+for:\\s*)\\S+$");
    /** What Grafana puts in for {@code $__rate_interval}; with a 1 s scrape interval, 5 s holds several samples. */
    private static final String RATE_INTERVAL = "5s";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void shouldScrapeTheFeedAnswerEveryDashboardQueryAndFireTheStaleAlertWhenThePublisherDies() throws Exception
    {
        final Path prometheusBinary = ExternalTool.find("prometheus");
        assumeTrue(prometheusBinary != null, "prometheus is not installed (scripts/test-tools installs Debian's)");

        final String feed = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final String recovery = "tcp://127.0.0.1:" + FeedProcess.freePort();
        final Path subscriberConfig = Files.write(dir.resolve("subscriber.conf"), List.of(
            "connect = " + feed,
            "recovery-connect = " + recovery,
            "heartbeat-interval = 200ms",
            "metrics-port = 0",
            "log-format = json"));
        try (FeedProcess publisher = FeedProcess.start(dir, "pub", "publish", "--bind", feed, "--recovery-bind",
            recovery, "--journal", dir.resolve("journal").toString(), "--rate", "2000", "--instruments", "5",
            "--heartbeat-interval", "200ms", "--metrics-port", "0", "--expected-subscribers", "1");
            FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--config",
                subscriberConfig.toString()))
        {
            final int publisherPort = metricsPort(publisher);
            final int subscriberPort = metricsPort(subscriber);
            try (Prometheus prometheus = Prometheus.start(prometheusBinary, dir, publisherPort, subscriberPort))
            {
                await().atMost(WAIT).until(() -> prometheus.values("up").size() == 2 &&
                    prometheus.values("up").stream().allMatch(value -> value == 1.0));
                await().atMost(WAIT).until(() -> positive(prometheus.values("feed_publisher_updates_published_total"))
                    && positive(prometheus.values("feed_subscriber_updates_received_total")));
                assertThat(prometheus.values("feed_publisher_subscribers_expected")).containsExactly(1.0);
                assertThat(prometheus.values("feed_subscriber_stale")).containsExactly(0.0);
                // Exported with the journal; nothing released while the journal is shorter than the 256 MiB kept.
                assertThat(prometheus.values("feed_journal_page_cache_released_bytes_total")).containsExactly(0.0);

                // Every panel's query returns data (rates need a few samples: wait for all of them together).
                final List<String> queries = dashboardQueries();
                final List<String> empty = new ArrayList<>();
                await().atMost(WAIT).until(() ->
                {
                    empty.clear();
                    for (final String query : queries)
                    {
                        if (prometheus.query(query).isEmpty())
                        {
                            empty.add(query);
                        }
                    }
                    return empty.isEmpty();
                });
                assertThat(empty).as("dashboard queries without data").isEmpty();
                assertThat(prometheus.firing()).doesNotContain("FeedStale");
                assertThat(FeedHttp.get(subscriberPort, "/ready").statusCode()).isEqualTo(200);
                assertThat(subscriber.stderrLines()).isNotEmpty()
                    .allSatisfy(line -> assertThat(Json.parseObject(line)).containsKeys("level", "formattedMessage"));

                publisher.signal("KILL");

                await().atMost(WAIT).until(() -> prometheus.firing().contains("FeedStale"));
                assertThat(prometheus.values("feed_subscriber_stale")).containsExactly(1.0);
                final HttpResponse<String> ready = FeedHttp.get(subscriberPort, "/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("\"notStale\":false");
                assertThat(FeedHttp.get(subscriberPort, "/health").statusCode()).isEqualTo(200);
            }
        }
    }

    /**
     * Every query of every panel of the dashboard, with Grafana's {@code $__rate_interval} filled in.
     */
    @SuppressWarnings("unchecked")
    static List<String> dashboardQueries() throws IOException
    {
        final Map<String, Object> dashboard = Json.parseObject(
            Files.readString(FeedProcess.root().resolve("ops/grafana/feed.json")));
        final List<String> queries = new ArrayList<>();
        for (final Map<String, Object> panel : (List<Map<String, Object>>)dashboard.get("panels"))
        {
            for (final Map<String, Object> target : (List<Map<String, Object>>)panel.get("targets"))
            {
                queries.add(((String)target.get("expr")).replace("$__rate_interval", RATE_INTERVAL));
            }
        }
        return queries;
    }

    private static boolean positive(final List<Double> values)
    {
        return !values.isEmpty() && values.stream().allMatch(value -> value > 0);
    }

    private static int metricsPort(final FeedProcess process)
    {
        final int[] port = new int[1];
        await().atMost(WAIT).until(() ->
        {
            for (final String line : process.stderrLines())
            {
                final Matcher matcher = METRICS_PORT.matcher(line);
                if (matcher.find())
                {
                    port[0] = Integer.parseInt(matcher.group(1));
                    return true;
                }
            }
            return false;
        });
        return port[0];
    }

    /** GETs on a feed process's metrics port. */
    static final class FeedHttp
    {
        private FeedHttp()
        {
        }

        static HttpResponse<String> get(final int port, final String path) throws IOException, InterruptedException
        {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * A Prometheus server in a child process, scraping the two feed processes every second and evaluating
     * ops/prometheus/alerts.yml (with every {@code for:} cut to 1 s) every second.
     */
    private static final class Prometheus implements AutoCloseable
    {
        private final Process process;
        private final Path log;
        private final String api;

        private Prometheus(final Process process, final Path log, final int port)
        {
            this.process = process;
            this.log = log;
            this.api = "http://127.0.0.1:" + port;
        }

        static Prometheus start(final Path binary, final Path dir, final int publisherPort, final int subscriberPort)
            throws IOException
        {
            final String rules = Files.readString(FeedProcess.root().resolve("ops/prometheus/alerts.yml"));
            Files.writeString(dir.resolve("alerts.yml"), FOR.matcher(rules).replaceAll("$11s"));
            final Path config = Files.write(dir.resolve("prometheus.yml"), List.of(
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - alerts.yml",
                "scrape_configs:",
                "  - job_name: feed-publisher",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + publisherPort + "']",
                "  - job_name: feed-subscriber",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + subscriberPort + "']"));
            final int port = FeedProcess.freePort();
            final Path log = dir.resolve("prometheus.log");
            final Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            final Prometheus prometheus = new Prometheus(process, log, port);
            try
            {
                await().atMost(WAIT).ignoreExceptionsInstanceOf(IOException.class).until(() ->
                {
                    if (!process.isAlive())
                    {
                        throw new AssertionError("prometheus exited: " + Files.readString(log));
                    }
                    return prometheus.get("/-/ready").statusCode() == 200;
                });
            }
            catch (final RuntimeException | Error ex)
            {
                prometheus.close();
                throw ex;
            }
            return prometheus;
        }

        private HttpResponse<String> get(final String path) throws IOException, InterruptedException
        {
            return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        }

        /** An instant query's result: one element per series. */
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> query(final String promql) throws IOException, InterruptedException
        {
            final HttpResponse<String> response =
                get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(promql + ": " + response.body()).isEqualTo(200);
            final Map<String, Object> body = Json.parseObject(response.body());
            assertThat(body.get("status")).isEqualTo("success");
            return (List<Map<String, Object>>)((Map<String, Object>)body.get("data")).get("result");
        }

        /** The values of an instant query, one per series. */
        @SuppressWarnings("unchecked")
        List<Double> values(final String promql) throws IOException, InterruptedException
        {
            final List<Double> values = new ArrayList<>();
            for (final Map<String, Object> series : query(promql))
            {
                values.add(Double.parseDouble((String)((List<Object>)series.get("value")).get(1)));
            }
            return values;
        }

        /** The names of the alerts firing now. */
        @SuppressWarnings("unchecked")
        List<String> firing() throws IOException, InterruptedException
        {
            final HttpResponse<String> response = get("/api/v1/alerts");
            final Map<String, Object> data = (Map<String, Object>)Json.parseObject(response.body()).get("data");
            final List<String> names = new ArrayList<>();
            for (final Map<String, Object> alert : (List<Map<String, Object>>)data.get("alerts"))
            {
                if ("firing".equals(alert.get("state")))
                {
                    names.add((String)((Map<String, Object>)alert.get("labels")).get("alertname"));
                }
            }
            return names;
        }

        @Override
        public void close()
        {
            process.destroy();
            try
            {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString()
        {
            return "prometheus at " + api + " (log " + log + ")";
        }
    }
}
