package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.Topic;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a subscriber that stopped now would never deliver ({@link TopicSequencer#undelivered()}), so that nothing is
 * lost silently: the updates it received and holds back behind a recovery ({@link #heldUpdates()}), and the ranges
 * it knows are missing and has neither delivered nor reported unrecoverable ({@link #pending()}): gap fills in flight
 * or queued, catch-up streams not merged yet (the live updates let go meanwhile included), gaps among the held
 * frames, tails a heartbeat or an audit announced. Per topic and session, delivered, unrecoverable, held and pending
 * updates then cover every sequence number up to the highest one known, each once (identical lines' copies of a held
 * update are one update).
 * <p>
 * Where a session's beginning is unknown (a topic that waits for its snapshot, a late join) only what it holds is
 * counted: what a snapshot covers is no gap. Where its end is unknown, no range is: the rest of an earlier session
 * that ended without a word (unless an audit told its last sequence number), and the live frames of a newer session
 * let go past the bound of held bytes while that rest is fetched. Receiver thread; cold path: built by walking every
 * topic once.
 */
public final class Undelivered
{
    /**
     * Sequence numbers {@code from..to} of a topic's session, never received (or let go while catching up) and
     * still being recovered.
     *
     * @param topic        the topic.
     * @param sessionEpoch the session.
     * @param from         the first one.
     * @param to           the last one.
     */
    public record Range(Topic topic, long sessionEpoch, long from, long to)
    {
        /**
         * Updates in the range.
         *
         * @return {@code to - from + 1}.
         */
        public long updates()
        {
            return to - from + 1;
        }

        @Override
        public String toString()
        {
            return topic.symbol() + " " + from + ".." + to;
        }
    }

    private final List<Range> pending = new ArrayList<>();
    private final Map<Topic, Long> heldByTopic = new LinkedHashMap<>();
    private final FrameReader reader = new FrameReader();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long heldUpdates;
    private long pendingUpdates;

    private Undelivered()
    {
    }

    /**
     * What the topics would never deliver if the subscriber stopped now.
     *
     * @param topics every topic seen.
     * @return the account.
     */
    static Undelivered of(final List<TopicState> topics)
    {
        final Undelivered undelivered = new Undelivered();
        for (final TopicState state : topics)
        {
            undelivered.topic(state);
        }
        return undelivered;
    }

    /**
     * Updates received and held back behind a recovery, all topics together, each once.
     *
     * @return the count.
     */
    public long heldUpdates()
    {
        return heldUpdates;
    }

    /**
     * Updates a topic received and holds back behind a recovery, each once.
     *
     * @param topic the topic.
     * @return the count.
     */
    public long heldUpdates(final Topic topic)
    {
        return heldByTopic.getOrDefault(topic, 0L);
    }

    /**
     * Updates in the ranges still being recovered, all topics together.
     *
     * @return the count.
     */
    public long pendingUpdates()
    {
        return pendingUpdates;
    }

    /**
     * The ranges still being recovered, topic by topic (in the order the topics were first seen), each in order.
     *
     * @return the ranges.
     */
    public List<Range> pending()
    {
        return Collections.unmodifiableList(pending);
    }

    /**
     * The first ranges still being recovered, for a log line: {@code EURUSD 100..199, USDJPY 50..50 (and 3 more
     * ranges)}.
     *
     * @param maxRanges most ranges named.
     * @return the text, empty without ranges.
     */
    public String describePending(final int maxRanges)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0, n = Math.min(maxRanges, pending.size()); i < n; i++)
        {
            text.append(i == 0 ? "" : ", ").append(pending.get(i));
        }
        if (pending.size() > maxRanges)
        {
            text.append(" (and ").append(pending.size() - maxRanges).append(" more range")
                .append(pending.size() - maxRanges == 1 ? ")" : "s)");
        }
        return text.toString();
    }

    private void topic(final TopicState state)
    {
        // Per session: the held batches as {first, last}, and the highest sequence number a held frame shows.
        final TreeMap<Long, List<long[]>> batches = new TreeMap<>();
        final Map<Long, Long> highest = new TreeMap<>();
        if (state.held != null)
        {
            for (final byte[] frame : state.held)
            {
                view.wrap(frame);
                final FrameKind kind = reader.read(view, 0, frame.length);
                final long epoch = reader.sessionEpoch();
                final long last;
                if (kind == FrameKind.BATCH)
                {
                    final long first = reader.batchHeader().firstSequence();
                    last = first + reader.batchHeader().updateCount() - 1;
                    batches.computeIfAbsent(epoch, key -> new ArrayList<>()).add(new long[] {first, last});
                }
                else if (kind == FrameKind.HEARTBEAT)
                {
                    last = reader.heartbeat().lastSequence();
                }
                else
                {
                    // A conflated message: never recovered, no gap to count.
                    continue;
                }
                highest.merge(epoch, last, Math::max);
            }
        }
        highest.merge(state.sessionEpoch, highestKnown(state), Math::max);
        for (final Map.Entry<Long, Long> session : highest.entrySet())
        {
            final long epoch = session.getKey();
            if (epoch >= state.sessionEpoch && epoch != 0)
            {
                session(state, epoch, batches.computeIfAbsent(epoch, key -> new ArrayList<>()), session.getValue());
            }
        }
    }

    /**
     * The highest sequence number of the topic's session known missing besides the frames it holds: the gap a fill
     * is for, what was let go while catching up, a tail an audit found.
     */
    private static long highestKnown(final TopicState state)
    {
        long last = state.missingEpoch == state.sessionEpoch ? state.missingTo : 0;
        if (state.mode == TopicState.RECOVERING && state.taskTo != WireFormat.SEQUENCE_TO_END)
        {
            last = Math.max(last, state.taskTo);
        }
        if (state.auditedLast > 0 && state.auditedEpoch == state.sessionEpoch)
        {
            last = Math.max(last, state.auditedLast);
        }
        return last;
    }

    /**
     * One session of a topic: from where it is known to start (what it delivers next, or 1 for a newer session seen
     * from its start), every held update once, and every hole up to the highest sequence number known; where the
     * start is unknown, the held updates only.
     */
    private void session(final TopicState state, final long epoch, final List<long[]> held, final long highest)
    {
        final boolean startKnown;
        long cursor;
        if (epoch == state.sessionEpoch)
        {
            startKnown = state.mode != TopicState.AWAITING_SNAPSHOT;
            cursor = state.nextExpected;
        }
        else
        {
            startKnown = epoch == state.newerEpoch && state.newerFromStart;
            cursor = 1;
        }
        held.sort(Comparator.comparingLong(span -> span[0]));
        if (!startKnown)
        {
            cursor = held.isEmpty() ? Long.MAX_VALUE : Math.max(cursor, held.get(0)[0]);
        }
        long heldHere = 0;
        for (final long[] span : held)
        {
            if (span[1] < cursor)
            {
                continue;
            }
            final long from = Math.max(span[0], cursor);
            if (startKnown && from > cursor)
            {
                pending(state, epoch, cursor, from - 1);
            }
            heldHere += span[1] - from + 1;
            cursor = span[1] + 1;
        }
        if (startKnown && highest >= cursor)
        {
            pending(state, epoch, cursor, highest);
        }
        if (heldHere > 0)
        {
            heldUpdates += heldHere;
            heldByTopic.merge(state.topic, heldHere, Long::sum);
        }
    }

    private void pending(final TopicState state, final long epoch, final long from, final long to)
    {
        pending.add(new Range(state.topic, epoch, from, to));
        pendingUpdates += to - from + 1;
    }
}
