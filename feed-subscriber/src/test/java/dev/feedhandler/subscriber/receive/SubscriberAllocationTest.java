package dev.feedhandler.subscriber.receive;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.sun.management.ThreadMXBean;
import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.Envelope;
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.SubscriberCounters;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import dev.feedhandler.subscriber.conflate.Conflator;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscriber's path from received frames to listener calls (validation, sequence check, ring, decoding,
 * views) allocates nothing per update in steady state, on either thread. JeroMQ's own per-frame allocation is
 * outside this path (the test hands ready-made frames to the receiver) and is measured in the benchmarks.
 */
@Timeout(60)
class SubscriberAllocationTest
{
    private static final int TOPICS = 20;
    private static final int UPDATES_PER_BATCH = 50;

    private boolean envelopes;
    private byte[][] topicBytes;
    private Envelope.Writer envelope;
    private Msg envelopePayload;

    @Test
    void shouldNotAllocatePerUpdateOnTheReceiverOrTheListenerThread() throws Exception
    {
        measure(false);
    }

    @Test
    void shouldNotAllocatePerUpdateWithRecoveryEnabledWhileNothingIsLost() throws Exception
    {
        measure(true);
    }

    @Test
    void shouldNotAllocatePerUpdateWhenFramesComeInEnvelopes() throws Exception
    {
        // publish --envelope: each message carries one batch of every topic, unpacked by the receiver.
        envelopes = true;
        measure(false);
    }

    @Test
    void shouldNotAllocatePerUpdateWhileConflating() throws Exception
    {
        measure(false, true);
    }

    private void measure(final boolean recovery) throws Exception
    {
        measure(recovery, false);
    }

    private void measure(final boolean recovery, final boolean conflate) throws Exception
    {
        final SubscriberCounters counters = new SubscriberCounters();
        final long[] sum = new long[1];
        final FeedListener listener = new FeedListener()
        {
            @Override
            public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
            {
                sum[0] += quote.bidPrice() + sequence;
            }

            @Override
            public void onTrade(final Topic topic, final long sequence, final TradeView trade)
            {
                sum[0] += trade.price() + trade.side().value();
            }
        };
        final RingBuffer<BatchEvent> ring = RingBuffer.createSingleProducer(() -> new BatchEvent(4096), 1024,
            new SleepingWaitStrategy());
        final BatchEventProcessor<BatchEvent> processor = new BatchEventProcessorBuilder().build(
            ring, ring.newBarrier(), new ListenerDispatcher(listener, counters,
                conflate ? new Conflator(1 << 14) : null));
        ring.addGatingSequences(processor.getSequence());
        final Thread listenerThread = new Thread(processor, "listener");
        listenerThread.start();

        final FeedReceiver receiver = new FeedReceiver(null, new RingHandoff(ring, counters), counters, null, 1 << 20,
            1000, null);
        receiver.conflating(conflate);
        final ZContext context = new ZContext();
        if (recovery)
        {
            final ZMQ.Socket link = context.createSocket(SocketType.PAIR);
            link.bind("inproc://allocation-test");
            receiver.enableRecovery(link, java.util.List.of(""), 1 << 20);
        }
        final Msg[] topics = new Msg[TOPICS];
        final long[] next = new long[TOPICS];
        topicBytes = new byte[TOPICS][];
        for (int t = 0; t < TOPICS; t++)
        {
            topicBytes[t] = ("SYM" + t).getBytes(StandardCharsets.US_ASCII);
            topics[t] = new Msg(topicBytes[t]);
            next[t] = 1;
        }
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8192);
        final BatchWriter writer = new BatchWriter();
        // Every batch has the same composition, so the same length: one frame array, re-encoded in place.
        final byte[] frame = new byte[encode(writer, buffer, 0, 1)];
        final Msg payload = new Msg(frame);
        // And every envelope (one batch of each topic) too.
        int envelopeLength = Envelope.HEADER_LENGTH;
        for (final byte[] topic : topicBytes)
        {
            envelopeLength += Envelope.entryLength(topic.length, frame.length);
        }
        final byte[] envelopeBytes = new byte[envelopeLength];
        envelope = new Envelope.Writer(new UnsafeBuffer(envelopeBytes));
        envelopePayload = new Msg(envelopeBytes);

        final int warmUpBatches = 40_000;
        final int measuredBatches = 40_000;
        feed(receiver, topics, next, buffer, writer, frame, payload, warmUpBatches);
        waitUntilDelivered(counters, (long)warmUpBatches * UPDATES_PER_BATCH);

        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long receiverBefore = threads.getCurrentThreadAllocatedBytes();
        final long listenerBefore = threads.getThreadAllocatedBytes(listenerThread.getId());
        feed(receiver, topics, next, buffer, writer, frame, payload, measuredBatches);
        final long receiverAllocated = threads.getCurrentThreadAllocatedBytes() - receiverBefore;
        waitUntilDelivered(counters, (long)(warmUpBatches + measuredBatches) * UPDATES_PER_BATCH);
        final long listenerAllocated = threads.getThreadAllocatedBytes(listenerThread.getId()) - listenerBefore;

        processor.halt();
        listenerThread.join();
        context.close();

        final long updates = (long)measuredBatches * UPDATES_PER_BATCH;
        System.out.printf("allocated for %d updates%s%s: receiver %d bytes, listener %d bytes (%d merged)%n",
            updates, recovery ? " (recovery enabled)" : "", conflate ? " (conflating)" : "", receiverAllocated,
            listenerAllocated, counters.conflation().updatesConflated());
        assertThat(counters.gapsDetected()).isZero();
        assertThat(counters.decodeErrors()).isZero();
        assertThat(sum[0]).isNotZero();
        assertThat(receiverAllocated).as("receiver bytes for %d updates", updates).isLessThan(64 * 1024);
        assertThat(listenerAllocated).as("listener bytes for %d updates", updates).isLessThan(64 * 1024);
    }

    private void feed(
        final FeedReceiver receiver, final Msg[] topics, final long[] next, final ExpandableArrayBuffer buffer,
        final BatchWriter writer, final byte[] frame, final Msg payload, final int batches)
    {
        if (envelopes)
        {
            final Msg envelopeTopic = new Msg(Envelope.TOPIC_BYTES);
            for (int b = 0; b < batches; b += TOPICS)
            {
                envelope.reset();
                for (int t = 0; t < TOPICS; t++)
                {
                    final int length = encode(writer, buffer, t, next[t]);
                    next[t] += UPDATES_PER_BATCH;
                    envelope.append(topicBytes[t], buffer, 0, length);
                }
                envelope.seal();
                receiver.onFrames(envelopeTopic, envelopePayload);
            }
            return;
        }
        for (int b = 0; b < batches; b++)
        {
            final int t = b % TOPICS;
            final int length = encode(writer, buffer, t, next[t]);
            next[t] += UPDATES_PER_BATCH;
            buffer.getBytes(0, frame, 0, length);
            receiver.onFrames(topics[t], payload);
        }
    }

    private static int encode(final BatchWriter writer, final ExpandableArrayBuffer buffer, final int topic,
        final long firstSequence)
    {
        writer.wrap(buffer, 0);
        for (int u = 0; u < UPDATES_PER_BATCH; u++)
        {
            if ((u & 7) == 0)
            {
                writer.appendTrade(topic, AggressorSide.BUY, 1_000 + u, 10, u, 1);
            }
            else
            {
                writer.appendQuote(topic, 1_000 + u, 10, 1_001 + u, 20, 1);
            }
        }
        return writer.finish(5, firstSequence, 1, false);
    }

    private static void waitUntilDelivered(final SubscriberCounters counters, final long updates)
    {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
            .pollInterval(java.time.Duration.ofMillis(1))
            .until(() -> counters.updatesDelivered() + counters.conflation().updatesConflated() +
                counters.conflation().tradesDropped() >= updates);
    }
}
