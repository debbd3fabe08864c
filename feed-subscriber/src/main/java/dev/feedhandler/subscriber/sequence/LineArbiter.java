package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.codec.MessageHeaderDecoder;
import dev.feedhandler.common.wire.WireFormat;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the subscriber knows about each line of a feed published on identical lines (A and B): which (topic, sequence)
 * each line brought, and when. It sees every frame as it arrives, before the {@link TopicSequencer}, and tells the
 * sequencer whether a gap seen on one line may still be filled by another ({@link #anotherLineMayBring}): the
 * sequencer then waits for that line instead of asking the recovery service.
 * <p>
 * Per line it counts the updates it brought first (won), the copies that came after another line's (with how much
 * later: the line's lag, in a histogram), its own second copies (repeated: {@code publish --repeat-batches}), and
 * the times it went silent (down: nothing for three heartbeat intervals) and came back (up). It keeps a 64-bit
 * hash of each update of the last {@link #HISTORY} sequence numbers of each topic: a copy whose bytes differ from
 * the first one means the lines are not identical (another seed, another start): that is counted, logged once, and
 * reported by {@link #mismatch()}, never merged silently.
 * <p>
 * Receiver thread only, allocation-free per frame once a topic is known; the statistics may be read from any thread.
 */
public final class LineArbiter
{
    /** Sequence numbers per topic whose first arrival is remembered (for the lag and the comparison). */
    public static final int HISTORY = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(LineArbiter.class);
    private static final int MASK = HISTORY - 1;
    private static final int WON = 0;
    private static final int LATE = 1;
    private static final int DOWN = 2;
    private static final int UP = 3;
    private static final int BEYOND_HISTORY = 4;
    private static final int MISMATCHED = 5;
    private static final int OTHER_SESSION = 6;
    private static final int REPEATED = 7;
    private static final int FIELDS = 8;
    private static final long HIGHEST_LAG_NS = 3_600_000_000_000L;

    private final String[] names;
    private final int lines;
    private final long windowNs;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    /** Per line {@link #FIELDS} counters, a line per 64 bytes so lines' counters never share a cache line. */
    private final AtomicLongArray counts;
    private final Histogram[] lag;
    private final long[] lastHeardNs;
    private final boolean[] down;
    private final LineSessions sessions;
    private final LineLag recentLag;
    private long livenessTimeoutNs;

    private long[][] lineEnd = new long[0][];
    private long[][] seenEpoch = new long[0][];
    private long[][] seenSequence = new long[0][];
    private long[][] seenHash = new long[0][];
    private long[][] seenAtNs = new long[0][];
    /** Per slot, a bit for each line that brought it. */
    private long[][] seenLines = new long[0][];
    private volatile String mismatch;

    /**
     * An arbiter of identical lines.
     *
     * @param names    the lines' names (their endpoints), in the order of their line numbers.
     * @param windowNs how long a gap on one line waits for the other lines before it is recovered.
     */
    public LineArbiter(final List<String> names, final long windowNs)
    {
        if (names.size() < 2 || names.size() > Long.SIZE)
        {
            throw new IllegalArgumentException("arbitration needs 2 to 64 lines, was " + names.size());
        }
        this.names = names.toArray(new String[0]);
        this.lines = names.size();
        this.windowNs = windowNs;
        this.counts = new AtomicLongArray(lines * FIELDS);
        this.lag = new Histogram[lines];
        for (int i = 0; i < lines; i++)
        {
            lag[i] = new ConcurrentHistogram(HIGHEST_LAG_NS, 3);
        }
        this.lastHeardNs = new long[lines];
        this.down = new boolean[lines];
        this.sessions = new LineSessions(lines);
        this.recentLag = new LineLag(lines);
    }

    /**
     * How long a gap seen on one line waits for another now: the window, longer while a line that is up has lately
     * lagged more than half of it (twice its recent lag, {@link LineLag}), never longer than the silence that makes a
     * line down.
     *
     * @param nowNs the time.
     * @return nanoseconds.
     */
    public long waitNs(final long nowNs)
    {
        return recentLag.waitNs(down, windowNs, livenessTimeoutNs, nowNs);
    }

    /**
     * The silence after which a line is down: three heartbeat intervals.
     *
     * @param heartbeatIntervalNs the publishers' heartbeat interval, 0 to never call a line down.
     */
    public void heartbeatInterval(final long heartbeatIntervalNs)
    {
        livenessTimeoutNs = heartbeatIntervalNs <= 0 ? 0 : 3 * heartbeatIntervalNs;
    }

    /**
     * Anything arrived on a line (a data frame, a heartbeat, a session status).
     *
     * @param line  the line number.
     * @param nowNs the time.
     */
    public void heard(final int line, final long nowNs)
    {
        if (down[line])
        {
            down[line] = false;
            counts.incrementAndGet(line * FIELDS + UP);
            LOG.info("line {} ({}) is up again", line + 1, names[line]);
        }
        lastHeardNs[line] = nowNs;
    }

    /**
     * Marks lines silent for three heartbeat intervals as down (once heard of at all), and reports lines that are up
     * but have published different sessions for longer than that and the window ({@link LineSessions}): they are
     * not one feed ({@link #mismatch()}).
     *
     * @param nowNs the time.
     */
    public void checkLines(final long nowNs)
    {
        for (int i = 0; i < lines && livenessTimeoutNs != 0; i++)
        {
            if (!down[i] && lastHeardNs[i] != 0 && nowNs - lastHeardNs[i] > livenessTimeoutNs)
            {
                down[i] = true;
                counts.incrementAndGet(i * FIELDS + DOWN);
                LOG.warn("line {} ({}) is down: nothing received for {} ms; the other line(s) carry the feed",
                    i + 1, names[i], (nowNs - lastHeardNs[i]) / 1_000_000);
            }
        }
        if (mismatch == null)
        {
            final String otherFeed = sessions.check(down, nowNs, livenessTimeoutNs + windowNs, names);
            if (otherFeed != null)
            {
                mismatch = otherFeed;
                LOG.error(otherFeed);
            }
        }
    }

    /**
     * A valid data batch arrived on a line: notes which of its updates it brought first, and compares the others
     * with the first copies.
     *
     * @param line   the line number.
     * @param state  the topic.
     * @param epoch  the batch's session.
     * @param first  its first sequence number.
     * @param count  its updates.
     * @param buffer the frame.
     * @param offset where the frame starts.
     * @param updatesOffset where its first update starts (buffer offset).
     * @param length the frame's length.
     * @param nowNs  the arrival time.
     */
    public void onBatch(final int line, final TopicState state, final long epoch, final long first, final int count,
        final DirectBuffer buffer, final int offset, final int updatesOffset, final int length, final long nowNs)
    {
        final int topic = state.topic.id();
        ensureTopic(topic);
        final long[] ends = lineEnd[topic];
        final long end = first + count;
        sessions.onFrame(line, epoch);
        if (ends[lines] != epoch)
        {
            if (epoch < ends[lines])
            {
                counts.incrementAndGet(line * FIELDS + OTHER_SESSION);
                return;
            }
            Arrays.fill(ends, 0);
            ends[lines] = epoch;
        }
        ends[line] = Math.max(ends[line], end);
        final long[] epochs = seenEpoch[topic];
        final long[] sequences = seenSequence[topic];
        final long[] hashes = seenHash[topic];
        final long[] times = seenAtNs[topic];
        final long[] lineSets = seenLines[topic];
        final long bit = 1L << line;
        int position = updatesOffset;
        final int limit = offset + length;
        for (long sequence = first; sequence < end && position + WireFormat.HEADER_LENGTH <= limit; sequence++)
        {
            header.wrap(buffer, position);
            final int updateLength = WireFormat.HEADER_LENGTH + header.blockLength();
            if (position + updateLength > limit)
            {
                break;
            }
            final long hash = UpdateHash.of(buffer, position, updateLength);
            position += updateLength;
            final int slot = (int)(sequence & MASK);
            if (sequences[slot] == sequence && epochs[slot] == epoch && (lineSets[slot] & bit) != 0)
            {
                // The line's own second copy (publish --repeat-batches): no lag, the first copy was compared.
                counts.incrementAndGet(line * FIELDS + REPEATED);
            }
            else if (sequences[slot] == sequence && epochs[slot] == epoch)
            {
                lineSets[slot] |= bit;
                counts.incrementAndGet(line * FIELDS + LATE);
                final long lagNs = Math.min(HIGHEST_LAG_NS, Math.max(0, nowNs - times[slot]));
                lag[line].recordValue(lagNs);
                recentLag.record(line, lagNs, nowNs);
                if (hashes[slot] != hash)
                {
                    mismatch(line, state, sequence);
                }
            }
            else if (sequences[slot] < sequence || epochs[slot] != epoch)
            {
                sequences[slot] = sequence;
                epochs[slot] = epoch;
                hashes[slot] = hash;
                times[slot] = nowNs;
                lineSets[slot] = bit;
                counts.incrementAndGet(line * FIELDS + WON);
            }
            else
            {
                // Older than the history: a line far behind (or a restart); no lag, no comparison.
                counts.incrementAndGet(line * FIELDS + BEYOND_HISTORY);
            }
        }
    }

    /**
     * A valid heartbeat arrived on a line: the line has passed its last sequence number.
     *
     * @param line  the line number.
     * @param state the topic.
     * @param epoch its session.
     * @param last  the topic's last sequence number on that line.
     */
    public void onHeartbeat(final int line, final TopicState state, final long epoch, final long last)
    {
        final int topic = state.topic.id();
        ensureTopic(topic);
        final long[] ends = lineEnd[topic];
        sessions.onFrame(line, epoch);
        if (ends[lines] != epoch)
        {
            if (epoch < ends[lines])
            {
                counts.incrementAndGet(line * FIELDS + OTHER_SESSION);
                return;
            }
            Arrays.fill(ends, 0);
            ends[lines] = epoch;
        }
        ends[line] = Math.max(ends[line], last + 1);
    }

    /**
     * Whether a line that is up has not yet passed {@code sequence} of the topic in its session: it may still bring
     * it, so a gap there is worth waiting for. False once every line that is up has passed it (all of them missed
     * it: only recovery can fill it).
     *
     * @param state    the topic.
     * @param epoch    the session.
     * @param sequence the first missing sequence number.
     * @return true to wait for another line.
     */
    public boolean anotherLineMayBring(final TopicState state, final long epoch, final long sequence)
    {
        final int topic = state.topic.id();
        if (topic >= lineEnd.length)
        {
            return false;
        }
        final long[] ends = lineEnd[topic];
        if (ends[lines] != epoch)
        {
            return false;
        }
        for (int i = 0; i < lines; i++)
        {
            if (!down[i] && lastHeardNs[i] != 0 && ends[i] <= sequence)
            {
                return true;
            }
        }
        return false;
    }

    private void mismatch(final int line, final TopicState state, final long sequence)
    {
        if (mismatch == null)
        {
            mismatch = "the lines are not identical: update " + state.topic + " #" + sequence + " on line " +
                (line + 1) + " (" + names[line] + ") differs from the first copy; start every line with the same " +
                "--feed-id, --feed-start and source settings (seed, instruments, rate; or the same tick file)";
            LOG.error(mismatch);
        }
        counts.incrementAndGet(line * FIELDS + MISMATCHED);
    }

    private void ensureTopic(final int topic)
    {
        if (topic < lineEnd.length && lineEnd[topic] != null)
        {
            return;
        }
        if (topic >= lineEnd.length)
        {
            final int size = Math.max(topic + 1, lineEnd.length * 2);
            lineEnd = Arrays.copyOf(lineEnd, size);
            seenEpoch = Arrays.copyOf(seenEpoch, size);
            seenSequence = Arrays.copyOf(seenSequence, size);
            seenHash = Arrays.copyOf(seenHash, size);
            seenAtNs = Arrays.copyOf(seenAtNs, size);
            seenLines = Arrays.copyOf(seenLines, size);
        }
        lineEnd[topic] = new long[lines + 1];
        seenEpoch[topic] = new long[HISTORY];
        seenSequence[topic] = new long[HISTORY];
        seenHash[topic] = new long[HISTORY];
        seenAtNs[topic] = new long[HISTORY];
        seenLines[topic] = new long[HISTORY];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Statistics, from any thread.
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The first difference between the lines, or null while they agree.
     *
     * @return a one-line description.
     */
    public String mismatch()
    {
        return mismatch;
    }

    /**
     * Number of lines.
     *
     * @return the count.
     */
    public int lines()
    {
        return lines;
    }

    /**
     * A line's name (its endpoint).
     *
     * @param line the line number.
     * @return the name.
     */
    public String name(final int line)
    {
        return names[line];
    }

    /**
     * Updates a line brought first.
     *
     * @param line the line number.
     * @return the count.
     */
    public long won(final int line)
    {
        return counts.get(line * FIELDS + WON);
    }

    /**
     * Updates a line brought after another line had brought them.
     *
     * @param line the line number.
     * @return the count.
     */
    public long late(final int line)
    {
        return counts.get(line * FIELDS + LATE);
    }

    /**
     * Updates a line brought a second time itself (its publisher repeats batches, {@code --repeat-batches}).
     *
     * @param line the line number.
     * @return the count.
     */
    public long repeated(final int line)
    {
        return counts.get(line * FIELDS + REPEATED);
    }

    /**
     * Updates of a line that differed from another line's copy.
     *
     * @param line the line number.
     * @return the count.
     */
    public long mismatched(final int line)
    {
        return counts.get(line * FIELDS + MISMATCHED);
    }

    /**
     * Frames (batches, heartbeats) a line brought of an older session than another line's: dropped, they are not
     * the feed the other line publishes.
     *
     * @param line the line number.
     * @return the count.
     */
    public long otherSession(final int line)
    {
        return counts.get(line * FIELDS + OTHER_SESSION);
    }

    /**
     * The session a line last brought a frame of (receiver thread; read elsewhere, a recent value).
     *
     * @param line the line number.
     * @return the epoch, 0 before any frame.
     */
    public long sessionEpoch(final int line)
    {
        return sessions.epoch(line);
    }

    /**
     * Times a line went down.
     *
     * @param line the line number.
     * @return the count.
     */
    public long downEvents(final int line)
    {
        return counts.get(line * FIELDS + DOWN);
    }

    /**
     * Times a line came back up.
     *
     * @param line the line number.
     * @return the count.
     */
    public long upEvents(final int line)
    {
        return counts.get(line * FIELDS + UP);
    }

    /**
     * Whether a line is down now.
     *
     * @param line the line number.
     * @return true if down.
     */
    public boolean isDown(final int line)
    {
        return down[line];
    }

    /**
     * A line's lag behind the first copy, at a percentile.
     *
     * @param line       the line number.
     * @param percentile such as 50 or 99.
     * @return nanoseconds, 0 before any late copy.
     */
    public long lagNs(final int line, final double percentile)
    {
        return lag[line].getTotalCount() == 0 ? 0 : lag[line].getValueAtPercentile(percentile);
    }
}
