package dev.feedhandler.journal;

import java.util.Locale;
import java.util.ServiceLoader;

/**
 * A copy of a journal kept off this host: today a Kafka topic written by {@code feed kafka-sink}. The client library
 * that reads it comes with the module that provides it (found through {@link ServiceLoader}), so the modules that
 * read journals (replay, the recovery service) need not depend on it.
 *
 * @param kind    the kind of store, {@code kafka}.
 * @param servers where it is (Kafka: the bootstrap servers, {@code host:port[,host:port...]}).
 * @param name    which one (Kafka: the topic).
 */
public record RemoteJournal(String kind, String servers, String name)
{
    /** The kind of a journal copy in Kafka. */
    public static final String KAFKA = "kafka";

    /**
     * Opens a remote journal.
     */
    public interface Provider
    {
        /**
         * The kind it opens.
         *
         * @return such as {@link #KAFKA}.
         */
        String kind();

        /**
         * Opens it for reading in journal order.
         *
         * @param journal which.
         * @return the source.
         * @throws JournalException with a one-line message if it cannot be opened.
         */
        JournalSource openSource(RemoteJournal journal);

        /**
         * Opens it for recovery lookups.
         *
         * @param journal which.
         * @return the archive.
         * @throws JournalException with a one-line message if it cannot be opened.
         */
        BatchArchive openArchive(RemoteJournal journal);
    }

    /**
     * Checks the parts.
     */
    public RemoteJournal
    {
        if (servers == null || servers.isBlank())
        {
            throw new IllegalArgumentException("no servers given for the " + kind + " journal");
        }
        if (name == null || name.isBlank())
        {
            throw new IllegalArgumentException("no topic given for the " + kind + " journal");
        }
    }

    /**
     * A journal copy in a Kafka topic.
     *
     * @param bootstrapServers {@code host:port[,host:port...]}.
     * @param topic            the topic.
     * @return the address.
     */
    public static RemoteJournal kafka(final String bootstrapServers, final String topic)
    {
        return new RemoteJournal(KAFKA, bootstrapServers, topic);
    }

    /**
     * Opens it for reading in journal order.
     *
     * @return the source.
     * @throws JournalException with a one-line message if it cannot be opened or no module provides the kind.
     */
    public JournalSource openSource()
    {
        return provider().openSource(this);
    }

    /**
     * Opens it for recovery lookups.
     *
     * @return the archive.
     * @throws JournalException with a one-line message if it cannot be opened or no module provides the kind.
     */
    public BatchArchive openArchive()
    {
        return provider().openArchive(this);
    }

    private Provider provider()
    {
        for (final Provider provider : ServiceLoader.load(Provider.class))
        {
            if (provider.kind().equals(kind.toLowerCase(Locale.ROOT)))
            {
                return provider;
            }
        }
        throw new JournalException("no " + kind + " support on the class path (the journal-kafka module is missing)");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return kind + " topic " + name + " on " + servers;
    }
}
