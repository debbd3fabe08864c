package dev.feedhandler.journal.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of {@code feed kafka-sink}, validated once.
 *
 * @param journal           the journal directory to follow.
 * @param bootstrapServers  the Kafka cluster, {@code host:port[,host:port...]}.
 * @param topic             the Kafka topic: one journal per topic.
 * @param partitions        partitions of the topic if the sink creates it, 0 for the broker's default.
 * @param replicationFactor replicas of the topic if the sink creates it, 0 for the broker's default.
 * @param maxInFlight       most journal entries sent and not yet acknowledged (a power of two).
 * @param stallReport       nothing acknowledged for this long while entries wait: reported as a stall.
 * @param producerOverrides producer settings that replace the sink's (security, compression...); the ones exactly
 *                          once rests on (idempotence, acks, retries, delivery timeout) cannot be replaced.
 */
public record KafkaSinkConfiguration(
    Path journal,
    String bootstrapServers,
    String topic,
    int partitions,
    short replicationFactor,
    int maxInFlight,
    Duration stallReport,
    Map<String, String> producerOverrides)
{
    /** Default bound on entries in flight. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 65_536;

    /** Default stall report threshold. */
    public static final Duration DEFAULT_STALL_REPORT = Duration.ofSeconds(2);

    /** Producer settings exactly once rests on. */
    static final java.util.Set<String> FIXED = java.util.Set.of("enable.idempotence", "acks", "retries",
        "delivery.timeout.ms", "max.in.flight.requests.per.connection", "transactional.id", "key.serializer",
        "value.serializer", "partitioner.class");

    /**
     * Validates.
     */
    public KafkaSinkConfiguration
    {
        if (journal == null)
        {
            throw new IllegalArgumentException("--journal is required");
        }
        if (bootstrapServers == null || bootstrapServers.isBlank())
        {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        if (topic == null || topic.isBlank() || !topic.matches("[a-zA-Z0-9._-]{1,249}"))
        {
            throw new IllegalArgumentException("--topic must be a Kafka topic name (letters, digits, '.', '_', " +
                "'-'; at most 249), was '" + topic + "'");
        }
        if (partitions < 0)
        {
            throw new IllegalArgumentException("--partitions must be positive, was " + partitions);
        }
        if (replicationFactor < 0)
        {
            throw new IllegalArgumentException("--replication-factor must be positive, was " + replicationFactor);
        }
        if (maxInFlight < 16 || Integer.bitCount(maxInFlight) != 1)
        {
            throw new IllegalArgumentException("the in-flight bound must be a power of two of at least 16");
        }
        if (stallReport == null || stallReport.isNegative() || stallReport.isZero())
        {
            throw new IllegalArgumentException("the stall report threshold must be positive");
        }
        producerOverrides = Map.copyOf(producerOverrides == null ? Map.of() : producerOverrides);
        for (final String key : producerOverrides.keySet())
        {
            if (FIXED.contains(key))
            {
                throw new IllegalArgumentException("--kafka-property " + key + " cannot be changed: exactly once " +
                    "rests on the sink's value");
            }
        }
    }

    /**
     * The defaults for a journal, cluster and topic.
     *
     * @param journal          the journal directory.
     * @param bootstrapServers the cluster.
     * @param topic            the topic.
     * @return the settings.
     */
    public static KafkaSinkConfiguration of(final Path journal, final String bootstrapServers, final String topic)
    {
        return new KafkaSinkConfiguration(journal, bootstrapServers, topic, 0, (short)0, DEFAULT_MAX_IN_FLIGHT,
            DEFAULT_STALL_REPORT, Map.of());
    }
}
