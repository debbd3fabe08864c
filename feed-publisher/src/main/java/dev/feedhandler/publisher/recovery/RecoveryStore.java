package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.wire.WireFormat;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.MessageHandler;

import java.util.function.LongSupplier;

/**
 * What the recovery service can serve: every frame the publisher handed over (it is the hand-off's reader), kept as
 * each topic's last sequence number, end of session and last quote (the {@link LastValueCache}) and its batches in
 * the {@link RecoveryWindow}; behind the window, the journal. It fills reply pages of a topic's sequence range from the
 * window and, for what the window no longer holds (or never got), from the journal. No socket; recovery thread only.
 */
final class RecoveryStore implements MessageHandler
{
    /** How often {@link #noteJournalClean} looks at the journal's end (a look costs about 0.2 ms): 1 s. */
    static final long CLEAN_CHECK_NS = 1_000_000_000L;

    /** {@link #fill} result: the service knows nothing of the session asked for. */
    static final long UNKNOWN_SESSION = Long.MIN_VALUE;

    private final long sessionEpoch;
    private final RecoveryWindow window;
    private final RecoveryArchives archives;
    private final RecoveryCounters counters;
    private final LastValueCache cache;
    private final LongArrayList positions = new LongArrayList();
    private LongSupplier missedFrames = () -> 0;
    private long cleanJournalIndex = Long.MIN_VALUE;
    private long nextCleanCheckNs;
    private boolean cleanChecked;
    private volatile long tailsFromJournal;

    /**
     * A store.
     *
     * @param sessionEpoch    the publisher's current session.
     * @param windowBytes     the window's size.
     * @param archives        the journal and its copy off this host (possibly none).
     * @param counters        counts what is served from where.
     */
    RecoveryStore(final long sessionEpoch, final int windowBytes, final RecoveryArchives archives,
        final RecoveryCounters counters)
    {
        this(sessionEpoch, new RecoveryWindow(windowBytes), null, archives, counters);
    }

    /**
     * A store over a window and its cache.
     *
     * @param sessionEpoch    the publisher's current session.
     * @param window          the session's recent batches.
     * @param cache           each topic's last sequence and quote, fed into {@code window}; null for a new one.
     * @param archives        the journal and its copy off this host (possibly none).
     * @param counters        counts what is served from where.
     */
    RecoveryStore(final long sessionEpoch, final RecoveryWindow window, final LastValueCache cache,
        final RecoveryArchives archives, final RecoveryCounters counters)
    {
        this.sessionEpoch = sessionEpoch;
        this.window = window;
        this.cache = cache == null ? new LastValueCache(window, counters) : cache;
        this.archives = archives;
        this.counters = counters;
    }

    long sessionEpoch()
    {
        return sessionEpoch;
    }

    RecoveryWindow window()
    {
        return window;
    }

    RecoveryArchives archives()
    {
        return archives;
    }

    /**
     * Says how many frames the hand-off could not give the window ({@link RecoveryHandoff#notWindowed()}): once
     * there are any, a topic may go on in the journal past the last sequence the window knows of.
     *
     * @param count the count, readable from the recovery thread.
     */
    void missedFrames(final LongSupplier count)
    {
        this.missedFrames = count;
    }

    /**
     * While the hand-off has missed nothing, notes how far the journal has been written: a frame is handed over
     * before it is journaled, so every frame the hand-off misses later lies past that index, and the session's end
     * reads the topics' tails from there rather than from the session's start. At most every
     * {@link #CLEAN_CHECK_NS}; recovery thread.
     *
     * @param nowNs {@link System#nanoTime()}.
     */
    void noteJournalClean(final long nowNs)
    {
        if ((cleanChecked && nowNs - nextCleanCheckNs < 0) || missedFrames.getAsLong() > 0)
        {
            return;
        }
        cleanChecked = true;
        nextCleanCheckNs = nowNs + CLEAN_CHECK_NS;
        // The journal's end first, then the count: no frame up to that end was missed if the count is still 0.
        final long last = archives.journalLastIndex();
        if (last >= 0 && missedFrames.getAsLong() == 0)
        {
            cleanJournalIndex = last;
        }
    }

    /**
     * The publisher ended its session and its journal is complete: every topic has ended, at the last sequence the
     * window knows of or, past it, where the journal ends. A catch-up stream then ends once it has sent it all.
     * <p>
     * If the hand-off missed frames, the window does not know where every topic went: their last sequences (and
     * topics first published meanwhile) are read from the journal first, so that an end of session, a snapshot or
     * an audit never names a topic's end short of what was published (a subscriber would take the rest as never
     * sent).
     */
    void endSession()
    {
        if (missedFrames.getAsLong() > 0)
        {
            tailsFromJournal = archives.readTails(sessionEpoch, cleanJournalIndex, cache::advance);
        }
        cache.endSession();
    }

    /**
     * Frames read from the journal at the session's end to learn how far the topics went (the hand-off had missed
     * some). Safe from any thread.
     *
     * @return the count.
     */
    long tailsFromJournal()
    {
        return tailsFromJournal;
    }

    /**
     * The topics of the session, their last sequence and quote.
     *
     * @return the cache.
     */
    LastValueCache cache()
    {
        return cache;
    }

    /**
     * One hand-off record, into the cache and the window ({@link LastValueCache#onMessage}).
     */
    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        cache.onMessage(msgTypeId, buffer, index, length);
    }

    /**
     * A topic of the current session.
     *
     * @param topic its name.
     * @return its slot, or null if it has sent nothing.
     */
    TopicSlot existingSlot(final byte[] topic)
    {
        return cache.find(topic);
    }

    /**
     * Fills a page with a topic's batches of a session from {@code page.from} on: the current session from the
     * window and, before the window's reach, the journal; an earlier one from the journal.
     *
     * @param topic        the topic.
     * @param epoch        the session.
     * @param to           last sequence wanted, or {@link WireFormat#SEQUENCE_TO_END}.
     * @param page         takes the batches.
     * @param journalIndex where a previous page of the same stream stopped in the journal, or {@link Long#MIN_VALUE}.
     * @return the end of the range the service can speak for: for the current session {@code to} or, if less, the
     * topic's last sequence number; for an earlier one {@code to}; {@link #UNKNOWN_SESSION} if neither the window
     * nor the journal knows the session.
     */
    long fill(final byte[] topic, final long epoch, final long to, final ReplyPage page, final long journalIndex)
    {
        if (epoch == sessionEpoch)
        {
            final TopicSlot slot = existingSlot(topic);
            final long known = slot == null ? 0 : slot.lastSequence;
            final long end = Math.min(to, known);
            if (end >= page.from)
            {
                fillCurrent(topic, slot, page.from, end, page, journalIndex);
            }
            if (page.coveredTo < to && !page.full && page.holeAt == 0 && missedFrames.getAsLong() > 0)
            {
                // The frames the hand-off could not take are in the journal only, the topic's newest ones too (past
                // what the window knows of, or, once the session's end was read from the journal, short of it).
                final long before = page.coveredTo;
                archives.fill(topic, sessionEpoch, before + 1, to, page, true,
                    Math.max(journalIndex, page.journalIndex));
                return Math.max(end, page.coveredTo);
            }
            return end;
        }
        return archives.fill(topic, epoch, page.from, to, page, false, journalIndex) ? to : UNKNOWN_SESSION;
    }

    private void fillCurrent(final byte[] topic, final TopicSlot slot, final long from, final long end,
        final ReplyPage page, final long journalIndex)
    {
        long windowFirst = Long.MAX_VALUE;
        positions.clear();
        if (slot != null)
        {
            // Where the window starts first (its first record): a page the journal fills needs no more of it.
            window.collect(slot, from, end, 0, 0, positions);
            if (!positions.isEmpty())
            {
                windowFirst = window.firstSequence(positions.getLong(0));
            }
        }
        if (windowFirst > from)
        {
            archives.fill(topic, sessionEpoch, from, Math.min(end, windowFirst - 1), page, true, journalIndex);
            if (page.full || page.holeAt != 0)
            {
                return;
            }
            if (page.coveredTo < windowFirst - 1)
            {
                page.holeAt = windowFirst == Long.MAX_VALUE ? 0 : windowFirst;
                return;
            }
        }
        if (slot != null && windowFirst != Long.MAX_VALUE)
        {
            window.collect(slot, from, end, page.maxUpdates(), page.maxBytes(), positions);
        }
        final int before = page.batches;
        for (int i = 0; i < positions.size(); i++)
        {
            final long position = positions.getLong(i);
            final int result = page.offer(window.buffer(), window.payloadOffset(position), window.length(position),
                window.firstSequence(position), window.count(position));
            if (result == ReplyPage.FULL || result == ReplyPage.HOLE)
            {
                break;
            }
        }
        counters.add(RecoveryCounters.BATCHES_FROM_WINDOW, page.batches - before);
    }

}
