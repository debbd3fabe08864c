package dev.feedhandler.publisher.recovery;

import dev.feedhandler.journal.BatchArchive;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.JournalSource;
import dev.feedhandler.journal.RemoteJournal;

/**
 * A journal copy off the host for the recovery service's tests: lookups only, each answered by {@link #lookup}.
 */
abstract class LookupOnlyArchiveProvider implements RemoteJournal.Provider
{
    private final String kind;

    LookupOnlyArchiveProvider(final String kind)
    {
        this.kind = kind;
    }

    /**
     * A lookup, as {@link BatchArchive#findBatches} of the copy {@code journal}.
     */
    abstract boolean lookup(RemoteJournal journal, byte[] topic, long sessionEpoch, long fromSequence,
        long toSequence, JournalReader.EntryHandler handler);

    /**
     * The seeks each lookup reports it made ({@link BatchArchive#seeks}).
     */
    long seeksPerLookup()
    {
        return 0;
    }

    @Override
    public String kind()
    {
        return kind;
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
            private long lookups;

            @Override
            public boolean findBatches(final byte[] topic, final long sessionEpoch, final long fromSequence,
                final long toSequence, final JournalReader.EntryHandler handler)
            {
                lookups++;
                return lookup(journal, topic, sessionEpoch, fromSequence, toSequence, handler);
            }

            @Override
            public long seeks()
            {
                return lookups * seeksPerLookup();
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
