package dev.feedhandler.journal;

/**
 * Somewhere journal entries can be read back in journal order: a local journal ({@link JournalReader}) or a copy of
 * it elsewhere (a Kafka topic, see {@link RemoteJournal}). Replay and printing read through this, so they behave the
 * same whatever the source. One thread at a time.
 */
public interface JournalSource extends AutoCloseable
{
    /**
     * Reads from the start (or the filter's first index or time) to the current end, in journal order, handing out
     * the entries that pass.
     *
     * @param filter  which entries.
     * @param handler receives them; a view valid during the call only.
     * @return entries handed out.
     * @throws JournalException with a one-line message if the source cannot be read.
     */
    long read(JournalFilter filter, JournalReader.EntryHandler handler);

    /**
     * Releases the source.
     */
    @Override
    void close();
}
