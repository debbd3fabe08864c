package dev.feedhandler.subscriber.receive;

import com.lmax.disruptor.Cursored;
import com.lmax.disruptor.EventHandler;
import dev.feedhandler.common.codec.MessageHeaderDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.conflate.Conflator;
import dev.feedhandler.common.wire.UpdateCursor;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.Delivery;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.TradeView;
import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Runs on the ring's consumer thread: turns each slot into listener calls, decoding in place over the slot's
 * buffer with flyweights (no copy, no allocation). A listener that throws is counted, and the next update is
 * delivered: one bad update never loses the others. Its exceptions go to the listener thread's error handler
 * ({@link dev.feedhandler.common.counters.ErrorLog}): each distinct one is logged once, every one is counted.
 * <p>
 * With a {@link Conflator}, it conflates on this thread with the Disruptor's batching: a slot that is not the last
 * one published (the listener is behind) is folded into the conflator rather than delivered, and when the listener
 * reaches the last one (it has caught up) everything folded is delivered: each topic's newest quote once, its trades
 * in order. A listener that keeps up always gets the last slot published, so nothing changes for it and nothing
 * waits. Slots other than updates (gaps, snapshots, ends, stale and live) are delivered after what is pending.
 * <p>
 * Delivering what was folded takes the listener's time per item, and the feed goes on meanwhile: when the ring
 * says ({@link #published(Cursored)}) that newer slots arrived during a delivery, the rest waits while they are
 * folded in first, so each topic's quote is the newest at the time it is delivered, not at the time the delivery
 * began. The oldest pending topic still goes first (one item at least per turn), so no topic waits behind others.
 */
public final class ListenerDispatcher implements EventHandler<BatchEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);
    private static final Delivery[] DELIVERIES = Delivery.values();

    private final FeedListener listener;
    private final SubscriberCounters counters;
    private final UpdateCursor cursor = new UpdateCursor();
    private final QuoteView quoteView = new QuoteView();
    private final TradeView tradeView = new TradeView();
    private final MessageHeaderDecoder snapshotHeader = new MessageHeaderDecoder();
    private final QuoteDecoder snapshotQuote = new QuoteDecoder();
    private final QuoteDecoder conflatedQuote = new QuoteDecoder();
    private final Conflator conflator;
    private final ErrorHandler errorHandler;
    private Cursored published;

    /**
     * A dispatcher to one listener.
     *
     * @param listener the user's listener.
     * @param counters counters to update.
     */
    public ListenerDispatcher(final FeedListener listener, final SubscriberCounters counters)
    {
        this(listener, counters, null);
    }

    /**
     * A dispatcher to one listener that conflates while the listener is behind.
     *
     * @param listener  the user's listener.
     * @param counters  counters to update.
     * @param conflator where quotes are merged and trades wait while the listener is behind, or null for none.
     */
    public ListenerDispatcher(final FeedListener listener, final SubscriberCounters counters,
        final Conflator conflator)
    {
        this.listener = listener;
        this.counters = counters;
        this.conflator = conflator;
        this.errorHandler = counters.process().errors().handler(
            LOG, Level.ERROR, "listener threw; delivery continues", counters.listenerErrorCounter());
    }

    /**
     * The ring this dispatcher consumes, whose cursor says whether newer slots were published during a conflated
     * delivery (single producer: the cursor is the last slot published). Without it (a listener on the receiver's
     * thread), everything folded is delivered in one go. Set before the consumer thread starts.
     *
     * @param ring the ring's cursor.
     */
    public void published(final Cursored ring)
    {
        this.published = ring;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onEvent(final BatchEvent event, final long sequence, final boolean endOfBatch)
    {
        if (conflator != null && conflate(event, sequence, endOfBatch))
        {
            return;
        }
        if (event.lostEpoch != 0)
        {
            try
            {
                listener.onSessionLost(event.topic, event.lostEpoch, event.lostSequence);
            }
            catch (final RuntimeException ex)
            {
                onListenerError(ex);
            }
        }
        switch (event.kind)
        {
            case BatchEvent.BATCH:
                dispatchBatch(event);
                break;
            case BatchEvent.HEARTBEAT:
                dispatchHeartbeat(event);
                break;
            case BatchEvent.SESSION_END:
                counters.onSessionEnd();
                try
                {
                    listener.onSessionEnd(event.sessionEpoch);
                }
                catch (final RuntimeException ex)
                {
                    onListenerError(ex);
                }
                break;
            case BatchEvent.NOTICE:
                dispatchGap(event);
                break;
            case BatchEvent.SNAPSHOT:
                dispatchSnapshot(event);
                break;
            case BatchEvent.STALE:
                try
                {
                    listener.onStale();
                }
                catch (final RuntimeException ex)
                {
                    onListenerError(ex);
                }
                break;
            case BatchEvent.LIVE:
                try
                {
                    listener.onLive();
                }
                catch (final RuntimeException ex)
                {
                    onListenerError(ex);
                }
                break;
            case BatchEvent.CONFLATED:
                dispatchConflated(event);
                break;
            default:
                break;
        }
    }

    /**
     * Folds a slot of updates while the listener is behind (more slots follow it), and delivers what was folded
     * once it has caught up (the slot is the last published).
     *
     * @return true if the slot was handled here; false to deliver it as usual (after what was pending).
     */
    private boolean conflate(final BatchEvent event, final long sequence, final boolean endOfBatch)
    {
        final boolean updates = (event.kind == BatchEvent.BATCH || event.kind == BatchEvent.CONFLATED) &&
            event.lostEpoch == 0 && !event.hasGap();
        if (updates && (!endOfBatch || !conflator.isEmpty()))
        {
            fold(event);
            if (endOfBatch)
            {
                drain(sequence);
            }
            return true;
        }
        if (event.kind == BatchEvent.NONE && event.lostEpoch == 0)
        {
            if (endOfBatch && !conflator.isEmpty())
            {
                drain(sequence);
            }
            return true;
        }
        if (!conflator.isEmpty())
        {
            drain(Long.MAX_VALUE);
        }
        return false;
    }

    private void fold(final BatchEvent event)
    {
        final Topic topic = event.topic;
        if (event.kind == BatchEvent.CONFLATED)
        {
            conflator.countedTrades(topic, event.lastSequence, event.trades);
            if (event.quoteOffset >= 0 && event.skip == 0)
            {
                conflator.quote(topic, event.quoteSequence, event.sessionEpoch, event.sendTimestampNs, event.delivery,
                    wrapConflatedQuote(event), event.quotes - 1);
            }
            return;
        }
        cursor.wrap(event.buffer, event.updatesOffset, event.updateCount);
        cursor.skip(event.skip);
        long sequence = event.firstSequence + event.skip;
        int type;
        while ((type = cursor.next()) != UpdateCursor.END)
        {
            if (type == UpdateCursor.QUOTE)
            {
                conflator.quote(topic, sequence, event.sessionEpoch, event.sendTimestampNs, event.delivery,
                    cursor.quote(), 0);
            }
            else
            {
                conflator.trade(topic, sequence, event.sessionEpoch, event.sendTimestampNs, event.delivery,
                    cursor.trade());
            }
            sequence++;
        }
    }

    /**
     * Delivers what was folded until a slot newer than {@code sequence} is published (it is folded in before the
     * rest goes: the Disruptor hands it over next), one item at least; everything with {@link Long#MAX_VALUE}.
     */
    private void drain(final long sequence)
    {
        final Cursored ring = published;
        while (deliverNext())
        {
            if (ring != null && ring.getCursor() > sequence)
            {
                return;
            }
        }
    }

    /**
     * Delivers the next item folded, as a batch of one, so {@code onBatchStart} and {@code onBatchEnd} keep their
     * meaning.
     *
     * @return false if nothing was pending.
     */
    private boolean deliverNext()
    {
        final int kind = conflator.next();
        if (kind == Conflator.NONE)
        {
            return false;
        }
        final Topic topic = conflator.topic();
        if (kind == Conflator.TRADES_OMITTED)
        {
            tradesOmitted(topic, conflator.sequence(), conflator.counted(), conflator.dropped());
            return true;
        }
        final long sequence = conflator.sequence();
        try
        {
            listener.onBatchStart(topic, conflator.sessionEpoch(), sequence, 1, conflator.sendTimestampNs(),
                DELIVERIES[conflator.delivery()]);
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
        if (kind == Conflator.QUOTE)
        {
            deliverQuote(topic, sequence, quoteView.wrap(conflator.quoteDecoder()), conflator.replaced());
        }
        else
        {
            try
            {
                listener.onTrade(topic, sequence, tradeView.wrap(conflator.tradeDecoder()));
            }
            catch (final RuntimeException ex)
            {
                onListenerError(ex);
            }
        }
        counters.onDelivered(1);
        try
        {
            listener.onBatchEnd(topic);
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
        return true;
    }

    private void deliverQuote(final Topic topic, final long sequence, final QuoteView quote, final long replaced)
    {
        try
        {
            if (replaced > 0)
            {
                counters.conflation().onConflated(topic, replaced);
                listener.onConflatedQuote(topic, sequence, quote, replaced);
            }
            else
            {
                listener.onQuote(topic, sequence, quote);
            }
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
    }

    private void tradesOmitted(final Topic topic, final long upToSequence, final long counted, final long dropped)
    {
        try
        {
            if (counted > 0)
            {
                counters.conflation().onConflated(topic, counted);
                listener.onTradesOmitted(topic, upToSequence, counted, false);
            }
            if (dropped > 0)
            {
                counters.conflation().onTradesDropped(dropped);
                listener.onTradesOmitted(topic, upToSequence, dropped, true);
            }
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
    }

    private QuoteDecoder wrapConflatedQuote(final BatchEvent event)
    {
        snapshotHeader.wrap(event.buffer, event.quoteOffset);
        return conflatedQuote.wrap(event.buffer, event.quoteOffset + WireFormat.HEADER_LENGTH,
            snapshotHeader.blockLength(), snapshotHeader.version());
    }

    /**
     * A conflated stream's message, delivered as it is: its counted trades, then its quote (a batch of one).
     */
    private void dispatchConflated(final BatchEvent event)
    {
        dispatchGap(event);
        tradesOmitted(event.topic, event.lastSequence, event.trades, 0);
        if (event.quoteOffset < 0 || event.skip != 0)
        {
            return;
        }
        try
        {
            listener.onBatchStart(event.topic, event.sessionEpoch, event.quoteSequence, 1, event.sendTimestampNs,
                DELIVERIES[event.delivery]);
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
        deliverQuote(event.topic, event.quoteSequence, quoteView.wrap(wrapConflatedQuote(event)), event.quotes - 1);
        counters.onDelivered(1);
        try
        {
            listener.onBatchEnd(event.topic);
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
    }

    private void dispatchGap(final BatchEvent event)
    {
        if (event.hasGap())
        {
            try
            {
                listener.onGap(event.topic, event.gapFrom, event.gapTo, event.gapUnrecoverable);
            }
            catch (final RuntimeException ex)
            {
                onListenerError(ex);
            }
        }
    }

    private void dispatchSnapshot(final BatchEvent event)
    {
        dispatchGap(event);
        QuoteView quote = null;
        if (event.quoteOffset >= 0)
        {
            snapshotHeader.wrap(event.buffer, event.quoteOffset);
            snapshotQuote.wrap(event.buffer, event.quoteOffset + WireFormat.HEADER_LENGTH,
                snapshotHeader.blockLength(), snapshotHeader.version());
            quote = quoteView.wrap(snapshotQuote);
        }
        try
        {
            listener.onSnapshot(event.topic, event.sessionEpoch, event.lastSequence, event.quoteSequence, quote);
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
    }

    private void dispatchHeartbeat(final BatchEvent event)
    {
        try
        {
            if (event.hasGap())
            {
                listener.onGap(event.topic, event.gapFrom, event.gapTo, event.gapUnrecoverable);
            }
            if (event.endOfTopic)
            {
                listener.onTopicEnd(event.topic, event.lastSequence);
            }
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
    }

    private void dispatchBatch(final BatchEvent event)
    {
        final int skip = event.skip;
        final int count = event.updateCount - skip;
        long sequence = event.firstSequence + skip;
        try
        {
            if (event.hasGap())
            {
                listener.onGap(event.topic, event.gapFrom, event.gapTo, event.gapUnrecoverable);
            }
            listener.onBatchStart(event.topic, event.sessionEpoch, sequence, count, event.sendTimestampNs,
                DELIVERIES[event.delivery]);
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
        cursor.wrap(event.buffer, event.updatesOffset, event.updateCount);
        cursor.skip(skip);
        int type;
        while ((type = cursor.next()) != UpdateCursor.END)
        {
            try
            {
                if (type == UpdateCursor.QUOTE)
                {
                    listener.onQuote(event.topic, sequence, quoteView.wrap(cursor.quote()));
                }
                else
                {
                    listener.onTrade(event.topic, sequence, tradeView.wrap(cursor.trade()));
                }
            }
            catch (final RuntimeException ex)
            {
                onListenerError(ex);
            }
            sequence++;
        }
        counters.onDelivered(count);
        try
        {
            listener.onBatchEnd(event.topic);
        }
        catch (final RuntimeException ex)
        {
            onListenerError(ex);
        }
    }

    private void onListenerError(final RuntimeException ex)
    {
        errorHandler.onError(ex);
    }
}
