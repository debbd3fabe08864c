package dev.feedhandler.publisher.conflate;

import dev.feedhandler.common.codec.BatchHeaderDecoder;
import dev.feedhandler.common.codec.HeartbeatDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.wire.ConflatedWriter;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.UpdateCursor;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The conflated stream, as a decorator of the publisher's chain: every frame goes on to the feed unchanged, and is
 * also folded here, per topic, into what the conflated stream sends each interval ({@link #flushDue}): for each topic
 * that published since its last message, one {@code Conflated} message covering its updates since then, with the
 * newest quote among them and the trades <em>counted</em> (not sent, not summarised further). So a topic sends at
 * most one message per interval whatever the feed's rate, and its messages cover its sequence numbers back to back.
 * <p>
 * Heartbeats and session statuses go to the conflated stream too, a heartbeat carrying the last sequence number the
 * stream has covered (so it reports a gap only when a conflated message was lost). A topic's final heartbeat (end
 * of session) first sends what the topic has pending, even within the interval: the last quote of every instrument
 * on the conflated stream is the publisher's last.
 * <p>
 * Publisher thread only; allocation-free per frame (a topic seen for the first time costs an entry). It knows a
 * topic by its frame-0 array: the batcher sends each topic with the one array of its instrument.
 */
public final class ConflatingPublication implements Publication
{
    private static final int MESSAGES = 0;
    private static final int QUOTES_SENT = 1;
    private static final int UPDATES_COVERED = 2;
    private static final int TRADES_COUNTED = 3;
    private static final int BYTES = 4;
    private static final int SUBSCRIBERS = 5;
    private static final int SIZE = 6;

    private final Publication delegate;
    private final Publication conflated;
    private final long intervalNs;
    private final EpochNanoClock clock;
    private final FrameReader reader = new FrameReader();
    private final UpdateCursor cursor = new UpdateCursor();
    private final ConflatedWriter writer = new ConflatedWriter();
    private final ControlWriter controlWriter = new ControlWriter();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[ConflatedWriter.CONFLATED_WITH_QUOTE_LENGTH]);
    private final Map<byte[], TopicConflation> topics = new IdentityHashMap<>();
    private final AtomicLongArray counters = new AtomicLongArray(SIZE);
    private TopicConflation[] dirty = new TopicConflation[64];
    private int dirtyCount;
    private long nextFlushNs;
    private long messages;
    private long quotesSent;
    private long updatesCovered;
    private long tradesCounted;
    private long bytes;

    /**
     * A conflating decorator.
     *
     * @param delegate   where every frame goes on to (the feed's chain).
     * @param conflated  the conflated stream's socket.
     * @param intervalNs how often changed topics are sent.
     * @param clock      the wall clock of the send timestamps.
     */
    public ConflatingPublication(final Publication delegate, final Publication conflated, final long intervalNs,
        final EpochNanoClock clock)
    {
        this.delegate = delegate;
        this.conflated = conflated;
        this.intervalNs = intervalNs;
        this.clock = clock;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final int result = delegate.send(topic, payload, offset, length);
        if (result != SENT)
        {
            // Not taken by the feed (back-pressure: the same frame comes again; or closed): folded once it is taken.
            return result;
        }
        if (topic.length > 0 && topic[0] == WireFormat.RESERVED_TOPIC_BYTE)
        {
            conflated.send(topic, payload, offset, length);
            return SENT;
        }
        final FrameKind kind = reader.read(payload, offset, length);
        if (kind == FrameKind.BATCH)
        {
            fold(topic, payload);
        }
        else if (kind == FrameKind.HEARTBEAT)
        {
            heartbeat(topic, payload, offset, length);
        }
        return SENT;
    }

    /**
     * Sends what changed when the interval has passed since the last send: one message per changed topic. Call it
     * from the publisher's loop; it costs a comparison when it is not time.
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return messages sent.
     */
    public int flushDue(final long nowNs)
    {
        if (nowNs - nextFlushNs < 0)
        {
            return 0;
        }
        // From now, not from the last due time: however late this call, a topic's messages are an interval apart.
        nextFlushNs = nowNs + intervalNs;
        final int sent = dirtyCount;
        for (int i = 0; i < dirtyCount; i++)
        {
            sendTopic(dirty[i]);
            dirty[i] = null;
        }
        dirtyCount = 0;
        publishCounters();
        return sent;
    }

    private void fold(final byte[] topic, final DirectBuffer payload)
    {
        final BatchHeaderDecoder header = reader.batchHeader();
        final long epoch = header.sessionEpoch();
        final long first = header.firstSequence();
        final int count = header.updateCount();
        final TopicConflation state = state(topic);
        if (state.epoch != epoch)
        {
            if (state.dirty)
            {
                flushTopic(state);
            }
            state.epoch = epoch;
            state.covered = first - 1;
        }
        if (!state.dirty)
        {
            state.dirty = true;
            state.from = state.covered + 1;
            state.quotes = 0;
            state.trades = 0;
            state.quoteSequence = 0;
            if (dirtyCount == dirty.length)
            {
                dirty = Arrays.copyOf(dirty, dirty.length * 2);
            }
            dirty[dirtyCount++] = state;
        }
        cursor.wrap(payload, reader.updatesOffset(), count);
        long sequence = first;
        int type;
        while ((type = cursor.next()) != UpdateCursor.END)
        {
            if (type == UpdateCursor.QUOTE)
            {
                final QuoteDecoder quote = cursor.quote();
                state.quotes++;
                state.quoteSequence = sequence;
                state.instrumentId = quote.instrumentId();
                state.bidPrice = quote.bidPrice().mantissa();
                state.bidSize = quote.bidSize();
                state.askPrice = quote.askPrice().mantissa();
                state.askSize = quote.askSize();
                state.sourceTimestampNs = quote.sourceTimestampNs();
            }
            else
            {
                state.trades++;
            }
            sequence++;
        }
        state.to = first + count - 1;
    }

    private void heartbeat(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final HeartbeatDecoder heartbeat = reader.heartbeat();
        final TopicConflation state = topics.get(topic);
        if (state != null && state.dirty)
        {
            if (heartbeat.flags().endOfSession())
            {
                flushTopic(state);
            }
            else
            {
                // What the stream has not covered yet comes with the next interval, not as a gap.
                final int rewritten = controlWriter.heartbeat(out, 0, heartbeat.sessionEpoch(), state.covered,
                    heartbeat.sendTimestampNs(), false);
                conflated.send(topic, out, 0, rewritten);
                return;
            }
        }
        conflated.send(topic, payload, offset, length);
    }

    /**
     * Sends one topic's pending message at once (the end of its session), and takes it off the pending list.
     */
    private void flushTopic(final TopicConflation state)
    {
        sendTopic(state);
        for (int i = 0; i < dirtyCount; i++)
        {
            if (dirty[i] == state)
            {
                System.arraycopy(dirty, i + 1, dirty, i, dirtyCount - i - 1);
                dirty[--dirtyCount] = null;
                break;
            }
        }
        publishCounters();
    }

    private void sendTopic(final TopicConflation state)
    {
        final long sendTimestampNs = clock.nanoTime();
        final int length = state.quotes > 0 ?
            writer.withQuote(out, 0, state.epoch, state.from, state.to, sendTimestampNs, state.quotes, state.trades,
                state.quoteSequence, state.instrumentId, state.bidPrice, state.bidSize, state.askPrice,
                state.askSize, state.sourceTimestampNs) :
            writer.tradesOnly(out, 0, state.epoch, state.from, state.to, sendTimestampNs, state.trades);
        conflated.send(state.topic, out, 0, length);
        messages++;
        quotesSent += state.quotes > 0 ? 1 : 0;
        updatesCovered += state.to - state.from + 1;
        tradesCounted += state.trades;
        bytes += state.topic.length + length;
        state.covered = state.to;
        state.dirty = false;
    }

    private TopicConflation state(final byte[] topic)
    {
        TopicConflation state = topics.get(topic);
        if (state == null)
        {
            state = new TopicConflation(topic);
            topics.put(topic, state);
        }
        return state;
    }

    private void publishCounters()
    {
        counters.lazySet(MESSAGES, messages);
        counters.lazySet(QUOTES_SENT, quotesSent);
        counters.lazySet(UPDATES_COVERED, updatesCovered);
        counters.lazySet(TRADES_COUNTED, tradesCounted);
        counters.lazySet(BYTES, bytes);
    }

    /**
     * Publisher thread: the conflated stream's subscriber count, for readers on other threads.
     *
     * @param subscribers subscribers that announced themselves on the conflated stream.
     */
    public void subscribers(final int subscribers)
    {
        counters.lazySet(SUBSCRIBERS, subscribers);
    }

    /**
     * Conflated messages sent. Safe from any thread.
     *
     * @return the count.
     */
    public long messagesSent()
    {
        return counters.get(MESSAGES);
    }

    /**
     * Conflated messages that carried a quote. Safe from any thread.
     *
     * @return the count.
     */
    public long quotesSent()
    {
        return counters.get(QUOTES_SENT);
    }

    /**
     * Updates of the feed the conflated messages covered. Safe from any thread.
     *
     * @return the count.
     */
    public long updatesCovered()
    {
        return counters.get(UPDATES_COVERED);
    }

    /**
     * Trades counted in conflated messages instead of sent. Safe from any thread.
     *
     * @return the count.
     */
    public long tradesCounted()
    {
        return counters.get(TRADES_COUNTED);
    }

    /**
     * Bytes of conflated messages (both frames). Safe from any thread.
     *
     * @return the count.
     */
    public long bytesSent()
    {
        return counters.get(BYTES);
    }

    /**
     * Subscribers of the conflated stream, as last told. Safe from any thread.
     *
     * @return the count.
     */
    public long subscriberCount()
    {
        return counters.get(SUBSCRIBERS);
    }

    /**
     * The interval.
     *
     * @return nanoseconds.
     */
    public long intervalNs()
    {
        return intervalNs;
    }

    /**
     * One topic's conflation: what the stream has covered, and what is pending for the next interval.
     */
    private static final class TopicConflation
    {
        final byte[] topic;
        long epoch;
        long covered;
        boolean dirty;
        long from;
        long to;
        long quotes;
        long trades;
        long quoteSequence;
        int instrumentId;
        long bidPrice;
        long bidSize;
        long askPrice;
        long askSize;
        long sourceTimestampNs;

        TopicConflation(final byte[] topic)
        {
            this.topic = topic;
        }
    }
}
