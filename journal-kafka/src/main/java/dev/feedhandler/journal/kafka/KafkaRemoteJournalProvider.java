package dev.feedhandler.journal.kafka;

import dev.feedhandler.journal.BatchArchive;
import dev.feedhandler.journal.JournalSource;
import dev.feedhandler.journal.RemoteJournal;

/**
 * Opens journal copies in Kafka for replay and recovery ({@link RemoteJournal#KAFKA}); found by
 * {@link java.util.ServiceLoader}.
 */
public final class KafkaRemoteJournalProvider implements RemoteJournal.Provider
{
    /**
     * {@inheritDoc}
     */
    @Override
    public String kind()
    {
        return RemoteJournal.KAFKA;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public JournalSource openSource(final RemoteJournal journal)
    {
        return new KafkaJournalSource(journal);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public BatchArchive openArchive(final RemoteJournal journal)
    {
        return new KafkaBatchArchive(journal);
    }
}
