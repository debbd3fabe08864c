package dev.feedhandler.cli.publish;

import dev.feedhandler.common.socket.TcpEndpoint;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.cli.options.ByteSizes;
import dev.feedhandler.cli.options.CatchUpWarmUp;
import dev.feedhandler.journal.RemoteJournal;
import dev.feedhandler.publisher.recovery.DropSpec;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The recovery service's flags of {@code feed publish} (a picocli mixin), and the test hook {@code --drop-batches}.
 */
public final class RecoveryOptions
{
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryOptions.class);

    @Option(names = "--warm-up", negatable = true,
        description = "Before publishing, run a private feed in this process over loopback tcp through a catch-up " +
            "once (about a second, three with --journal), so that the recovery service's first real catch-up " +
            "stream runs compiled code; with --journal, streamed from a private journal in a temporary directory, " +
            "deleted afterwards; --no-warm-up starts publishing at once (default: warm up; nothing to warm with " +
            "--recovery-bind none; docs/benchmarks-catch-up.md).")
    Boolean warmUp;

    @Option(names = "--recovery-bind", paramLabel = "ENDPOINT",
        description = "Endpoint of the recovery service (gap fills, snapshots), or none " +
            "(default: the first tcp --bind endpoint's port + 1 on the same host).")
    String bind;

    @Option(names = "--recovery-window", paramLabel = "BYTES", converter = ByteSizes.class,
        description = "Recent batches kept in memory for gap fills; older ones come from --journal " +
            "(default: ${DEFAULT-VALUE}).")
    long windowBytes;

    @Option(names = "--recovery-handoff", paramLabel = "BYTES", converter = ByteSizes.class,
        description = "The ring that hands every frame sent to the recovery service's thread, a power of two; " +
            "a frame that finds it full (that thread fell behind) is sent all the same, counted as notWindowed, " +
            "and served from --journal (default: ${DEFAULT-VALUE}).")
    long handoffBytes;

    @Option(names = "--recovery-max-reply", paramLabel = "UPDATES",
        description = "Most updates (or snapshot topics) per reply, and at most 2 MiB; larger requests are answered " +
            "page by page (default: ${DEFAULT-VALUE}).")
    int maxReplyUpdates;

    @Option(names = "--recovery-linger", paramLabel = "DURATION", converter = Durations.class,
        description = "After the session ends, keep answering until no request has come for this long; a " +
            "signal (SIGTERM, Ctrl-C) ends it at once (default: ${DEFAULT-VALUE}).")
    Duration linger;

    @Option(names = "--recovery-linger-max", paramLabel = "DURATION", converter = Durations.class,
        description = "After the session ends, while subscribers are still connected to the service (one behind, " +
            "whose tail the feed's close discarded, asks for it when its feed goes stale), keep answering until " +
            "they let go (a subscriber does once it has the session's end), at most this long after the end " +
            "(default: ${DEFAULT-VALUE}).")
    Duration lingerMax;

    @Option(names = "--recovery-kafka", paramLabel = "HOST:PORT",
        description = "Also serve from the journal's copy in Kafka (feed kafka-sink) what the window and --journal " +
            "no longer hold: the bootstrap servers (default: none).")
    String kafka;

    @Option(names = "--recovery-kafka-topic", paramLabel = "NAME",
        description = "With --recovery-kafka: the Kafka topic feed kafka-sink writes the journal to.")
    String kafkaTopic;

    @Option(names = "--drop-batches", paramLabel = "SPEC",
        description = "Test hook: keep these data batches off the socket (still journaled and recoverable): " +
            "TOPIC:SEQ, TOPIC:FROM-TO, every:N, random:P%%[@SEED], or end (the session's end: the end-of-session " +
            "heartbeats and the ended status), comma-separated (default: none).")
    String dropBatches;

    /**
     * The recovery service's settings.
     *
     * @param journal the journal directory, or null.
     * @return the settings; with {@code --recovery-bind none} they start no service, but the test hook applies.
     * @throws CliException (usage) with a one-line message for a bad value.
     */
    public RecoveryConfiguration configuration(final Path journal)
    {
        final DropSpec drop = dropSpec();
        checkAvailable();
        try
        {
            if (windowBytes > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("--recovery-window must be at most 1g");
            }
            if (handoffBytes < 64 * 1024 || handoffBytes > 1L << 30 || Long.bitCount(handoffBytes) != 1)
            {
                throw new IllegalArgumentException("--recovery-handoff must be a power of two from 64k to 1g");
            }
            if ((kafka == null) != (kafkaTopic == null))
            {
                throw new IllegalArgumentException("--recovery-kafka HOST:PORT and --recovery-kafka-topic NAME go " +
                    "together");
            }
            return new RecoveryConfiguration(bind, (int)windowBytes, maxReplyUpdates,
                RecoveryConfiguration.DEFAULT_MAX_REPLY_BYTES, (int)handoffBytes, linger,
                journal, drop, kafka == null ? null : RemoteJournal.kafka(kafka, kafkaTopic), lingerMax);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    /**
     * An explicit tcp endpoint already in use is reported before anything else is bound, so the error stays the only
     * line (the real bind still reports whatever happens later).
     */
    private void checkAvailable()
    {
        final TcpEndpoint endpoint = TcpEndpoint.parse(bind);
        if (endpoint == null || endpoint.port() == TcpEndpoint.ANY_PORT)
        {
            return;
        }
        final String host = TcpEndpoint.ANY_HOST.equals(endpoint.host()) ? "0.0.0.0" : endpoint.host();
        final int port = endpoint.port();
        try (ServerSocket probe = new ServerSocket())
        {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        }
        catch (final BindException ex)
        {
            throw new CliException(CliException.USAGE, "cannot bind " + bind + ": address already in use");
        }
        catch (final IOException | IllegalArgumentException | SecurityException ex)
        {
            // Not ours to judge: the real bind reports it.
        }
    }

    private DropSpec dropSpec()
    {
        try
        {
            return DropSpec.parse(dropBatches);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
    }

    /**
     * Whether the warm-up runs: unless {@code --no-warm-up} (or the config file) turned it off.
     *
     * @return true by default.
     */
    public boolean warmUp()
    {
        return !Boolean.FALSE.equals(warmUp);
    }

    /**
     * Runs the warm-up unless {@code --no-warm-up} turned it off (and if there is a recovery service to warm), and logs
     * what it did.
     *
     * @param journal whether the publisher journals: then its recovery service streams from the journal, and so does
     *                the warm-up's, from a private journal in a temporary directory.
     */
    public void warmUpIfAsked(final boolean journal)
    {
        if (warmUp() && !RecoveryConfiguration.NONE.equalsIgnoreCase(bind))
        {
            LOG.info(CatchUpWarmUp.run(WARM_UP_TIMEOUT, journal));
        }
    }
}
