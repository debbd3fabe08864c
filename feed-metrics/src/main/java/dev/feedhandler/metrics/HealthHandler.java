package dev.feedhandler.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code GET /health} and {@code GET /ready} on the metrics port with a JSON body and 200 or 503, and
 * {@code GET /} with the list of paths; anything else is a 404. It is the exporter's default handler: the exporter
 * itself keeps {@code /metrics} and {@code /-/healthy}.
 */
final class HealthHandler implements HttpHandler
{
    private static final String INDEX = "feed metrics endpoint: /metrics (Prometheus), /health (liveness, JSON), " +
        "/ready (readiness, JSON)\n";

    private final HealthProbes probes;

    HealthHandler(final HealthProbes probes)
    {
        this.probes = probes;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String method = exchange.getRequestMethod();
            final boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method))
            {
                send(exchange, 405, "application/json", "{\"error\":\"only GET and HEAD\"}", false);
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            switch (path)
            {
                case "/health", "/health/" ->
                {
                    final HealthProbes.Verdict verdict = probes.health();
                    send(exchange, verdict.httpStatus(), "application/json", verdict.json(), head);
                }
                case "/ready", "/ready/" ->
                {
                    final HealthProbes.Verdict verdict = probes.ready();
                    send(exchange, verdict.httpStatus(), "application/json", verdict.json(), head);
                }
                case "/" -> send(exchange, 200, "text/plain; charset=utf-8", INDEX, head);
                default -> send(exchange, 404, "application/json", "{\"error\":\"not found\"}", head);
            }
        }
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final String body,
        final boolean head) throws IOException
    {
        final byte[] bytes = (body.endsWith("\n") ? body : body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(bytes);
            }
        }
    }
}
