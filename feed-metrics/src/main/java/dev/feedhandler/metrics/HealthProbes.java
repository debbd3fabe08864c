package dev.feedhandler.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The checks behind {@code GET /health} (the process is alive and its loops run) and {@code GET /ready} (it does its
 * job: a publisher is bound and its source runs, a subscriber is connected, subscribed and not stale), each a named
 * condition read when the endpoint is asked. A process binds its metrics endpoint before the objects the checks read
 * exist: until {@link #health} and {@link #ready} are given, both answer "starting" with status 503.
 * Thread-safe: set once from the main thread, read by the HTTP server's threads.
 */
public final class HealthProbes
{
    private final String role;
    private volatile Map<String, BooleanSupplier> health = Map.of();
    private volatile Map<String, BooleanSupplier> ready = Map.of();

    /**
     * Probes for a process of a role.
     *
     * @param role such as {@code publisher} or {@code subscriber}, reported in every answer.
     */
    public HealthProbes(final String role)
    {
        this.role = Objects.requireNonNull(role);
    }

    /**
     * The role reported in every answer.
     *
     * @return the role.
     */
    public String role()
    {
        return role;
    }

    /**
     * Sets the liveness checks: all must hold for {@code /health} to answer 200.
     *
     * @param checks names (in answer order) to conditions.
     * @return this.
     */
    public HealthProbes health(final Map<String, BooleanSupplier> checks)
    {
        health = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        return this;
    }

    /**
     * Sets the readiness checks: all must hold for {@code /ready} to answer 200.
     *
     * @param checks names (in answer order) to conditions.
     * @return this.
     */
    public HealthProbes ready(final Map<String, BooleanSupplier> checks)
    {
        ready = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        return this;
    }

    /**
     * Evaluates the liveness checks now.
     *
     * @return the verdict.
     */
    public Verdict health()
    {
        return evaluate(health, "up", "down");
    }

    /**
     * Evaluates the readiness checks now.
     *
     * @return the verdict.
     */
    public Verdict ready()
    {
        return evaluate(ready, "ready", "not_ready");
    }

    private Verdict evaluate(final Map<String, BooleanSupplier> checks, final String pass, final String fail)
    {
        if (checks.isEmpty())
        {
            return new Verdict(false, "starting", role, Map.of());
        }
        final Map<String, Boolean> results = new LinkedHashMap<>();
        boolean all = true;
        for (final Map.Entry<String, BooleanSupplier> check : checks.entrySet())
        {
            boolean result;
            try
            {
                result = check.getValue().getAsBoolean();
            }
            catch (final RuntimeException ex)
            {
                result = false;
            }
            results.put(check.getKey(), result);
            all &= result;
        }
        return new Verdict(all, all ? pass : fail, role, results);
    }

    /**
     * One answer of a probe.
     *
     * @param ok     whether every check holds (HTTP 200, otherwise 503).
     * @param status {@code up}/{@code down} for health, {@code ready}/{@code not_ready} for readiness, or
     *               {@code starting} before the checks exist.
     * @param role   the process's role.
     * @param checks each check's result, in order.
     */
    public record Verdict(boolean ok, String status, String role, Map<String, Boolean> checks)
    {
        /**
         * The HTTP status to answer with.
         *
         * @return 200 or 503.
         */
        public int httpStatus()
        {
            return ok ? 200 : 503;
        }

        /**
         * The JSON body: {@code {"status":"up","role":"publisher","checks":{"publisherLoop":true}}}.
         *
         * @return one line of JSON.
         */
        public String json()
        {
            final StringBuilder json = new StringBuilder(64).append("{\"status\":");
            quote(json, status).append(",\"role\":");
            quote(json, role).append(",\"checks\":{");
            boolean first = true;
            for (final Map.Entry<String, Boolean> check : checks.entrySet())
            {
                if (!first)
                {
                    json.append(',');
                }
                first = false;
                quote(json, check.getKey()).append(':').append(check.getValue().booleanValue());
            }
            return json.append("}}").toString();
        }

        private static StringBuilder quote(final StringBuilder json, final String text)
        {
            json.append('"');
            for (int i = 0; i < text.length(); i++)
            {
                final char c = text.charAt(i);
                if (c == '"' || c == '\\')
                {
                    json.append('\\').append(c);
                }
                else if (c < 0x20)
                {
                    json.append(String.format("\\u%04x", (int)c));
                }
                else
                {
                    json.append(c);
                }
            }
            return json.append('"');
        }
    }
}
