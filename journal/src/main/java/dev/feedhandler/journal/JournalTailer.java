package dev.feedhandler.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Follows a journal as it grows, read-only: each {@link #poll} hands out the entries written since the last one, up
 * to a limit, and returns 0 at the current end (the caller idles and polls again). Entries are {@link JournalEntry}
 * views over the mapped file, valid during the callback only: nothing is copied or allocated per entry. Entries of
 * another format version fail with a one-line {@link JournalException}. One thread at a time.
 */
public final class JournalTailer implements AutoCloseable
{
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final JournalEntry entry = new JournalEntry();
    private final UnreadableEntries unreadable;
    private long lastIndex = -1;

    private JournalTailer(final Path directory, final SingleChronicleQueue queue)
    {
        this.directory = directory;
        this.unreadable = new UnreadableEntries(directory);
        this.queue = queue;
        this.tailer = queue.createTailer();
    }

    /**
     * Opens a journal to follow, at its start.
     *
     * @param directory the journal directory.
     * @return the tailer.
     * @throws JournalException if it does not exist or is not a journal.
     */
    public static JournalTailer open(final Path directory)
    {
        return JournalFiles.openReader(directory, JournalTailer::new);
    }

    /**
     * Goes back to the first entry the journal holds.
     */
    public void toStart()
    {
        tailer.toStart();
        lastIndex = -1;
    }

    /**
     * Moves so that the next entry handed out is the one after {@code index}, if the journal still holds that entry;
     * otherwise to the start.
     *
     * @param index a journal index.
     * @return true if the journal holds it (the next entry is the one after it), false if it went to the start.
     */
    public boolean moveAfter(final long index)
    {
        if (index >= queue.firstIndex() && tailer.moveToIndex(index))
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (dc.isPresent() && dc.index() == index)
                {
                    lastIndex = index;
                    return true;
                }
            }
        }
        toStart();
        return false;
    }

    /**
     * Hands out the entries written since the last poll, up to a limit.
     *
     * @param handler receives them; false stops this poll after that entry.
     * @param limit   most entries.
     * @return entries handed out, 0 at the current end.
     */
    public int poll(final JournalReader.EntryHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return count;
                }
                if (dc.isMetaData())
                {
                    continue;
                }
                final long index = dc.index();
                final Bytes<?> bytes = dc.wire().bytes();
                final long length = bytes.readRemaining();
                entry.wrap(bytes.addressForRead(bytes.readPosition()), (int)length, index);
                if (!entry.isWellFormed())
                {
                    unreadable.onMalformed(index, length, length > 0 ? entry.version() : -1);
                    continue;
                }
                lastIndex = index;
                count++;
                if (!handler.onEntry(entry))
                {
                    return count;
                }
            }
        }
        return count;
    }

    /**
     * The index of the last entry handed out.
     *
     * @return the index, or -1 before the first.
     */
    public long lastIndex()
    {
        return lastIndex;
    }

    /**
     * The entries written after the last one handed out, counted by Chronicle from its indexes (cheap, but not free:
     * call it now and then, not per entry).
     *
     * @return the count, 0 at the end.
     */
    public long remaining()
    {
        final long last = queue.lastIndex();
        if (last < 0 || last <= lastIndex)
        {
            return 0;
        }
        final long from = lastIndex < 0 ? queue.firstIndex() : lastIndex;
        final long counted = queue.countExcerpts(from, last);
        // countExcerpts counts from 'from' (inclusive) to 'last' (exclusive): the end's own entry is unread, the one
        // at 'from' has been read unless nothing was read yet.
        return lastIndex < 0 ? counted + 1 : counted;
    }

    /**
     * The index of the first entry the journal holds.
     *
     * @return the index, or -1 if it is empty.
     */
    public long firstIndex()
    {
        final long first = queue.firstIndex();
        return first == Long.MAX_VALUE ? -1 : first;
    }

    /**
     * The journal directory.
     *
     * @return the path.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Closes the queue.
     */
    @Override
    public void close()
    {
        tailer.close();
        queue.close();
    }
}
