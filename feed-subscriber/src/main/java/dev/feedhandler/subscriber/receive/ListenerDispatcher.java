package dev.feedhandler.subscriber.receive;

import com.lmax.disruptor.EventHandler;
import dev.feedhandler.common.codec.MessageHeaderDecoder;
import dev.feedhandler.common.codec.QuoteDecoder;
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
    private final ErrorHandler errorHandler;

    /**
     * A dispatcher to one listener.
     *
     * @param listener the user's listener.
     * @param counters counters to update.
     */
    public ListenerDispatcher(final FeedListener listener, final SubscriberCounters counters)
    {
        this.listener = listener;
        this.counters = counters;
        this.errorHandler = counters.process().errors().handler(
            LOG, Level.ERROR, "listener threw; delivery continues", counters.listenerErrorCounter());
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onEvent(final BatchEvent event, final long sequence, final boolean endOfBatch)
    {
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
            default:
                break;
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
