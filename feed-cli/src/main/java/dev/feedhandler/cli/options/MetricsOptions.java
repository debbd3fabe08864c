package dev.feedhandler.cli.options;

import dev.feedhandler.metrics.HealthProbes;
import dev.feedhandler.metrics.StatsPrinter;
import dev.feedhandler.metrics.MetricsServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The observability flags that {@code feed publish} and {@code feed subscribe} share (a picocli mixin):
 * {@code --metrics-port}, {@code --metrics-bind} and {@code --stats-interval}.
 */
public final class MetricsOptions
{
    private static final Logger LOG = LoggerFactory.getLogger(MetricsOptions.class);

    @Option(names = "--metrics-port", paramLabel = "PORT",
        description = "Serve Prometheus metrics over HTTP at /metrics on this port, with /health and /ready (JSON, " +
            "200 or 503); 0 picks a free port, logged at start (default: off).")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS",
        description = "Address the metrics endpoint binds (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String metricsBind = MetricsServer.DEFAULT_BIND;

    @Option(names = "--stats-interval", paramLabel = "DURATION", converter = Durations.class,
        description = "Print a one-line status (rate, total, gaps, p99, lag) on stderr every DURATION, such as 5s " +
            "(default: off).")
    Duration statsInterval;

    /**
     * Whether {@code --metrics-port} was given.
     *
     * @return true to serve metrics.
     */
    public boolean metricsEnabled()
    {
        return metricsPort != null;
    }

    /**
     * Whether {@code --stats-interval} was given.
     *
     * @return true to print status lines.
     */
    public boolean statsEnabled()
    {
        return statsInterval != null;
    }

    /**
     * Whether anything needs the counters read from another thread.
     *
     * @return true if metrics or status lines are on.
     */
    public boolean anyEnabled()
    {
        return metricsEnabled() || statsEnabled();
    }

    /**
     * The status line interval.
     *
     * @return the interval, or null when off.
     */
    public Duration statsInterval()
    {
        return statsInterval;
    }

    /**
     * Checks the values; call before anything starts.
     *
     * @throws CliException (usage) with a one-line message.
     */
    public void validate()
    {
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535))
        {
            throw new CliException(CliException.USAGE, "--metrics-port must be between 0 and 65535, was " +
                metricsPort);
        }
        if (statsInterval != null && statsInterval.toMillis() < 10)
        {
            throw new CliException(CliException.USAGE, "--stats-interval must be at least 10ms");
        }
    }

    /**
     * Starts the metrics endpoint if {@code --metrics-port} was given.
     *
     * @param registry what to serve.
     * @return the server, or null when off.
     * @throws CliException (usage, exit status 2) with a one-line message if the address cannot be bound.
     */
    public MetricsServer startServer(final PrometheusRegistry registry)
    {
        return startServer(registry, null);
    }

    /**
     * Starts the metrics endpoint, with {@code /health} and {@code /ready} from the probes, if {@code --metrics-port}
     * was given.
     *
     * @param registry what to serve.
     * @param probes   the health and readiness checks, or null for none.
     * @return the server, or null when off.
     * @throws CliException (usage, exit status 2) with a one-line message if the address cannot be bound.
     */
    public MetricsServer startServer(final PrometheusRegistry registry, final HealthProbes probes)
    {
        if (!metricsEnabled())
        {
            return null;
        }
        validate();
        try
        {
            final MetricsServer server = MetricsServer.start(registry, metricsBind, metricsPort, probes);
            LOG.info("metrics on {}", server.url());
            return server;
        }
        catch (final UncheckedIOException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    /**
     * Starts the status lines if {@code --stats-interval} was given.
     *
     * @param out  where (stderr).
     * @param line builds one line.
     * @return the printer, or null when off.
     */
    public StatsPrinter startStats(final PrintStream out, final Supplier<String> line)
    {
        return statsEnabled() ? StatsPrinter.start(statsInterval, out, line) : null;
    }
}
