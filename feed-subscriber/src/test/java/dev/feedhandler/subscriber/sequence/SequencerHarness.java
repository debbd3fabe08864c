package dev.feedhandler.subscriber.sequence;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.codec.ConflatedDecoder;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.ConflatedWriter;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.UpdateCursor;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.Topic;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TopicSequencer} with no socket: frames go in by hand, its requests and deliveries are recorded as short
 * lines ("EURUSD batch live 1..3", "EURUSD gap 4..9 recovering", "fill 1 EURUSD 7 4..9"), its clock is fixed.
 * Every delivered batch is decoded and its updates checked against what {@link #batch} put in them (the bid of an
 * update is its sequence number, the ask its session), so a delivery of the wrong bytes fails at once. Deliveries
 * while the sequencer decides about a live frame fail too: the receiver holds that frame's ring slot then.
 */
final class SequencerHarness implements RecoveryRequests, SequencerListener
{
    static final long NO_BOUND = Long.MAX_VALUE;
    static final boolean TRACE = Boolean.getBoolean("feed.model.trace");

    final CachedNanoClock clock = new CachedNanoClock();
    final SubscriberCounters counters = new SubscriberCounters();
    final TopicSequencer sequencer;
    final List<String> requests = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    /** Every update delivered, per topic, as "epoch/sequence", in delivery order. */
    final Map<String, List<String>> delivered = new LinkedHashMap<>();
    /** Every update delivered or reported unrecoverable, per topic, as "epoch/sequence" ("!" after a lost one). */
    final Map<String, List<String>> accounted = new LinkedHashMap<>();
    /** The highest sequence number a live batch or heartbeat showed, per "topic/epoch". */
    final Map<String, Long> highestLive = new LinkedHashMap<>();

    private final Map<String, TopicState> topics = new LinkedHashMap<>();
    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();
    private boolean deciding;

    /**
     * A harness with recovery ({@code maxHeldBytes} the bound of held frames) or, with {@code recovery} false, the
     * plain rules.
     */
    SequencerHarness(final boolean recovery, final long maxHeldBytes)
    {
        this(recovery, maxHeldBytes, TopicSequencer.DEFAULT_CATCH_UP_THRESHOLD, TopicSequencer.DEFAULT_MERGE_WINDOW);
    }

    /**
     * A harness whose sequencer catches up gaps of more than {@code catchUpThreshold} updates and holds frames of a
     * catching-up topic that start within {@code mergeWindow} updates of its stream.
     */
    SequencerHarness(final boolean recovery, final long maxHeldBytes, final long catchUpThreshold,
        final long mergeWindow)
    {
        sequencer = new TopicSequencer(recovery ? this : null, this, counters, clock, maxHeldBytes, catchUpThreshold,
            mergeWindow);
    }

    TopicState topic(final String name)
    {
        return topics.computeIfAbsent(name, key -> new TopicState(new Topic(topics.size(), key),
            key.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A batch of quotes whose bids are their sequence numbers and asks their session. */
    static byte[] batch(final long epoch, final long first, final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 + count * 64]);
        final BatchWriter writer = new BatchWriter().wrap(buffer, 0);
        for (int i = 0; i < count; i++)
        {
            writer.appendQuote(1, first + i, 1, epoch, 1, 0);
        }
        final int length = writer.finish(epoch, first, 0, false);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    static long firstSequence(final byte[] batch)
    {
        final FrameReader frameReader = new FrameReader();
        frameReader.read(new UnsafeBuffer(batch), 0, batch.length);
        return frameReader.batchHeader().firstSequence();
    }

    static int updateCount(final byte[] batch)
    {
        final FrameReader frameReader = new FrameReader();
        frameReader.read(new UnsafeBuffer(batch), 0, batch.length);
        return frameReader.batchHeader().updateCount();
    }

    /**
     * A conflated stream's message of updates {@code from..to}, with a quote at {@code quoteSequence} (0: none) whose
     * bid is its sequence number and ask its session.
     */
    static byte[] conflated(final long epoch, final long from, final long to, final long quoteSequence,
        final long quotes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ConflatedWriter writer = new ConflatedWriter();
        final long trades = to - from + 1 - quotes;
        final int length = quoteSequence == 0 ? writer.tradesOnly(buffer, 0, epoch, from, to, 0, trades) :
            writer.withQuote(buffer, 0, epoch, from, to, 0, quotes, trades, quoteSequence, 1, quoteSequence, 1, epoch,
                1, 0);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /** Applies the rules of a conflating listener. */
    SequencerHarness conflating()
    {
        sequencer.conflating(true);
        return this;
    }

    static byte[] heartbeat(final long epoch, final long last, final boolean end)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = new ControlWriter().heartbeat(buffer, 0, epoch, last, 0, end);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /** A live frame: the verdict is recorded like a delivery, then {@link TopicSequencer#afterFrame()}. */
    Verdict live(final String name, final byte[] frame)
    {
        final TopicState state = topic(name);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final FrameKind kind = reader.read(buffer, 0, frame.length);
        if (TRACE)
        {
            events.add(">> " + name + " " + kind + " e" + reader.sessionEpoch() + (kind == FrameKind.BATCH ?
                " " + reader.batchHeader().firstSequence() + "+" + reader.batchHeader().updateCount() :
                " last " + reader.heartbeat().lastSequence() + " end " + reader.heartbeat().flags().endOfSession()));
        }
        final Verdict verdict;
        deciding = true;
        try
        {
            if (kind == FrameKind.BATCH)
            {
                final BatchHeaderDecoder header = reader.batchHeader();
                highestLive.merge(name + "/" + header.sessionEpoch(),
                    header.firstSequence() + header.updateCount() - 1, Math::max);
                verdict = sequencer.onBatch(state, header.sessionEpoch(), header.firstSequence(),
                    header.updateCount(), buffer, 0, frame.length);
            }
            else if (kind == FrameKind.HEARTBEAT)
            {
                final HeartbeatDecoder heartbeat = reader.heartbeat();
                highestLive.merge(name + "/" + heartbeat.sessionEpoch(), heartbeat.lastSequence(), Math::max);
                verdict = sequencer.onHeartbeat(state, heartbeat.sessionEpoch(), heartbeat.lastSequence(),
                    heartbeat.flags().endOfSession(), buffer, 0, frame.length);
            }
            else if (kind == FrameKind.CONFLATED)
            {
                final ConflatedDecoder message = reader.conflated();
                verdict = sequencer.onConflated(state, message.sessionEpoch(), message.fromSequence(),
                    message.toSequence(), message.quoteSequence(), buffer, 0, frame.length);
            }
            else
            {
                throw new IllegalArgumentException("not a batch or heartbeat: " + kind);
            }
        }
        finally
        {
            deciding = false;
        }
        // The buffer is the receiver's ring slot: reused at once. What was held must have been copied.
        final byte[] delivered = frame.clone();
        Arrays.fill(frame, (byte)0);
        record(state, verdict, delivered, 0, delivered.length);
        sequencer.afterFrame();
        return verdict;
    }

    void status(final long epoch, final long publishedUpdates, final boolean ended)
    {
        sequencer.onSessionStatus(epoch, publishedUpdates, ended, 0);
    }

    void recovered(final long task, final String name, final byte[] frame)
    {
        // Where it lies in a page: somewhere in the middle of a larger array.
        final byte[] page = new byte[frame.length + 16];
        System.arraycopy(frame, 0, page, 8, frame.length);
        sequencer.onRecoveredFrame(task, name.getBytes(StandardCharsets.US_ASCII), page, 8, frame.length);
    }

    void unavailable(final long task, final long from, final long to)
    {
        sequencer.onUnavailable(task, from, to);
    }

    void entry(final long task, final String name, final long epoch, final long last)
    {
        sequencer.onSnapshotEntry(task, topic(name), epoch, last, last, new byte[0], -1);
    }

    /** A snapshot entry that carries a quote at {@code quoteSequence}. */
    void entryWithQuote(final long task, final String name, final long epoch, final long last,
        final long quoteSequence)
    {
        sequencer.onSnapshotEntry(task, topic(name), epoch, last, quoteSequence, new byte[64], 0);
    }

    void done(final long task)
    {
        sequencer.onRequestDone(task, ANSWERED);
    }

    List<String> takeEvents()
    {
        final List<String> taken = new ArrayList<>(events);
        events.clear();
        return taken;
    }

    List<String> takeRequests()
    {
        final List<String> taken = new ArrayList<>(requests);
        requests.clear();
        return taken;
    }

    @Override
    public void fillGap(final long task, final TopicState topic, final long epoch, final long from, final long to)
    {
        if (TRACE)
        {
            events.add("<< fill " + task + " " + topic.topic().symbol() + " " + epoch + " " + from + ".." + to);
        }
        requests.add("fill " + task + " " + topic.topic().symbol() + " " + epoch + " " + from + ".." +
            (to == Long.MAX_VALUE ? "end" : Long.toString(to)));
    }

    @Override
    public void catchUp(final long task, final TopicState topic, final long epoch, final long from)
    {
        if (TRACE)
        {
            events.add("<< catchup " + task + " " + topic.topic().symbol() + " " + epoch + " from " + from);
        }
        requests.add("catchup " + task + " " + topic.topic().symbol() + " " + epoch + " from " + from);
    }

    @Override
    public void snapshot(final long task)
    {
        if (TRACE)
        {
            events.add("<< snapshot " + task);
        }
        requests.add("snapshot " + task);
    }

    @Override
    public void cancel(final long task)
    {
        requests.add("cancel " + task);
    }

    @Override
    public void onTopicEvent(final TopicState topic, final Verdict verdict, final byte[] frame, final int offset,
        final int length)
    {
        if (deciding)
        {
            throw new AssertionError("a delivery while the sequencer decides about a live frame");
        }
        if (verdict.kind() == Verdict.NONE)
        {
            throw new AssertionError("an empty delivery of " + topic.topic());
        }
        record(topic, verdict, frame, offset, length);
    }

    @Override
    public void onSnapshot(final TopicState topic, final long sessionEpoch, final long lastSequence,
        final long quoteSequence, final byte[] entry, final int quoteOffset)
    {
        if (deciding)
        {
            throw new AssertionError("a snapshot while the sequencer decides about a live frame");
        }
        events.add(topic.topic().symbol() + " snapshot " + sessionEpoch + "/" + lastSequence +
            (quoteOffset >= 0 ? " quote " + quoteSequence : ""));
    }

    @Override
    public void onSessionEnd(final long sessionEpoch, final long sendTimestampNs)
    {
        if (deciding)
        {
            throw new AssertionError("a session end while the sequencer decides about a live frame");
        }
        events.add("session end " + sessionEpoch);
    }

    private void record(final TopicState state, final Verdict verdict, final byte[] frame, final int offset,
        final int length)
    {
        final String name = state.topic().symbol();
        if (verdict.lostEpoch() != 0)
        {
            events.add(name + " lost " + verdict.lostEpoch() + "/" + verdict.lostSequence());
        }
        if (verdict.hasGap())
        {
            events.add(name + " gap " + verdict.gapFrom() + ".." + verdict.gapTo() +
                (verdict.gapUnrecoverable() ? " unrecoverable" : " recovering"));
            if (verdict.gapUnrecoverable())
            {
                final List<String> topicAccounted = accounted.computeIfAbsent(name, key -> new ArrayList<>());
                for (long sequence = verdict.gapFrom(); sequence <= verdict.gapTo(); sequence++)
                {
                    topicAccounted.add(state.sessionEpoch() + "/" + sequence + "!");
                }
            }
        }
        if (verdict.kind() == Verdict.BATCH)
        {
            events.add(name + " batch " + origin(verdict.origin()) + " " +
                deliverBatch(name, verdict, frame, offset, length));
        }
        else if (verdict.kind() == Verdict.HEARTBEAT)
        {
            events.add(name + " heartbeat" + (verdict.endOfTopic() ? " end" : ""));
        }
        else if (verdict.kind() == Verdict.CONFLATED)
        {
            if (reader.read(new UnsafeBuffer(frame, 0, length), 0, length) != FrameKind.CONFLATED)
            {
                throw new AssertionError("delivered a frame that is not a conflated message");
            }
            final ConflatedDecoder message = reader.conflated();
            final long quote = message.quoteSequence();
            events.add(name + " conflated " + origin(verdict.origin()) + " " + message.fromSequence() + ".." +
                message.toSequence() + (quote == 0 ? " no quote" : verdict.skip() == 1 ? " quote " + quote +
                " delivered before" : " quote " + quote));
            final List<String> topicAccounted = accounted.computeIfAbsent(name, key -> new ArrayList<>());
            for (long sequence = message.fromSequence(); sequence <= message.toSequence(); sequence++)
            {
                topicAccounted.add(message.sessionEpoch() + "/" + sequence);
            }
        }
    }

    private String deliverBatch(final String name, final Verdict verdict, final byte[] frame, final int offset,
        final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame, offset, length);
        if (reader.read(buffer, 0, length) != FrameKind.BATCH)
        {
            throw new AssertionError("delivered a frame that is not a batch");
        }
        final BatchHeaderDecoder header = reader.batchHeader();
        final long epoch = header.sessionEpoch();
        final long first = header.firstSequence() + verdict.skip();
        final int count = header.updateCount() - verdict.skip();
        cursor.wrap(buffer, reader.updatesOffset(), header.updateCount());
        cursor.skip(verdict.skip());
        long sequence = first;
        final List<String> topicUpdates = delivered.computeIfAbsent(name, key -> new ArrayList<>());
        while (cursor.next() == UpdateCursor.QUOTE)
        {
            if (cursor.quote().bidPrice().mantissa() != sequence || cursor.quote().askPrice().mantissa() != epoch)
            {
                throw new AssertionError(name + ": update " + epoch + "/" + sequence + " carries " +
                    cursor.quote().askPrice().mantissa() + "/" + cursor.quote().bidPrice().mantissa());
            }
            topicUpdates.add(epoch + "/" + sequence);
            accounted.computeIfAbsent(name, key -> new ArrayList<>()).add(epoch + "/" + sequence);
            sequence++;
        }
        return first + ".." + (first + count - 1);
    }

    private static String origin(final byte origin)
    {
        switch (origin)
        {
            case Verdict.LIVE:
                return "live";
            case Verdict.RECOVERED:
                return "recovered";
            default:
                return "held";
        }
    }
}
