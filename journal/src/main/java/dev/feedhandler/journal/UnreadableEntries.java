package dev.feedhandler.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * What a reader does with a journal entry that is not one this version reads. One whose length is one the journal
 * can write (Chronicle Queue's framing around it is sound) is skipped and counted: the entries after it are still
 * read, and the first skip is logged with its index. One whose length is larger than any entry the journal writes
 * means Chronicle's framing itself is damaged there, so nothing after it can be found: a {@link JournalException}
 * says where.
 * <p>
 * Measured: with 8,500 bytes of one journal overwritten at random, {@code feed replay} printed the first 1,047 updates
 * and ended "journal jc is not a feed journal: the entry at index ... is not one this version reads (format version
 * 1, 536871062 bytes)": a damaged journal called foreign, with the number of bytes its framing claimed.
 */
final class UnreadableEntries
{
    /** The longest entry the journal writes: a whole frame of the largest hand-off ring, with the entry's header. */
    static final long MAX_ENTRY_BYTES = JournalEntry.HEADER_LENGTH + (long)JournalConfiguration.MAX_RING_BYTES / 8;

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableEntries.class);

    private final Path directory;
    private long skipped;

    UnreadableEntries(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * An entry that is not well formed: skipped and counted if its length is possible, else the end of the journal.
     *
     * @param index   its Chronicle index.
     * @param length  its length as Chronicle's framing has it.
     * @param version its format version byte (-1 if it is empty).
     * @throws JournalException if the framing is damaged there: nothing after it can be read.
     */
    void onMalformed(final long index, final long length, final int version)
    {
        if (length > MAX_ENTRY_BYTES)
        {
            throw new JournalException("journal " + directory + " is damaged at index " + index + ": an entry of " +
                length + " bytes, more than any the journal writes, so nothing after it can be read (what comes " +
                "before it can)");
        }
        skipped++;
        if (skipped == 1)
        {
            LOG.warn("journal {}: the entry at index {} is damaged or not a feed journal entry (format version {}, " +
                "{} bytes); skipped, and further ones are counted", directory, index, version, length);
        }
    }

    /**
     * Entries skipped so far.
     *
     * @return the count.
     */
    long skipped()
    {
        return skipped;
    }
}
