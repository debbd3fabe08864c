package dev.feedhandler.subscriber.receive;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import dev.feedhandler.subscriber.conflate.Conflator;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zmq.Msg;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conflation on the listener's thread hands out each topic's quote as it is at the time of its delivery: what is
 * published while the listener is busy with one item of a conflated delivery is folded in before the next item goes.
 * Real ring and consumer thread; the listener blocks at chosen deliveries so that the order of events is fixed.
 */
@Timeout(30)
class ConflatingDispatchTest
{
    private final SubscriberCounters counters = new SubscriberCounters();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final Semaphore entered = new Semaphore(0);
    private final Semaphore proceed = new Semaphore(0);
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final BatchWriter writer = new BatchWriter();
    private BatchEventProcessor<BatchEvent> processor;
    private Thread listenerThread;

    /** Records each quote as SYMBOL:SEQUENCE[/replaced]; the first two deliveries wait for the test's go. */
    private final FeedListener listener = new FeedListener()
    {
        @Override
        public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
        {
            record(topic.symbol() + ":" + sequence);
        }

        @Override
        public void onTrade(final Topic topic, final long sequence, final TradeView trade)
        {
            record(topic.symbol() + ":" + sequence + " trade");
        }

        @Override
        public void onConflatedQuote(final Topic topic, final long sequence, final QuoteView quote,
            final long replaced)
        {
            record(topic.symbol() + ":" + sequence + "/" + replaced);
        }

        private void record(final String what)
        {
            delivered.add(what);
            if (delivered.size() <= 2)
            {
                entered.release();
                try
                {
                    if (!proceed.tryAcquire(10, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("the test never let delivery " + what + " go on");
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    };

    @AfterEach
    void stop() throws InterruptedException
    {
        proceed.release(10);
        if (processor != null)
        {
            processor.halt();
            listenerThread.join(5_000);
        }
    }

    @Test
    void shouldDeliverEachTopicsNewestQuoteAsOfItsTurnNotAsOfTheStartOfTheDelivery() throws InterruptedException
    {
        final FeedReceiver receiver = start();

        send(receiver, "A", 0, 1);
        awaitEntered();                                  // the listener is busy with A:1
        send(receiver, "B", 1, 1);
        send(receiver, "B", 1, 2);
        send(receiver, "C", 2, 1);
        send(receiver, "C", 2, 2);
        proceed.release();                               // B and C are folded: B's quote goes first (older)
        awaitEntered();                                  // the listener is busy with B:2
        send(receiver, "C", 2, 3);                       // a newer C arrives meanwhile
        proceed.release();

        awaitDelivered(3);
        assertThat(delivered).containsExactly("A:1", "B:2/1", "C:3/2");
        assertThat(counters.conflation().updatesConflated()).isEqualTo(3);
    }

    @Test
    void shouldDeliverEverythingFoldedWhenNothingNewerArrives() throws InterruptedException
    {
        final FeedReceiver receiver = start();

        send(receiver, "A", 0, 1);
        awaitEntered();
        send(receiver, "B", 1, 1);
        send(receiver, "C", 2, 1);
        send(receiver, "C", 2, 2);
        proceed.release();
        awaitEntered();                                  // B:1 (nothing merged into it)
        proceed.release();

        awaitDelivered(3);
        assertThat(delivered).containsExactly("A:1", "B:1", "C:2/1");
    }

    private FeedReceiver start()
    {
        final RingBuffer<BatchEvent> ring = RingBuffer.createSingleProducer(() -> new BatchEvent(4096), 64,
            new BlockingWaitStrategy());
        final ListenerDispatcher dispatcher = new ListenerDispatcher(listener, counters, new Conflator(1024));
        dispatcher.published(ring);
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), dispatcher);
        ring.addGatingSequences(processor.getSequence());
        listenerThread = new Thread(processor, "listener");
        listenerThread.start();
        final FeedReceiver receiver = new FeedReceiver(null, new RingHandoff(ring, counters), counters, null, 1 << 20,
            1000, null);
        receiver.conflating(true);
        return receiver;
    }

    private void send(final FeedReceiver receiver, final String symbol, final int instrumentId, final long sequence)
    {
        writer.wrap(buffer, 0);
        writer.appendQuote(instrumentId, 1_000 + sequence, 10, 1_001 + sequence, 20, 1);
        final int length = writer.finish(5, sequence, 1, false);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame, 0, length);
        receiver.onFrames(new Msg(symbol.getBytes(StandardCharsets.US_ASCII)), new Msg(frame));
    }

    private void awaitEntered() throws InterruptedException
    {
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).as("a delivery began").isTrue();
    }

    private void awaitDelivered(final int count)
    {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
            .until(() -> delivered.size() >= count);
        // Nothing more comes: the ring is empty and nothing is pending.
        org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(200))
            .atMost(java.time.Duration.ofSeconds(10)).until(() -> true);
        assertThat(delivered).hasSize(count);
    }
}
