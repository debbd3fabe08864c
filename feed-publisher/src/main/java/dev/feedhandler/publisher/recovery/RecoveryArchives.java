package dev.feedhandler.publisher.recovery;

import dev.feedhandler.journal.ArchiveUnavailableException;
import dev.feedhandler.journal.BatchArchive;
import dev.feedhandler.journal.JournalEntry;
import dev.feedhandler.journal.JournalException;
import dev.feedhandler.journal.JournalReader;
import dev.feedhandler.journal.RemoteJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the recovery service looks for what its window no longer holds, in turn: the publisher's journal, then the
 * journal's copy off this host ({@code --recovery-kafka}) for what the journal does not hold (deleted cycles, a
 * journal lost with its disk, a session older than the journal). Each fills the same reply page from where the
 * previous one stopped. Recovery thread only; the counts are readable from any thread.
 */
final class RecoveryArchives implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryArchives.class);

    private final JournalLookup journal;
    private final BatchArchive remote;
    private final AtomicLong fromJournal = new AtomicLong();
    private final AtomicLong fromRemote = new AtomicLong();
    private final AtomicLong cutShort = new AtomicLong();
    private final AtomicLong remoteSeeks = new AtomicLong();
    private ReplyPage page;
    private final JournalReader.EntryHandler offer = this::offer;

    private RecoveryArchives(final JournalLookup journal, final BatchArchive remote)
    {
        this.journal = journal;
        this.remote = remote;
    }

    /**
     * Opens the archives the settings name; one that cannot be opened is logged and left out.
     *
     * @param directory the journal directory, or null.
     * @param copy      the journal's copy off this host, or null.
     * @return the archives (possibly none).
     */
    static RecoveryArchives open(final Path directory, final RemoteJournal copy)
    {
        final JournalLookup journal = JournalLookup.open(directory);
        BatchArchive remote = null;
        if (copy != null)
        {
            try
            {
                remote = copy.openArchive();
            }
            catch (final JournalException ex)
            {
                LOG.warn("recovery service: cannot read {}, so it serves without it: {}", copy, ex.getMessage());
            }
        }
        return new RecoveryArchives(journal, remote);
    }

    /**
     * Offers a session's batches of a topic from {@code from} on, in order, to a page: from the journal, then from
     * the copy for what the journal could not give.
     *
     * @param topic        the topic.
     * @param sessionEpoch the session.
     * @param from         first sequence wanted.
     * @param to           last sequence wanted.
     * @param reply        takes them.
     * @param current      whether it is the publisher's current session.
     * @return false if no archive holds anything of that session.
     */
    boolean fill(final byte[] topic, final long sessionEpoch, final long from, final long to, final ReplyPage reply,
        final boolean current)
    {
        return fill(topic, sessionEpoch, from, to, reply, current, Long.MIN_VALUE);
    }

    /**
     * Like {@link #fill(byte[], long, long, long, ReplyPage, boolean)}, reading the journal from an index a previous
     * page of the same catch-up stream stopped at ({@link ReplyPage#journalIndex}) instead of the session's start.
     *
     * @param topic        the topic.
     * @param sessionEpoch the session.
     * @param from         first sequence wanted.
     * @param to           last sequence wanted.
     * @param reply        takes them.
     * @param current      whether it is the publisher's current session.
     * @param journalIndex a journal index at or before the first batch wanted, or {@link Long#MIN_VALUE}.
     * @return false if no archive holds anything of that session.
     */
    boolean fill(final byte[] topic, final long sessionEpoch, final long from, final long to, final ReplyPage reply,
        final boolean current, final long journalIndex)
    {
        boolean found = false;
        if (journal != null)
        {
            final int before = reply.batches;
            found = journal.fill(topic, sessionEpoch, from, to, reply, current, journalIndex);
            fromJournal.addAndGet(reply.batches - before);
        }
        if (remote != null && !reply.full && reply.coveredTo < to)
        {
            final long journalHole = reply.holeAt;
            reply.holeAt = 0;
            final int before = reply.batches;
            page = reply;
            try
            {
                found |= remote.findBatches(topic, sessionEpoch, reply.coveredTo + 1, to, offer);
            }
            catch (final ArchiveUnavailableException ex)
            {
                if (reply.batches == before)
                {
                    throw ex;
                }
                // Out of time after it handed out batches, which are valid: the page goes out with them, and the
                // client asks for the rest (the archive reads on from there) instead of for all of it again.
                found = true;
                cutShort.incrementAndGet();
                LOG.warn("{}; answering with the {} batches found, the client asks for the rest", ex.getMessage(),
                    reply.batches - before);
            }
            finally
            {
                page = null;
                remoteSeeks.set(remote.seeks());
            }
            fromRemote.addAndGet(reply.batches - before);
            // The journal's hole still matters only if the copy did not cover up to it.
            if (journalHole > reply.coveredTo + 1 && (reply.holeAt == 0 || journalHole < reply.holeAt))
            {
                reply.holeAt = journalHole;
            }
        }
        return found;
    }

    private boolean offer(final JournalEntry entry)
    {
        final int result = page.offer(entry.buffer(), entry.payloadOffset(), entry.payloadLength(), entry.sequence(),
            entry.updateCount());
        return result == ReplyPage.TAKEN || result == ReplyPage.COVERED;
    }

    /**
     * The index of the journal's newest entry now.
     *
     * @return the index; -1 without a journal or while it is empty.
     */
    long journalLastIndex()
    {
        return journal == null ? -1 : journal.lastIndex();
    }

    /**
     * How far each topic of the current session went in the journal after an index
     * ({@link JournalLookup#readTails}); nothing without a journal.
     *
     * @param sessionEpoch the current session.
     * @param afterIndex   read what the journal holds after this index.
     * @param tails        takes each topic's sequence reached.
     * @return frames handed out.
     */
    long readTails(final long sessionEpoch, final long afterIndex, final JournalLookup.TailHandler tails)
    {
        return journal == null ? 0 : journal.readTails(sessionEpoch, afterIndex, tails);
    }

    /**
     * Whether there is no archive at all: only the window can serve, the current session only.
     *
     * @return true without a journal and without a copy.
     */
    boolean isEmpty()
    {
        return journal == null && remote == null;
    }

    /**
     * Batches served from the journal.
     *
     * @return the count.
     */
    long fromJournal()
    {
        return fromJournal.get();
    }

    /**
     * Batches served from the copy off this host.
     *
     * @return the count.
     */
    long fromRemote()
    {
        return fromRemote.get();
    }

    /**
     * Lookups in the copy off this host that ran out of time after they had found batches, answered with those.
     *
     * @return the count.
     */
    long remoteCutShort()
    {
        return cutShort.get();
    }

    /**
     * Seeks into the copy off this host to find where a range starts without reading what precedes it.
     *
     * @return the count.
     */
    long remoteSeeks()
    {
        return remoteSeeks.get();
    }

    /**
     * What there is, for the start-up log line.
     *
     * @return such as {@code journal /var/tmp/j, kafka topic feed on 127.0.0.1:9092}.
     */
    String description()
    {
        final String local = journal == null ? "no journal" : "journal " + journal.directory();
        return remote == null ? local : local + ", " + remote.description();
    }

    /**
     * No catch-up stream is open: the journal's tailers kept for them are closed (a parked tailer keeps its cycle
     * file mapped).
     */
    void idle()
    {
        if (journal != null)
        {
            journal.releaseTailers();
        }
    }

    @Override
    public void close()
    {
        if (journal != null)
        {
            journal.close();
        }
        if (remote != null)
        {
            remote.close();
        }
    }
}
