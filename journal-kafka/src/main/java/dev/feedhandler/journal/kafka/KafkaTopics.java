package dev.feedhandler.journal.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Looks a topic up, creating it when asked, and says how many partitions it has.
 */
final class KafkaTopics
{
    private KafkaTopics()
    {
    }

    /**
     * The partition count of a topic, creating it first if it does not exist.
     *
     * @param servers           the bootstrap servers.
     * @param topic             the topic.
     * @param partitions        partitions of a new topic, 0 for the broker's default.
     * @param replicationFactor replicas of a new topic, 0 for the broker's default.
     * @return its partition count.
     * @throws KafkaUnavailableException if the cluster does not answer in time.
     */
    static int ensure(final String servers, final String topic, final int partitions, final short replicationFactor)
    {
        try (Admin admin = Admin.create(KafkaClients.admin(servers)))
        {
            final Integer existing = partitions(admin, topic);
            if (existing != null)
            {
                return existing;
            }
            try
            {
                admin.createTopics(List.of(new NewTopic(topic,
                    partitions > 0 ? Optional.of(partitions) : Optional.empty(),
                    replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty())))
                    .all().get(KafkaClients.API_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final ExecutionException ex)
            {
                if (!(ex.getCause() instanceof TopicExistsException))
                {
                    throw new KafkaUnavailableException("cannot create Kafka topic " + topic + " on " + servers +
                        ": " + KafkaClients.reason(ex), ex);
                }
            }
            final Integer created = partitions(admin, topic);
            if (created == null)
            {
                throw new KafkaUnavailableException("Kafka topic " + topic + " on " + servers +
                    " does not show after its creation");
            }
            return created;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while looking up Kafka topic " + topic, ex);
        }
        catch (final TimeoutException ex)
        {
            throw new KafkaUnavailableException("Kafka at " + servers + " did not answer within " +
                KafkaClients.API_TIMEOUT_MS / 1000 + " s", ex);
        }
    }

    /**
     * The partition count of an existing topic.
     *
     * @return the count, or null if the topic does not exist.
     */
    static Integer partitions(final Admin admin, final String topic)
        throws InterruptedException, TimeoutException
    {
        try
        {
            final TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(KafkaClients.API_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic);
            return description.partitions().size();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException)
            {
                return null;
            }
            throw new KafkaUnavailableException("cannot describe Kafka topic " + topic + ": " +
                KafkaClients.reason(ex), ex);
        }
    }

    /**
     * Kafka did not answer, or refused: a one-line message that says what and where.
     */
    static final class KafkaUnavailableException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        KafkaUnavailableException(final String message, final Throwable cause)
        {
            super(message, cause);
        }

        KafkaUnavailableException(final String message)
        {
            super(message);
        }
    }
}
