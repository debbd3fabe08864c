package dev.feedhandler.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a journal in order, read-only, while a writer may still be appending (it reads to the current end). Each
 * entry is handed out as a {@link JournalEntry} view over the mapped file, valid only during the callback: nothing
 * is copied and nothing allocated per entry. Entries of another format version fail the read with a one-line
 * {@link JournalException}. One thread at a time.
 * <p>
 * A read from an index goes on with a tailer that stopped exactly there if one did: a catch-up stream reads the
 * journal page by page, each page from where the previous one stopped, and several streams take turns, so the reader
 * keeps a few tailers ({@value #CURSORS}, the least recently used one moved when none fits) instead of moving one
 * tailer back and forth. Moving a tailer to an index scans from the nearest index entry: it was a fifth of the
 * recovery service's time during a catch-up. A tailer keeps its cycle file mapped, so one that no read used for
 * {@value #IDLE_READS} reads is closed, and {@link #releaseTailers()} closes them all (the service calls it when its
 * last stream ends): a cycle that retention deletes is not held on disk by a parked tailer.
 */
public final class JournalReader implements JournalSource
{
    /**
     * Receives entries.
     */
    @FunctionalInterface
    public interface EntryHandler
    {
        /**
         * One entry.
         *
         * @param entry a view, valid during this call only.
         * @return true to go on, false to stop reading.
         */
        boolean onEntry(JournalEntry entry);
    }

    /** Most entries a probe of {@link #seekBatch} reads looking for the topic's next batch. */
    static final int PROBE_ENTRIES = 4096;
    /** Tailers kept for reads that go on where an earlier one stopped. */
    static final int CURSORS = 16;
    /** Reads after which a tailer none of them used is closed. */
    static final int IDLE_READS = 4 * CURSORS;
    private static final long NOWHERE = Long.MIN_VALUE;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer probe;
    private final ExcerptTailer[] cursors = new ExcerptTailer[CURSORS];
    private final long[] cursorAt = new long[CURSORS];
    private final long[] cursorUsed = new long[CURSORS];
    private final JournalEntry entry = new JournalEntry();
    private final UnreadableEntries unreadable;
    private long uses;
    private long moves;
    private long stoppedAt = NOWHERE;

    private JournalReader(final Path directory, final SingleChronicleQueue queue)
    {
        this.directory = directory;
        this.unreadable = new UnreadableEntries(directory);
        this.queue = queue;
        this.probe = queue.createTailer();
    }

    /**
     * Opens a journal for reading.
     *
     * @param directory the journal directory.
     * @return the reader, at the start.
     * @throws JournalException if it does not exist or is not a journal.
     */
    public static JournalReader open(final Path directory)
    {
        return JournalFiles.openReader(directory, JournalReader::new);
    }

    /**
     * The queue, for its indexes and roll cycle.
     *
     * @return the queue.
     */
    public SingleChronicleQueue queue()
    {
        return queue;
    }

    /**
     * Reads from the start (or the filter's first index) to the current end, handing out the entries that pass.
     *
     * @param filter  which entries.
     * @param handler receives them.
     * @return entries handed out.
     */
    @Override
    public long read(final JournalFilter filter, final EntryHandler handler)
    {
        final int cursor = cursor(filter.fromIndex());
        final long count = readOn(cursors[cursor], filter, handler);
        cursorAt[cursor] = stoppedAt;
        return count;
    }

    /**
     * Reads on from where a tailer is to the current end (or the filter's last index), handing out the entries that
     * pass. An entry the handler declines, or past the last index, is left unread: {@link #stoppedAt} is its index
     * (else {@link #NOWHERE}), and the tailer reads it next.
     */
    private long readOn(final ExcerptTailer tailer, final JournalFilter filter, final EntryHandler handler)
    {
        stoppedAt = NOWHERE;
        final byte[][] prefixes = filter.prefixBytes();
        long count = 0;
        while (true)
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
                if (index > filter.toIndex())
                {
                    stopAt(dc, index);
                    return count;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final long length = bytes.readRemaining();
                entry.wrap(bytes.addressForRead(bytes.readPosition()), (int)length, index);
                if (!entry.isWellFormed())
                {
                    unreadable.onMalformed(index, length, length > 0 ? entry.version() : -1);
                    continue;
                }
                if (filter.matches(entry, prefixes))
                {
                    count++;
                    if (!handler.onEntry(entry))
                    {
                        stopAt(dc, index);
                        return count;
                    }
                }
            }
        }
    }

    private void stopAt(final DocumentContext dc, final long index)
    {
        dc.rollbackOnClose();
        stoppedAt = index;
    }

    /**
     * Reads every entry.
     *
     * @param handler receives them.
     * @return entries handed out.
     */
    public long read(final EntryHandler handler)
    {
        return read(JournalFilter.ALL, handler);
    }

    /**
     * Finds the batches of a topic that carry any update of a sequence range within one session: what a recovery
     * service needs to fill a gap. Scans the entry headers (no decoding) from the start.
     *
     * @param topic         the topic.
     * @param sessionEpoch  the session.
     * @param fromSequence  first sequence wanted.
     * @param toSequence    last sequence wanted.
     * @param handler       receives each covering batch, in order.
     * @return batches handed out.
     */
    public long findBatches(final String topic, final long sessionEpoch, final long fromSequence,
        final long toSequence, final EntryHandler handler)
    {
        return findBatches(topic.getBytes(StandardCharsets.US_ASCII), sessionEpoch, fromSequence, toSequence,
            Long.MIN_VALUE, handler);
    }

    /**
     * Finds the batches of a topic that carry any update of a sequence range within one session, scanning the entry
     * headers (no decoding) from an index and stopping as soon as it is past the range: at a batch of the topic that
     * starts after {@code toSequence}, or at the first entry of a later session. Sessions follow each other in a
     * journal (one publisher writes it), so nothing of the range can come after either.
     *
     * @param topic         the topic's bytes.
     * @param sessionEpoch  the session.
     * @param fromSequence  first sequence wanted.
     * @param toSequence    last sequence wanted.
     * @param fromIndex     where to start: an index at or before the session's first entry
     *                      ({@link #sessionStart(long, long)}), or {@link Long#MIN_VALUE} for the start.
     * @param handler       receives each covering batch, in order; false stops.
     * @return batches handed out.
     */
    public long findBatches(final byte[] topic, final long sessionEpoch, final long fromSequence,
        final long toSequence, final long fromIndex, final EntryHandler handler)
    {
        final long[] found = new long[1];
        read(new JournalFilter(fromIndex, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, List.of()), e ->
        {
            if (e.sessionEpoch() > sessionEpoch && e.kindCode() != JournalEntry.KIND_INVALID)
            {
                return false;
            }
            if (e.kindCode() != JournalEntry.KIND_BATCH || e.sessionEpoch() != sessionEpoch || !e.topicEquals(topic))
            {
                return true;
            }
            if (e.sequence() > toSequence)
            {
                return false;
            }
            if (e.sequence() + e.updateCount() - 1 >= fromSequence)
            {
                found[0]++;
                return handler.onEntry(e);
            }
            return true;
        });
        return found[0];
    }

    /**
     * An index to start {@link #findBatches(byte[], long, long, long, long, EntryHandler)} from for a sequence far into
     * a session, found by a binary search over the journal's indexes instead of a scan from the session's start (a
     * catch-up stream's first page used to read every entry of the session before its range: about a second for a
     * subscriber 10 s behind). A topic's sequences grow with the index, so "the topic's first batch at or after an
     * index ends at or after {@code fromSequence}" is false and then true along the journal: the search finds where
     * it turns. Each probe reads forward from its index to the topic's next batch, at most {@link #PROBE_ENTRIES}
     * entries; a probe that finds none (a quiet topic, another session, a cycle boundary) counts as "at or after",
     * which only moves the answer earlier. The search stays within the last cycle file; a range that starts in an
     * earlier one gets the lower bound back, and with it the scan.
     *
     * @param topic        the topic's bytes.
     * @param sessionEpoch the session.
     * @param fromSequence first sequence wanted.
     * @param lowIndex     an index at or before the first batch wanted (the session's start).
     * @return an index at or before the topic's first batch that ends at or after {@code fromSequence}, and not
     * before {@code lowIndex}.
     */
    public long seekBatch(final byte[] topic, final long sessionEpoch, final long fromSequence, final long lowIndex)
    {
        final long last = queue.lastIndex();
        if (lowIndex < 0 || last < 0 || last <= lowIndex)
        {
            return lowIndex;
        }
        final RollCycle cycle = queue.rollCycle();
        long low = Math.max(lowIndex, cycle.toIndex(cycle.toCycle(last), 0));
        if (low > lowIndex && reachesFrom(topic, sessionEpoch, fromSequence, low))
        {
            return lowIndex;
        }
        // Invariant: low == lowIndex or the probe at low is false; the probe at high is true (or high is past the end).
        long high = last + 1;
        while (high - low > 1)
        {
            final long middle = low + ((high - low) >>> 1);
            if (reachesFrom(topic, sessionEpoch, fromSequence, middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }
        return low;
    }

    /**
     * Whether the topic's first batch of the session at or after an index ends at or after a sequence; true when
     * that cannot be told within {@link #PROBE_ENTRIES} entries (the safe answer: it keeps the search earlier).
     */
    private boolean reachesFrom(final byte[] topic, final long sessionEpoch, final long fromSequence, final long index)
    {
        if (!probe.moveToIndex(index))
        {
            return true;
        }
        // {reads, answer}: the answer stays true (the safe one) unless the topic's next batch says otherwise.
        final int[] answer = {0, 1};
        readOn(probe, JournalFilter.ALL, e ->
        {
            if (++answer[0] > PROBE_ENTRIES)
            {
                return false;
            }
            if (e.kindCode() == JournalEntry.KIND_INVALID)
            {
                return true;
            }
            if (e.sessionEpoch() != sessionEpoch)
            {
                return false;
            }
            if (e.kindCode() != JournalEntry.KIND_BATCH || !e.topicEquals(topic))
            {
                return true;
            }
            answer[1] = e.sequence() + e.updateCount() - 1 >= fromSequence ? 1 : 0;
            return false;
        });
        return answer[1] == 1;
    }

    /**
     * The index of the first entry of a session, scanning from a hint.
     *
     * @param sessionEpoch the session.
     * @param fromIndex    an index at or before the session's first entry, or {@link Long#MIN_VALUE} for the start.
     * @return the index, or -1 if the journal (from the hint on) holds nothing of that session.
     */
    public long sessionStart(final long sessionEpoch, final long fromIndex)
    {
        final long[] start = {-1};
        read(new JournalFilter(fromIndex, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, List.of()), e ->
        {
            if (e.kindCode() == JournalEntry.KIND_INVALID || e.sessionEpoch() < sessionEpoch)
            {
                return true;
            }
            if (e.sessionEpoch() == sessionEpoch)
            {
                start[0] = e.index();
            }
            return false;
        });
        return start[0];
    }

    /**
     * The index of the last entry written so far.
     *
     * @return the index, or -1 if the journal is empty.
     */
    public long lastIndex()
    {
        final long last = queue.lastIndex();
        return last < 0 ? -1 : last;
    }

    /**
     * Tailer moves made: reads that found no tailer stopped where they start (for tests).
     *
     * @return the count.
     */
    long moves()
    {
        return moves;
    }

    /**
     * A tailer at {@code fromIndex}: one that stopped exactly there, else the least recently used one, moved.
     */
    private int cursor(final long fromIndex)
    {
        for (int i = 0; i < CURSORS; i++)
        {
            if (cursors[i] != null && uses - cursorUsed[i] > IDLE_READS)
            {
                closeCursor(i);
            }
        }
        int chosen = -1;
        if (fromIndex != NOWHERE)
        {
            for (int i = 0; i < CURSORS; i++)
            {
                if (cursors[i] != null && cursorAt[i] == fromIndex)
                {
                    chosen = i;
                    break;
                }
            }
        }
        if (chosen < 0)
        {
            chosen = leastRecentlyUsed();
            if (cursors[chosen] == null)
            {
                cursors[chosen] = queue.createTailer();
            }
            moves++;
            position(cursors[chosen], fromIndex);
        }
        cursorAt[chosen] = NOWHERE;
        cursorUsed[chosen] = ++uses;
        return chosen;
    }

    /**
     * Closes the tailers kept for reads that go on (the next reads move new ones): nothing of the journal stays mapped
     * for them.
     */
    public void releaseTailers()
    {
        for (int i = 0; i < CURSORS; i++)
        {
            closeCursor(i);
        }
    }

    /**
     * Tailers kept open for reads that go on (for tests).
     *
     * @return the count.
     */
    int openTailers()
    {
        int open = 0;
        for (final ExcerptTailer cursor : cursors)
        {
            open += cursor == null ? 0 : 1;
        }
        return open;
    }

    private void closeCursor(final int i)
    {
        if (cursors[i] != null)
        {
            cursors[i].close();
            cursors[i] = null;
            cursorAt[i] = NOWHERE;
        }
    }

    private int leastRecentlyUsed()
    {
        int chosen = 0;
        for (int i = 0; i < CURSORS; i++)
        {
            if (cursors[i] == null)
            {
                return i;
            }
            if (cursorUsed[i] < cursorUsed[chosen])
            {
                chosen = i;
            }
        }
        return chosen;
    }

    private void position(final ExcerptTailer tailer, final long fromIndex)
    {
        tailer.toStart();
        if (fromIndex != NOWHERE && fromIndex > queue.firstIndex())
        {
            if (!tailer.moveToIndex(fromIndex))
            {
                // Not an index of an entry (between cycles, or past the end): scan from the start, the filter skips.
                tailer.toStart();
            }
        }
    }

    /**
     * Closes the queue.
     */
    @Override
    public void close()
    {
        probe.close();
        releaseTailers();
        queue.close();
    }
}
