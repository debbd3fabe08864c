package dev.feedhandler.cli.options;

import dev.feedhandler.metrics.MetricsServer;
import dev.feedhandler.common.testing.PrometheusText;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP endpoint: serves the text format on loopback by default, reads callback metrics at scrape time, and
 * fails in one line when its port is taken.
 */
@Timeout(30)
class MetricsServerTest
{
    @Test
    void shouldServeCallbackMetricsAndJvmMetricsOverHttpOnLoopback()
    {
        final PrometheusRegistry registry = MetricsServer.newRegistry();
        final AtomicLong value = new AtomicLong(41);
        CounterWithCallback.builder().name("test_things_total").help("Things")
            .callback(callback -> callback.call(value.get())).register(registry);
        final MetricsOptions options = new MetricsOptions();
        new CommandLine(options).parseArgs("--metrics-port", "0");

        try (MetricsServer server = options.startServer(registry))
        {
            assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");
            assertThat(PrometheusText.scrape(server.url()).count("test_things_total")).isEqualTo(41);
            value.incrementAndGet();

            final PrometheusText text = PrometheusText.scrape(server.url());

            assertThat(text.count("test_things_total")).isEqualTo(42);
            assertThat(text.types()).containsEntry("test_things_total", "counter");
            assertThat(text.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
            assertThat(text.types()).containsKey("jvm_gc_collection_seconds");
        }
    }

    @Test
    void shouldFailInOneLineWithStatus2WhenThePortIsTaken() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            assertThatThrownBy(() -> MetricsServer.start(new PrometheusRegistry(), "127.0.0.1", taken.getLocalPort()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");

            final MetricsOptions options = new MetricsOptions();
            new CommandLine(options).parseArgs("--metrics-port", Integer.toString(taken.getLocalPort()));
            assertThatThrownBy(() -> options.startServer(new PrometheusRegistry()))
                .isInstanceOfSatisfying(CliException.class, ex -> assertThat(ex.exitCode()).isEqualTo(2))
                .hasMessageContaining("address already in use");
        }
    }

    @Test
    void shouldRejectBadFlagValuesInOneLine()
    {
        final MetricsOptions port = new MetricsOptions();
        new CommandLine(port).parseArgs("--metrics-port", "70000");
        assertThatThrownBy(port::validate).hasMessage("--metrics-port must be between 0 and 65535, was 70000");
        final MetricsOptions interval = new MetricsOptions();
        new CommandLine(interval).parseArgs("--stats-interval", "1ms");
        assertThatThrownBy(interval::validate).hasMessage("--stats-interval must be at least 10ms");
        assertThatThrownBy(() -> MetricsServer.start(new PrometheusRegistry(), "no-such-host.invalid", 0))
            .hasMessage("cannot serve metrics on no-such-host.invalid:0: unknown host");
        assertThat(new MetricsOptions().metricsEnabled()).isFalse();
    }
}
