package dev.feedhandler.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health} and {@code /ready} over real HTTP on the metrics port: "starting" (503) until the checks exist,
 * then 200 when every check holds and 503 naming the failing one, with {@code /metrics} unchanged beside them.
 */
@Timeout(30)
class HealthProbesTest
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(final String url) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerStartingThenTheChecksWith200Or503() throws Exception
    {
        final HealthProbes probes = new HealthProbes("publisher");
        final AtomicBoolean sourceRunning = new AtomicBoolean(false);
        try (MetricsServer server = MetricsServer.start(new PrometheusRegistry(), "127.0.0.1", 0, probes))
        {
            final HttpResponse<String> starting = get(server.url("/ready"));
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(starting.body()).isEqualTo("{\"status\":\"starting\",\"role\":\"publisher\",\"checks\":{}}\n");
            assertThat(starting.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(get(server.url("/health")).statusCode()).isEqualTo(503);

            final Map<String, BooleanSupplier> health = new LinkedHashMap<>();
            health.put("publisherLoop", () -> true);
            health.put("journalThread", () -> true);
            final Map<String, BooleanSupplier> ready = new LinkedHashMap<>();
            ready.put("bound", () -> true);
            ready.put("sourceRunning", sourceRunning::get);
            probes.health(health).ready(ready);

            final HttpResponse<String> up = get(server.url("/health"));
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).isEqualTo("{\"status\":\"up\",\"role\":\"publisher\"," +
                "\"checks\":{\"publisherLoop\":true,\"journalThread\":true}}\n");
            final HttpResponse<String> notReady = get(server.url("/ready"));
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("{\"status\":\"not_ready\",\"role\":\"publisher\"," +
                "\"checks\":{\"bound\":true,\"sourceRunning\":false}}\n");

            sourceRunning.set(true);
            final HttpResponse<String> isReady = get(server.url("/ready"));
            assertThat(isReady.statusCode()).isEqualTo(200);
            assertThat(isReady.body()).startsWith("{\"status\":\"ready\",");

            assertThat(get(server.url("/metrics")).statusCode()).isEqualTo(200);
            assertThat(get(server.url("/nothing")).statusCode()).isEqualTo(404);
            assertThat(get(server.url("/")).body()).contains("/health").contains("/ready");
        }
    }

    @Test
    void shouldReportACheckThatThrowsAsFailing()
    {
        final Map<String, BooleanSupplier> health = new LinkedHashMap<>();
        health.put("receiverThread", () ->
        {
            throw new IllegalStateException("closed");
        });
        final HealthProbes probes = new HealthProbes("subscriber").health(health);

        final HealthProbes.Verdict verdict = probes.health();

        assertThat(verdict.httpStatus()).isEqualTo(503);
        assertThat(verdict.json()).isEqualTo(
            "{\"status\":\"down\",\"role\":\"subscriber\",\"checks\":{\"receiverThread\":false}}");
    }

    @Test
    void shouldServeNoProbesWithoutThem() throws Exception
    {
        try (MetricsServer server = MetricsServer.start(new PrometheusRegistry(), "127.0.0.1", 0))
        {
            assertThat(get(server.url("/metrics")).statusCode()).isEqualTo(200);
            // The exporter's own landing page answers every other path.
            assertThat(get(server.url("/ready")).body()).doesNotContain("\"status\"");
        }
    }
}
