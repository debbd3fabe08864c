package dev.feedhandler.journal.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What earlier lookups learnt of where an instrument's sequences lie in its partition: per instrument and session, its
 * first offset (from Kafka's time index) and a few records of the instrument seen there (offset, last sequence).
 * Within a session an instrument's sequences grow with the offset, so a known record whose last sequence is before a
 * range bounds the range's start from below, and one that reaches into it bounds it from above. Memory is bounded:
 * {@link #MAX_SESSIONS} instruments and sessions (least recently used dropped), {@link #MAX_POINTS} records each (the
 * oldest dropped: the newest are the closest to what clients ask for now). Decides only; {@link SequenceSeek} reads.
 * One thread.
 */
final class SeekPoints
{
    /** Instruments and sessions remembered. */
    static final int MAX_SESSIONS = 64;
    /** Records remembered per instrument and session. */
    static final int MAX_POINTS = 32;

    private final Map<Key, Points> sessions = new LinkedHashMap<>(16, 0.75f, true)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<Key, Points> eldest)
        {
            return size() > MAX_SESSIONS;
        }
    };

    /**
     * The first offset of a session, as found before.
     *
     * @param topic the instrument.
     * @param epoch the session.
     * @return the offset, or -1 if not known.
     */
    long sessionStart(final byte[] topic, final long epoch)
    {
        final Points points = sessions.get(key(topic, epoch));
        return points == null ? -1 : points.sessionStart;
    }

    /**
     * Remembers a session's first offset in an instrument's partition.
     *
     * @param topic  the instrument.
     * @param epoch  the session.
     * @param offset the offset of the first record at or after the session's start.
     */
    void sessionStart(final byte[] topic, final long epoch, final long offset)
    {
        points(topic, epoch).sessionStart = offset;
    }

    /**
     * Whether a record of the instrument in the session was seen: the session is in Kafka.
     *
     * @param topic the instrument.
     * @param epoch the session.
     * @return true if any is known.
     */
    boolean seen(final byte[] topic, final long epoch)
    {
        final Points points = sessions.get(key(topic, epoch));
        return points != null && points.count > 0;
    }

    /**
     * Remembers a record of the instrument in the session.
     *
     * @param topic  the instrument.
     * @param epoch  the session.
     * @param offset its offset.
     * @param last   its last sequence.
     */
    void add(final byte[] topic, final long epoch, final long offset, final long last)
    {
        final Points points = points(topic, epoch);
        final int slot = points.next;
        points.offsets[slot] = offset;
        points.lasts[slot] = last;
        points.next = (slot + 1) % MAX_POINTS;
        points.count = Math.min(MAX_POINTS, points.count + 1);
    }

    /**
     * The highest offset known to be at or before the first record of the instrument that reaches {@code from}: every
     * record of the instrument before it ends before {@code from}.
     *
     * @param topic the instrument.
     * @param epoch the session.
     * @param from  first sequence wanted.
     * @param floor the bound known otherwise (the session's start).
     * @return the bound, at least {@code floor}.
     */
    long lowerBound(final byte[] topic, final long epoch, final long from, final long floor)
    {
        long bound = floor;
        final Points points = sessions.get(key(topic, epoch));
        for (int i = 0; points != null && i < points.count; i++)
        {
            if (points.lasts[i] < from && points.offsets[i] + 1 > bound)
            {
                bound = points.offsets[i] + 1;
            }
        }
        return bound;
    }

    /**
     * The lowest offset known to be at or after the first record of the instrument that reaches {@code from}.
     *
     * @param topic   the instrument.
     * @param epoch   the session.
     * @param from    first sequence wanted.
     * @param ceiling the bound known otherwise (the partition's end).
     * @return the bound, at most {@code ceiling}.
     */
    long upperBound(final byte[] topic, final long epoch, final long from, final long ceiling)
    {
        long bound = ceiling;
        final Points points = sessions.get(key(topic, epoch));
        for (int i = 0; points != null && i < points.count; i++)
        {
            if (points.lasts[i] >= from && points.offsets[i] < bound)
            {
                bound = points.offsets[i];
            }
        }
        return bound;
    }

    /**
     * Forgets everything (the topic may have been deleted and created again: its offsets mean other records).
     */
    void clear()
    {
        sessions.clear();
    }

    /**
     * Instruments and sessions remembered.
     *
     * @return at most {@link #MAX_SESSIONS}.
     */
    int size()
    {
        return sessions.size();
    }

    private Points points(final byte[] topic, final long epoch)
    {
        return sessions.computeIfAbsent(key(topic, epoch), k -> new Points());
    }

    private static Key key(final byte[] topic, final long epoch)
    {
        return new Key(new String(topic, StandardCharsets.US_ASCII), epoch);
    }

    private record Key(String topic, long epoch)
    {
    }

    private static final class Points
    {
        private final long[] offsets = new long[MAX_POINTS];
        private final long[] lasts = new long[MAX_POINTS];
        private long sessionStart = -1;
        private int count;
        private int next;
    }
}
