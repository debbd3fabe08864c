package dev.feedhandler.publisher.recovery;

import dev.feedhandler.journal.ArchiveUnavailableException;
import dev.feedhandler.journal.BatchArchive;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.JournalSource;
import dev.feedhandler.journal.RemoteJournal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A journal copy off the host that never answers in time, as a Kafka cluster that is away: every lookup throws
 * {@link ArchiveUnavailableException} (kind {@value #KIND}, found through the service loader as Kafka's is).
 */
public final class UnansweringArchiveProvider implements RemoteJournal.Provider
{
    static final String KIND = "unanswering";
    static final AtomicInteger LOOKUPS = new AtomicInteger();

    @Override
    public String kind()
    {
        return KIND;
    }

    @Override
    public JournalSource openSource(final RemoteJournal journal)
    {
        throw new UnsupportedOperationException("only lookups");
    }

    @Override
    public BatchArchive openArchive(final RemoteJournal journal)
    {
        return new BatchArchive()
        {
            @Override
            public boolean findBatches(final byte[] topic, final long sessionEpoch, final long fromSequence,
                final long toSequence, final JournalReader.EntryHandler handler)
            {
                LOOKUPS.incrementAndGet();
                throw new ArchiveUnavailableException(journal + " did not answer within 5 s", null);
            }

            @Override
            public String description()
            {
                return journal.toString();
            }

            @Override
            public void close()
            {
            }
        };
    }
}
