package dev.feedhandler.subscriber.receive;

import dev.feedhandler.common.shm.ShmFrameHandler;
import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.shm.ShmLogDescriptor;
import dev.feedhandler.common.shm.ShmLogException;
import dev.feedhandler.common.shm.ShmLogReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscriber's receiver over the publisher's shared-memory log instead of a socket: each duty cycle reads what
 * the log has and hands every frame to {@link FeedReceiver#onFrame}, so that the same checks, sequence rules,
 * recovery and liveness apply as to a socket's messages. A lap (the reader fell a whole ring behind) skips frames:
 * the sequencer sees the gap in the next frame or heartbeat of each topic and recovers it. Before the publisher has
 * created the log, and after it closed it or a new publisher replaced it, the agent looks for the file every
 * {@link #OPEN_INTERVAL_MS} ms and reads the new log from its beginning. A duty cycle never blocks: the runner's
 * idle strategy decides how it waits, by default in {@link #awaitRecords()} until the publisher says it wrote.
 * Receiver thread only; a duty cycle with frames allocates nothing.
 */
public final class ShmReceiverAgent implements Agent, ShmFrameHandler
{
    /** How often a reader without a log looks for the file. */
    public static final long OPEN_INTERVAL_MS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(ShmReceiverAgent.class);
    private static final int POLL_LIMIT = 256;
    private static final long AWAIT_TIMEOUT_NS = FeedReceiver.RECEIVE_TIMEOUT_MS * 1_000_000L;

    private final FeedReceiver receiver;
    private final ShmLocation location;
    private final List<String> topics;
    private final ZMQ.Socket link;
    private ShmLogReader reader;
    private long nextOpenNs;
    private long lapsBefore;
    private long laps;
    private long bytesSkipped;
    private long damagedRecords;
    private long logsOpened;
    private long retiredEpoch;
    private long retiredPid;
    private volatile String lastError;

    /**
     * An agent over a log opened already (joining a running feed at its end), or none yet.
     *
     * @param receiver the receiver, without a socket.
     * @param location where the log is.
     * @param topics   the topic prefixes to deliver.
     * @param reader   the log opened at start, or null if there was none yet.
     * @param link     the link to the recovery client (closed with the agent), or null.
     */
    public ShmReceiverAgent(final FeedReceiver receiver, final ShmLocation location, final List<String> topics,
        final ShmLogReader reader, final ZMQ.Socket link)
    {
        this.receiver = receiver;
        this.location = location;
        this.topics = List.copyOf(topics);
        this.reader = reader;
        this.link = link;
        if (reader != null)
        {
            opened(reader);
        }
        else
        {
            LOG.info("waiting for the publisher's shared memory {}", location.path());
        }
    }

    /**
     * Opens the log at {@code location} if there is one, joining it at its end as a socket subscriber joins a
     * running feed.
     *
     * @param location where.
     * @param topics   the topic prefixes to deliver.
     * @return the reader, or null if there is no log yet.
     * @throws ShmLogException with one line naming the file if it is foreign, damaged or may not be read.
     */
    public static ShmLogReader open(final ShmLocation location, final List<String> topics)
    {
        return ShmLogReader.open(location.path(), topics, false);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int doWork()
    {
        int work = 0;
        final long nowNs = System.nanoTime();
        if (reader == null && nowNs - nextOpenNs >= 0)
        {
            nextOpenNs = nowNs + OPEN_INTERVAL_MS * 1_000_000L;
            work += tryOpen();
        }
        if (reader != null)
        {
            final int records = reader.poll(this, POLL_LIMIT);
            work += records;
            if (reader.laps() != lapsBefore)
            {
                lapped();
            }
            if (records == 0 && reader.finished())
            {
                LOG.info("shared memory {}: the publisher {}; waiting for the next one", location.path(),
                    reader.state() == ShmLogDescriptor.STATE_CLOSED ? "closed it" :
                    "was replaced by a new one");
                retire();
                nextOpenNs = nowNs;
                work++;
            }
        }
        work += receiver.doRecoveryWork();
        receiver.checkLiveness(nowNs);
        return work;
    }

    /**
     * Sleeps until the publisher writes to the log, up to {@link FeedReceiver#RECEIVE_TIMEOUT_MS} (the liveness
     * checks run at least that often), if the log's writer wakes its readers: after a duty cycle that found nothing.
     * Not while recoveries are in flight (their answers come on the link, which only a duty cycle reads) nor without
     * a log.
     *
     * @return true if it waited; false if the caller should wait on its timer instead.
     */
    public boolean awaitRecords()
    {
        final ShmLogReader current = reader;
        return current != null && current.wokenByWriter() && !receiver.sequencer().busy() &&
            current.awaitRecords(AWAIT_TIMEOUT_NS);
    }

    /**
     * How the runner waits between duty cycles.
     *
     * @param timer    the timer strategy (the receive mode's, or the shared-memory default).
     * @param blocking whether the receive mode is {@code block}: then asleep until the publisher writes where the log
     *                 allows it ({@link ShmAwaitIdleStrategy}), as a socket subscriber blocks in its socket.
     * @return the strategy.
     */
    public IdleStrategy idleStrategy(final IdleStrategy timer, final boolean blocking)
    {
        return blocking ? new ShmAwaitIdleStrategy(this, timer) : timer;
    }

    private int tryOpen()
    {
        final ShmLogReader opened;
        try
        {
            // Everything from the log's beginning: it was not there while we waited.
            opened = ShmLogReader.open(location.path(), topics, true);
        }
        catch (final ShmLogException ex)
        {
            if (!ex.getMessage().equals(lastError))
            {
                LOG.error("{}; waiting for a publisher to replace it", ex.getMessage());
                lastError = ex.getMessage();
            }
            return 0;
        }
        if (opened == null)
        {
            return 0;
        }
        if (opened.sessionEpoch() == retiredEpoch && opened.writerPid() == retiredPid)
        {
            // The log just read to its end, not yet removed by its publisher: nothing new.
            opened.close();
            return 0;
        }
        reader = opened;
        opened(opened);
        return 1;
    }

    private void opened(final ShmLogReader opened)
    {
        logsOpened++;
        lastError = null;
        lapsBefore = 0;
        LOG.info("reading shared memory {} (publisher pid {}, session {}, {} MiB ring, {})", opened.path(),
            opened.writerPid(), opened.sessionEpoch(), opened.capacity() >> 20,
            opened.wokenByWriter() ? "woken by the publisher" : "looking for records on a timer");
    }

    private void lapped()
    {
        final long newLaps = reader.laps() - lapsBefore;
        lapsBefore = reader.laps();
        laps += newLaps;
        LOG.warn("shared memory {}: lapped by the publisher (the reader fell a ring behind); {} bytes skipped so " +
            "far, recovering what they held", location.path(), bytesSkipped + reader.bytesSkipped());
    }

    private void retire()
    {
        bytesSkipped += reader.bytesSkipped();
        damagedRecords += reader.damagedRecords();
        if (reader.firstDamage() != null)
        {
            LOG.warn("shared memory {}: {} damaged records skipped, the first: {}", location.path(),
                reader.damagedRecords(), reader.firstDamage());
        }
        retiredEpoch = reader.sessionEpoch();
        retiredPid = reader.writerPid();
        reader.close();
        reader = null;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onFrame(final DirectBuffer buffer, final int topicOffset, final int topicLength,
        final int payloadOffset, final int payloadLength)
    {
        receiver.onFrame(buffer, topicOffset, topicLength, buffer, payloadOffset, payloadLength);
    }

    /**
     * The reader's figures for a summary: {@code path}, {@code logsOpened}, {@code laps}, {@code bytesSkipped},
     * {@code damagedRecords}, {@code wokenByWriter} (with a log open: asleep until the publisher writes, not on a
     * timer), and {@code error} while the file cannot be read. Call after the agent closed (or
     * accept figures a little behind).
     *
     * @return an ordered map.
     */
    public Map<String, Object> summary()
    {
        final ShmLogReader current = reader;
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("path", location.path().toString());
        summary.put("logsOpened", logsOpened);
        summary.put("laps", laps);
        summary.put("bytesSkipped", bytesSkipped + (current == null ? 0 : current.bytesSkipped()));
        summary.put("damagedRecords", damagedRecords + (current == null ? 0 : current.damagedRecords()));
        if (current != null)
        {
            summary.put("wokenByWriter", current.wokenByWriter());
        }
        final String error = lastError;
        if (error != null)
        {
            summary.put("error", error);
        }
        return summary;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onClose()
    {
        receiver.close();
        if (reader != null)
        {
            bytesSkipped += reader.bytesSkipped();
            damagedRecords += reader.damagedRecords();
            reader.close();
            reader = null;
        }
        if (link != null)
        {
            link.close();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String roleName()
    {
        return "feed-shm-receiver";
    }
}
