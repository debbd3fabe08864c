package dev.feedhandler.cli;

import dev.feedhandler.cli.options.BootstrapServers;
import dev.feedhandler.cli.options.CliException;
import dev.feedhandler.cli.options.Durations;
import dev.feedhandler.cli.options.FeedVersion;
import dev.feedhandler.cli.options.GracefulCommand;
import dev.feedhandler.cli.options.GracefulShutdown;
import dev.feedhandler.cli.json.Json;
import dev.feedhandler.cli.options.MetricsOptions;
import dev.feedhandler.metrics.MetricsServer;
import dev.feedhandler.metrics.StatsPrinter;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.kafka.KafkaJournalSink;
import dev.feedhandler.journal.kafka.KafkaSinkConfiguration;
import dev.feedhandler.journal.kafka.KafkaSinkException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code feed kafka-sink}: follows a journal and produces every entry to a Kafka topic exactly once, across crashes
 * and broker outages.
 */
@Command(
    name = "kafka-sink",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = FeedVersion.class,
    description = {
        "Follow a journal (feed publish --journal) and produce every entry to a Kafka topic: one record per entry " +
            "(a batch of one instrument's updates, a heartbeat or a session status), keyed by the instrument, the " +
            "entry byte for byte as the value, headers for the epoch, sequence range and journal index. Idempotent " +
            "producer, acks=all.",
        "Exactly once: killed at any moment and started again, it reads from Kafka what each partition already holds " +
            "and sends only the rest. While Kafka is away it waits and reports; nothing is lost (the journal holds " +
            "it).",
        "Runs until SIGINT/SIGTERM (or with --exit-at-end until everything the journal holds is acknowledged), then " +
            "prints a one-line JSON summary, the last line of stdout."
    })
public final class KafkaSinkCommand implements Callable<Integer>, GracefulCommand
{
    @Option(names = "--journal", paramLabel = "DIR", required = true, description = "The journal to follow.")
    Path journal;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
        description = "The Kafka cluster, host:port[,host:port...].")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "NAME", required = true,
        description = "The Kafka topic (created if missing); one journal per topic.")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
        description = "Partitions of the topic if the sink creates it (default: the broker's num.partitions).")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "0",
        description = "Replicas of the topic if the sink creates it (default: the broker's " +
            "default.replication.factor).")
    short replicationFactor;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
        description = "A producer setting (security.protocol, compression.type, linger.ms, ...), repeatable; " +
            "the ones exactly once rests on cannot be changed.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--stall-report", paramLabel = "DURATION", converter = Durations.class,
        description = "Report when Kafka has acknowledged nothing for this long while entries wait " +
            "(default: 2s).")
    Duration stallReport = KafkaSinkConfiguration.DEFAULT_STALL_REPORT;

    @Option(names = "--exit-at-end",
        description = "Stop once everything the journal holds is acknowledged (for a journal nobody writes any more).")
    boolean exitAtEnd;

    @Mixin
    MetricsOptions metrics;

    private final PrintStream out;
    private volatile boolean running = true;

    /**
     * A command printing to stdout.
     */
    public KafkaSinkCommand()
    {
        this(System.out);
    }

    /**
     * A command printing to the given stream (tests).
     *
     * @param out where the summary goes.
     */
    public KafkaSinkCommand(final PrintStream out)
    {
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Integer call()
    {
        final KafkaSinkConfiguration configuration;
        try
        {
            configuration = new KafkaSinkConfiguration(journal, BootstrapServers.check(bootstrapServers), topic,
                partitions, replicationFactor,
                KafkaSinkConfiguration.DEFAULT_MAX_IN_FLIGHT, stallReport, kafkaProperties);
            metrics.validate();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
        final KafkaJournalSink sink;
        try
        {
            sink = new KafkaJournalSink(configuration);
        }
        catch (final JournalException ex)
        {
            throw new CliException(CliException.USAGE, ex.getMessage());
        }
        String failure = null;
        KafkaJournalSink.StopReason reason = KafkaJournalSink.StopReason.STOPPED;
        try (sink; GracefulShutdown shutdown = new GracefulShutdown(() -> running = false))
        {
            MetricsServer server = null;
            StatsPrinter stats = null;
            try
            {
                if (metrics.metricsEnabled())
                {
                    final PrometheusRegistry registry = MetricsServer.newRegistry();
                    KafkaSinkMetrics.register(registry, sink);
                    server = metrics.startServer(registry);
                }
                stats = metrics.startStats(System.err, KafkaSinkMetrics.statusLine(sink));
                reason = sink.run(() -> running, exitAtEnd);
            }
            catch (final KafkaSinkException | JournalException ex)
            {
                failure = ex.getMessage();
            }
            finally
            {
                if (stats != null)
                {
                    stats.close();
                }
                if (server != null)
                {
                    server.close();
                }
                final Map<String, Object> summary = new LinkedHashMap<>(sink.summary());
                summary.put("stopReason", failure != null ? "failed" :
                    reason == KafkaJournalSink.StopReason.END ? "end" : "stopped");
                out.println(Json.write(summary));
                out.flush();
                shutdown.done();
            }
        }
        if (failure != null)
        {
            throw new CliException(CliException.FAILURE, failure);
        }
        return 0;
    }
}
