package dev.feedhandler.journal.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of every Kafka client this module makes, in one place, with the reason for each.
 */
final class KafkaClients
{
    /** How long an administrative call or a lookup may wait for the cluster before it counts as unreachable. */
    static final int API_TIMEOUT_MS = 10_000;

    private KafkaClients()
    {
    }

    /**
     * The sink's producer: idempotent with {@code acks=all}, retrying for ever (a record never expires while the
     * broker is away, so a partition never gets a hole behind a record that gave up), and a send that blocks
     * briefly so the sink's thread stays free to report while Kafka is away.
     */
    static Properties producer(final String servers, final Map<String, String> overrides)
    {
        final Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "feed-kafka-sink");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "500");
        // Batches of journal entries: up to 256 KiB per partition and request, 5 ms at most to fill one.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        // LZ4: a journal entry's SBE updates shrink about 3.8 times (10 instruments, flat out), so the broker receives,
        // writes and replicates a quarter of the bytes for about the sink's CPU of the copies it saves; readers
        // (replay, recovery) decompress. Replaceable with --kafka-property compression.type=...
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.SEND_BUFFER_CONFIG, Integer.toString(1024 * 1024));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.putAll(overrides);
        return properties;
    }

    /**
     * A reader with no consumer group: partitions are assigned and positioned by hand, nothing is committed.
     */
    static Properties consumer(final String servers, final String clientId)
    {
        final Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        // Large fetches: a journal entry of a busy feed is 10 KiB (200 updates); Kafka's default of 1 MiB per
        // partition and fetch means a round trip per hundred entries.
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        properties.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(1024 * 1024));
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(API_TIMEOUT_MS));
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }

    /**
     * An administrative client (topic creation and description).
     */
    static Properties admin(final String servers)
    {
        final Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "feed-kafka-admin");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(API_TIMEOUT_MS));
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(API_TIMEOUT_MS / 2));
        return properties;
    }

    /**
     * What is left of a lookup's time, never negative (a zero timeout still answers what is at hand).
     *
     * @param deadline {@link System#nanoTime()} to give up at.
     * @return the time left.
     */
    static Duration remaining(final long deadline)
    {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /**
     * The first line of an exception's message, with its cause's when it has none of its own.
     */
    static String reason(final Throwable ex)
    {
        Throwable t = ex;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank() ||
            t instanceof java.util.concurrent.ExecutionException))
        {
            t = t.getCause();
        }
        final String message = t.getMessage() == null || t.getMessage().isBlank() ?
            t.getClass().getSimpleName() : t.getMessage();
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Whether Kafka refused a record for good: sending it again cannot succeed.
     *
     * @param failed what the producer reported.
     * @return true for a record too large, a refused authorisation or authentication, an invalid topic.
     */
    static boolean isPermanent(final Exception failed)
    {
        return failed instanceof RecordTooLargeException || failed instanceof AuthorizationException ||
            failed instanceof AuthenticationException || failed instanceof InvalidTopicException;
    }
}
