package dev.feedhandler.publisher.recovery;

import dev.feedhandler.journal.ArchiveUnavailableException;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.RemoteJournal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A journal copy off the host that never answers in time, as a Kafka cluster that is away: every lookup throws
 * {@link ArchiveUnavailableException} (kind {@value #KIND}, found through the service loader as Kafka's is).
 */
public final class UnansweringArchiveProvider extends LookupOnlyArchiveProvider
{
    static final String KIND = "unanswering";
    static final AtomicInteger LOOKUPS = new AtomicInteger();

    public UnansweringArchiveProvider()
    {
        super(KIND);
    }

    @Override
    boolean lookup(final RemoteJournal journal, final byte[] topic, final long sessionEpoch, final long fromSequence,
        final long toSequence, final JournalReader.EntryHandler handler)
    {
        LOOKUPS.incrementAndGet();
        throw new ArchiveUnavailableException(journal + " did not answer within 5 s", null);
    }
}
