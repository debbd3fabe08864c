package dev.feedhandler.publisher.recovery;

import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.JournalFilter;
import dev.feedhandler.journal.JournalReader;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * The publisher's journal as a source of batches for the recovery service: the only source for earlier sessions,
 * and the fallback for the current one when the window no longer holds (or never got) a batch. Each session's first
 * journal index is found once and remembered; a lookup starts where a binary search over the session's indexes
 * says the range begins ({@link JournalReader#seekBatch}), or where the stream's previous page stopped, and stops as
 * soon as it is past the range. Recovery thread only.
 */
final class JournalLookup implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalLookup.class);
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Path directory;
    private final JournalReader reader;
    private final Long2LongHashMap sessionStarts = new Long2LongHashMap(UNKNOWN);
    private final long currentSessionHint;
    private long reads;

    private JournalLookup(final Path directory, final JournalReader reader)
    {
        this.directory = directory;
        this.reader = reader;
        // Nothing of the new session is written yet: its first entry comes after the journal's current last one.
        this.currentSessionHint = reader.lastIndex() < 0 ? Long.MIN_VALUE : reader.lastIndex();
    }

    /**
     * Opens the journal for reading, before the session writes anything.
     *
     * @param directory the journal directory, or null.
     * @return the lookup, or null without a journal or if it cannot be read (logged).
     */
    static JournalLookup open(final Path directory)
    {
        if (directory == null)
        {
            return null;
        }
        try
        {
            return new JournalLookup(directory, JournalReader.open(directory));
        }
        catch (final JournalException ex)
        {
            LOG.warn("recovery service: cannot read the journal, so it serves the window only: {}", ex.getMessage());
            return null;
        }
    }

    /**
     * Offers a session's batches of a topic from {@code from} on, in order, to a page.
     *
     * @param topic        the topic.
     * @param sessionEpoch the session.
     * @param from         first sequence wanted.
     * @param to           last sequence wanted.
     * @param page         takes them.
     * @param current      whether it is the publisher's current session.
     * @return false if the journal holds nothing of that session.
     */
    boolean fill(final byte[] topic, final long sessionEpoch, final long from, final long to, final ReplyPage page,
        final boolean current)
    {
        return fill(topic, sessionEpoch, from, to, page, current, Long.MIN_VALUE);
    }

    /**
     * Offers a session's batches of a topic from {@code from} on, in order, to a page, reading from a journal index
     * a previous page stopped at (a catch-up stream goes on where it was instead of from the session's start). The
     * page's {@link ReplyPage#journalIndex} is where the next page can start.
     *
     * @param topic        the topic.
     * @param sessionEpoch the session.
     * @param from         first sequence wanted.
     * @param to           last sequence wanted.
     * @param page         takes them.
     * @param current      whether it is the publisher's current session.
     * @param fromIndex    an index at or before the first batch wanted, or {@link Long#MIN_VALUE} for the session's
     *                     start.
     * @return false if the journal holds nothing of that session.
     */
    boolean fill(final byte[] topic, final long sessionEpoch, final long from, final long to, final ReplyPage page,
        final boolean current, final long fromIndex)
    {
        final long start = sessionStart(sessionEpoch, current);
        if (start < 0)
        {
            return false;
        }
        reads++;
        // Without a place to go on from, a binary search finds where the range starts: no scan from the session's
        // start.
        final long begin = fromIndex > start ? fromIndex : reader.seekBatch(topic, sessionEpoch, from, start);
        reader.findBatches(topic, sessionEpoch, from, to, begin, (final JournalEntry entry) ->
        {
            final int result = page.offer(entry.buffer(), entry.payloadOffset(), entry.payloadLength(),
                entry.sequence(), entry.updateCount());
            if (result == ReplyPage.TAKEN || result == ReplyPage.COVERED)
            {
                page.journalIndex = entry.index();
                return true;
            }
            if (result == ReplyPage.FULL)
            {
                // The next page starts with this batch, and the reader's tailer stopped on it: no move.
                page.journalIndex = entry.index();
            }
            return false;
        });
        return true;
    }

    private long sessionStart(final long sessionEpoch, final boolean current)
    {
        long start = sessionStarts.get(sessionEpoch);
        if (start == UNKNOWN || start < 0)
        {
            start = reader.sessionStart(sessionEpoch, current ? currentSessionHint : Long.MIN_VALUE);
            if (start >= 0 || !current)
            {
                // The current session's start is looked up again until its first entry is written.
                sessionStarts.put(sessionEpoch, start);
            }
        }
        return start;
    }

    /**
     * The index of the journal's newest entry now.
     *
     * @return the index, or -1 while the journal is empty.
     */
    long lastIndex()
    {
        return reader.lastIndex();
    }

    /**
     * Hands each batch and heartbeat of the current session journaled after {@code afterIndex} to {@code tails}, in
     * journal order, up to the journal's end: how far each topic went.
     *
     * @param sessionEpoch the current session.
     * @param afterIndex   read what comes after this index (from the session's start if it is before it).
     * @param tails        takes each topic's sequence reached and whether its session ended there.
     * @return entries handed out.
     */
    long readTails(final long sessionEpoch, final long afterIndex, final TailHandler tails)
    {
        final long start = sessionStart(sessionEpoch, true);
        if (start < 0)
        {
            return 0;
        }
        reads++;
        final long[] handed = {0};
        reader.read(new JournalFilter(Math.max(start, afterIndex), Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
            List.of()), (final JournalEntry entry) ->
        {
            if (entry.index() <= afterIndex || entry.sessionEpoch() != sessionEpoch || entry.isControlTopic())
            {
                return true;
            }
            if (entry.kindCode() == JournalEntry.KIND_BATCH && entry.updateCount() > 0)
            {
                tails.onTail(entry.buffer(), entry.topicOffset(), entry.topicLength(),
                    entry.sequence() + entry.updateCount() - 1, false);
                handed[0]++;
            }
            else if (entry.kindCode() == JournalEntry.KIND_HEARTBEAT)
            {
                tails.onTail(entry.buffer(), entry.topicOffset(), entry.topicLength(), entry.sequence(),
                    (entry.flags() & 1) != 0);
                handed[0]++;
            }
            return true;
        });
        return handed[0];
    }

    /** Takes how far a topic went in the journal. */
    @FunctionalInterface
    interface TailHandler
    {
        /**
         * A topic's batch or heartbeat.
         *
         * @param buffer      holds the topic.
         * @param topicOffset where it starts.
         * @param topicLength its length.
         * @param sequence    the last sequence the frame covers.
         * @param ended       whether it is the topic's end of session.
         */
        void onTail(DirectBuffer buffer, int topicOffset, int topicLength, long sequence, boolean ended);
    }

    /**
     * Closes the reader's tailers kept for reads that go on (no stream needs them now).
     */
    void releaseTailers()
    {
        reader.releaseTailers();
    }

    /**
     * Lookups made.
     *
     * @return the count.
     */
    long reads()
    {
        return reads;
    }

    /**
     * The directory.
     *
     * @return the path.
     */
    Path directory()
    {
        return directory;
    }

    @Override
    public void close()
    {
        reader.close();
    }
}
