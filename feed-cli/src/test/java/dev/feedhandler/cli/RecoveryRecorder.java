package dev.feedhandler.cli;

import dev.feedhandler.subscriber.Delivery;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link UpdateRecorder} that also keeps what recovery tells the listener: the snapshots each topic started
 * from, the losses reported unrecoverable, and the order in which batches of each kind were delivered.
 */
class RecoveryRecorder extends UpdateRecorder
{
    /** A snapshot as delivered. */
    record Snapshot(long lastSequence, long quoteSequence, String quote)
    {
    }

    /** One delivered batch: its topic, first sequence and how it came. */
    record Delivered(String topic, long first, int count, Delivery delivery)
    {
    }

    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final AtomicLong unrecoverable = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<Delivered> batches = new CopyOnWriteArrayList<>();

    @Override
    public void onBatchStart(final Topic topic, final long sessionEpoch, final long firstSequence,
        final int updateCount, final long sendTimestampNs, final Delivery delivery)
    {
        batches.add(new Delivered(topic.symbol(), firstSequence, updateCount, delivery));
        order.add(topic.symbol() + " " + delivery + " " + firstSequence + "+" + updateCount);
        received.addAndGet(updateCount);
    }

    @Override
    public void onGap(final Topic topic, final long fromSequence, final long toSequence, final boolean lost)
    {
        super.onGap(topic, fromSequence, toSequence, lost);
        order.add(topic.symbol() + (lost ? " LOST " : " GAP ") + fromSequence + ".." + toSequence);
        if (lost)
        {
            unrecoverable.addAndGet(toSequence - fromSequence + 1);
        }
    }

    @Override
    public void onSnapshot(final Topic topic, final long sessionEpoch, final long lastSequence,
        final long quoteSequence, final QuoteView quote)
    {
        snapshots.put(topic.symbol(), new Snapshot(lastSequence, quoteSequence, quote == null ? null :
            quote(topic.symbol() + " " + quoteSequence + " " + quote.instrumentId(), quote.bidPrice(), quote.bidSize(),
            quote.askPrice(), quote.askSize())));
    }

    Map<String, Snapshot> snapshots()
    {
        return snapshots;
    }

    long unrecoverable()
    {
        return unrecoverable.get();
    }

    long received()
    {
        return received.get();
    }

    List<Delivered> batches()
    {
        return batches;
    }

    List<String> order()
    {
        return order;
    }
}
