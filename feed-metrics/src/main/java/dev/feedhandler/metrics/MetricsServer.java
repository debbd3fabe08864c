package dev.feedhandler.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The Prometheus HTTP endpoint of a process ({@code GET /metrics}, text exposition format, from the Prometheus Java
 * client's exporter), with the process's {@code /health} and {@code /ready} probes ({@link HealthProbes}): serves a
 * registry on an address and port until closed. Scrapes run on the exporter's own
 * daemon threads and read our counters through callbacks, never touching the hot path.
 */
public final class MetricsServer implements AutoCloseable
{
    /** The address the endpoint binds unless told otherwise: loopback, so nothing leaks onto the network. */
    public static final String DEFAULT_BIND = "127.0.0.1";

    private final HTTPServer server;
    private final String host;

    private MetricsServer(final HTTPServer server, final String host)
    {
        this.server = server;
        this.host = host;
    }

    /**
     * A registry with the JVM's metrics (GC pauses, heap and other memory pools, threads, class loading) in it.
     *
     * @return a new registry.
     */
    public static PrometheusRegistry newRegistry()
    {
        final PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        return registry;
    }

    /**
     * A registry with the JVM's metrics in it whose scrapes wait for {@link GatedRegistry#open()}: for a process
     * that binds its endpoint before the objects its metrics read exist.
     *
     * @return a new registry, closed.
     */
    public static GatedRegistry newGatedRegistry()
    {
        final GatedRegistry registry = new GatedRegistry();
        JvmMetrics.builder().register(registry);
        return registry;
    }

    /**
     * Starts serving.
     *
     * @param registry what to serve.
     * @param bind     the address to bind, such as {@code 127.0.0.1} or {@code 0.0.0.0}.
     * @param port     the port, 0 for any free one.
     * @return the running server.
     * @throws UncheckedIOException with a one-line message if the address cannot be bound.
     */
    public static MetricsServer start(final PrometheusRegistry registry, final String bind, final int port)
    {
        return start(registry, bind, port, null);
    }

    /**
     * Starts serving metrics and, with probes, {@code /health} and {@code /ready} (JSON, 200 or 503) on the same port.
     *
     * @param registry what to serve.
     * @param bind     the address to bind, such as {@code 127.0.0.1} or {@code 0.0.0.0}.
     * @param port     the port, 0 for any free one.
     * @param probes   the health and readiness checks, or null for none.
     * @return the running server.
     * @throws UncheckedIOException with a one-line message if the address cannot be bound.
     */
    public static MetricsServer start(
        final PrometheusRegistry registry, final String bind, final int port, final HealthProbes probes)
    {
        try
        {
            final InetAddress address = InetAddress.getByName(bind);
            final HTTPServer.Builder builder = HTTPServer.builder()
                .inetAddress(address)
                .port(port)
                .registry(registry);
            if (probes != null)
            {
                builder.defaultHandler(new HealthHandler(probes));
            }
            final HTTPServer server = builder.buildAndStart();
            final String host = address.getHostAddress().contains(":") ?
                "[" + address.getHostAddress() + "]" : address.getHostAddress();
            return new MetricsServer(server, host);
        }
        catch (final UnknownHostException ex)
        {
            throw new UncheckedIOException("cannot serve metrics on " + bind + ":" + port + ": unknown host", ex);
        }
        catch (final BindException ex)
        {
            final String reason = ex.getMessage() != null && ex.getMessage().toLowerCase().contains("in use") ?
                "address already in use" : "cannot bind (" + ex.getMessage() + ")";
            throw new UncheckedIOException("cannot serve metrics on " + bind + ":" + port + ": " + reason, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serve metrics on " + bind + ":" + port + ": " + ex.getMessage(),
                ex);
        }
    }

    /**
     * The port served (the one chosen when 0 was asked).
     *
     * @return the port.
     */
    public int port()
    {
        return server.getPort();
    }

    /**
     * The URL to scrape.
     *
     * @return such as {@code http://127.0.0.1:9464/metrics}.
     */
    public String url()
    {
        return "http://" + host + ":" + port() + "/metrics";
    }

    /**
     * The URL of a path on this server.
     *
     * @param path such as {@code /ready}.
     * @return such as {@code http://127.0.0.1:9464/ready}.
     */
    public String url(final String path)
    {
        return "http://" + host + ":" + port() + path;
    }

    /**
     * Stops serving.
     */
    @Override
    public void close()
    {
        server.close();
    }
}
