package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.common.socket.RecoveryEndpoints;
import dev.feedhandler.cli.options.ByteSizes;
import dev.feedhandler.cli.options.CatchUpWarmUp;
import dev.feedhandler.subscriber.SubscriberBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/**
 * The recovery and liveness flags of {@code feed subscribe} (a picocli mixin).
 */
public final class RecoveryClientOptions
{
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryClientOptions.class);
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--recovery-connect", paramLabel = "ENDPOINT",
        description = "The publisher's recovery service (default: the first --connect endpoint's port + 1).")
    String connect;

    @Option(names = "--recovery-timeout", paramLabel = "DURATION", converter = Durations.class,
        description = "How long to wait for a reply before asking again on a new socket (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--recovery-retries", paramLabel = "N",
        description = "How many times to ask again before a loss is reported unrecoverable " +
            "(default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--recovery-patience", paramLabel = "DURATION", converter = Durations.class,
        description = "How long a request may wait for a recovery service that is slow rather than gone (the " +
            "publisher's heartbeats arriving, the service connected) before its silence counts toward " +
            "--recovery-retries (default: ${DEFAULT-VALUE}; 0 counts every timeout).")
    Duration patience;

    @Option(names = "--max-held-bytes", paramLabel = "BYTES", converter = ByteSizes.class,
        description = "Most live updates held back behind recoveries, all topics together; past it a topic gives up " +
            "its recovery and reports the loss (default: ${DEFAULT-VALUE}).")
    long maxHeldBytes;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = Durations.class,
        description = "The publisher's heartbeat interval: nothing for three of them makes the feed stale " +
            "(default: ${DEFAULT-VALUE}; 0 turns it off).")
    Duration heartbeatInterval;

    @Option(names = "--warm-up", negatable = true,
        description = "Before subscribing, run a private feed in this process over loopback tcp through a catch-up " +
            "once (about a second), into a twin of the run's listener that prints nothing, so that the first real " +
            "catch-up runs compiled code; --no-warm-up subscribes at once (default: warm up, except with " +
            "--no-recovery; docs/benchmarks-catch-up.md).")
    Boolean warmUp;

    @Option(names = "--no-recovery",
        description = "Do not recover: report every gap unrecoverable at once, as a plain PUB/SUB subscriber would.")
    boolean noRecovery;

    /**
     * Whether a subscriber with recovery warms up: unless {@code --no-warm-up} (or the config file) turned it off.
     *
     * @return true by default.
     */
    boolean warmUp()
    {
        return !Boolean.FALSE.equals(warmUp);
    }

    /**
     * Applies the flags to a subscriber's settings.
     *
     * @param builder   the settings.
     * @param endpoints the feed endpoints, to derive the recovery endpoint from.
     * @param lines     whether the endpoints are identical lines: each line's service is then derived (port + 1) and
     *                  asked, whichever answers.
     * @param listener  the run's listener: {@code --warm-up} runs its private feed into a twin of it.
     * @return the recovery endpoint used, or null without recovery.
     * @throws CliException (usage) with a one-line message for bad values.
     */
    String apply(final SubscriberBuilder builder, final List<String> endpoints, final boolean lines,
        final StatsListener listener)
    {
        if (timeout.toMillis() < 1 || retries < 0 || patience.isNegative())
        {
            throw new CliException(CliException.USAGE, "--recovery-timeout must be at least 1ms and " +
                "--recovery-retries and --recovery-patience not negative");
        }
        if (heartbeatInterval.isNegative())
        {
            throw new CliException(CliException.USAGE, "--heartbeat-interval must not be negative");
        }
        builder.heartbeatIntervalMs(heartbeatInterval.toMillis())
            .recoveryTimeoutMs(timeout.toMillis())
            .recoveryRetries(retries)
            .recoveryPatienceMs(patience.toMillis())
            .maxHeldBytes(maxHeldBytes);
        if (noRecovery)
        {
            // The warm-up warms the catch-up path: without recovery there is none, so only an explicit --warm-up is
            // refused.
            final boolean askedWarmUp = Boolean.TRUE.equals(warmUp);
            if (connect != null || askedWarmUp)
            {
                throw new CliException(CliException.USAGE, (askedWarmUp ? "--warm-up" : "--recovery-connect") +
                    " and --no-recovery exclude each other");
            }
            return null;
        }
        String endpoint = connect;
        if (endpoint == null && lines)
        {
            final List<String> services = new java.util.ArrayList<>();
            for (final String feed : endpoints)
            {
                final String service = RecoveryEndpoints.next(feed);
                if (service == null || service.endsWith(":*"))
                {
                    throw new CliException(CliException.USAGE, "--arbitrate: cannot put a recovery endpoint next " +
                        "to " + feed + " (give every line's service with --recovery-connect EP_A,EP_B)");
                }
                services.add(service);
            }
            endpoint = String.join(",", services);
        }
        if (endpoint == null)
        {
            endpoint = RecoveryEndpoints.next(endpoints.get(0));
            if (endpoint == null || endpoint.endsWith(":*"))
            {
                LOG.warn("no recovery: cannot put a recovery endpoint next to {} (give --recovery-connect, or " +
                    "--no-recovery to silence this)", endpoints.get(0));
                return null;
            }
        }
        if (warmUp())
        {
            final SubscribeStop ended = new SubscribeStop();
            LOG.info(CatchUpWarmUp.run(WARM_UP_TIMEOUT, listener.twin(ended), ended::isStopped));
        }
        builder.recoveryEndpoint(endpoint);
        return endpoint;
    }
}
