package dev.feedhandler.journal;

/**
 * Where a recovery service finds again the batches a subscriber lost: the batches of one topic in one session that
 * carry any update of a sequence range. A local journal and its copy in Kafka are both archives; the recovery
 * service asks them in turn for what its in-memory window no longer holds. One thread at a time.
 */
public interface BatchArchive extends AutoCloseable
{
    /**
     * Hands out, in sequence order, the batches of a topic in a session that carry any update from
     * {@code fromSequence} to {@code toSequence}, until the handler returns false or the range is covered.
     *
     * @param topic        the topic.
     * @param sessionEpoch the session.
     * @param fromSequence first sequence wanted.
     * @param toSequence   last sequence wanted.
     * @param handler      receives each covering batch; false stops.
     * @return false if the archive holds nothing of that session: an answer, not a failure.
     * @throws ArchiveUnavailableException if the archive could not be read, or not within its time bound: neither
     *                                     found nor not found (the batches handed out before it are valid), so the
     *                                     caller must not report the range as missing; asking again later may work.
     */
    boolean findBatches(byte[] topic, long sessionEpoch, long fromSequence, long toSequence,
        JournalReader.EntryHandler handler);

    /**
     * Seeks the archive made to find where ranges start without reading what precedes them, for the summary.
     *
     * @return the count; 0 for an archive that does not seek.
     */
    default long seeks()
    {
        return 0;
    }

    /**
     * What the archive is, for logs and summaries.
     *
     * @return such as {@code kafka topic feed on 127.0.0.1:9092}.
     */
    String description();

    /**
     * Releases the archive.
     */
    @Override
    void close();
}
