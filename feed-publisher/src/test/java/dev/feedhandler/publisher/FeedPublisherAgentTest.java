package dev.feedhandler.publisher;

import dev.feedhandler.common.concurrent.ParkingIdleStrategy;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher's duty cycle over real (inproc) sockets: the {@code block} policy in the duty cycle, a stop while a
 * subscriber holds the feed up, and the agent run by an embedder's own {@link AgentRunner}.
 */
@Timeout(60)
class FeedPublisherAgentTest
{
    private static final AtomicInteger ENDPOINTS = new AtomicInteger();
    private static final int INSTRUMENTS = 4;
    private static final int QUEUE = 4;

    private final ZContext context = new ZContext();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final String endpoint = "inproc://publisher-agent-" + ENDPOINTS.incrementAndGet();

    @AfterEach
    void tearDown()
    {
        executor.shutdown();
        context.close();
    }

    private FeedPublisher publisher(final long count, final Backpressure backpressure, final int subscribers,
        final int closeLingerMs)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(INSTRUMENTS, Long.MAX_VALUE, 3,
            0.2, 0, Duration.ofSeconds(1), count), registry, WallClock.shared());
        final PublisherConfiguration configuration = new PublisherConfiguration(
            new BatchConfiguration(16, 4096, BatchConfiguration.DEFAULT_LINGER_NS),
            new SocketConfiguration(List.of(endpoint), QUEUE, 1, 0, false, closeLingerMs, backpressure),
            Duration.ofSeconds(1), subscribers, Duration.ofSeconds(30), null,
            PublisherConfiguration.DEFAULT_IDLE_STRATEGY);
        return new FeedPublisher(new PublisherContext().configuration(configuration).source(source)
            .registry(registry).zContext(context));
    }

    private ZMQ.Socket subscriber()
    {
        final ZMQ.Socket socket = context.createSocket(SocketType.SUB);
        socket.setRcvHWM(QUEUE);
        socket.setReceiveTimeOut(20_000);
        socket.connect(endpoint);
        socket.subscribe(new byte[0]);
        socket.subscribe(WireFormat.HELLO_TOPIC_PREFIX + "agent-test");
        return socket;
    }

    @Test
    void shouldDeliverEveryBatchInOrderThroughBackPressure() throws Exception
    {
        final long count = 20_000;
        try (FeedPublisher publisher = publisher(count, Backpressure.BLOCK, 1, 2_000))
        {
            final ZMQ.Socket socket = subscriber();
            final Future<FeedPublisher.StopReason> done = executor.submit(publisher::run);
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.counters().sendRetries() > 0);

            final Map<String, Long> next = new HashMap<>();
            final FrameReader reader = new FrameReader();
            long received = 0;
            while (true)
            {
                final byte[] topic = socket.recv();
                assertThat(topic).as("a message within the receive timeout").isNotNull();
                final byte[] payload = socket.recv();
                final FrameKind kind = reader.read(new UnsafeBuffer(payload), 0, payload.length);
                final String name = new String(topic, StandardCharsets.US_ASCII);
                if (kind == FrameKind.BATCH)
                {
                    final long expected = next.getOrDefault(name, 1L);
                    assertThat(reader.batchHeader().firstSequence()).as("first sequence of %s", name)
                        .isEqualTo(expected);
                    next.put(name, expected + reader.batchHeader().updateCount());
                    received += reader.batchHeader().updateCount();
                }
                else if (kind == FrameKind.SESSION_STATUS && reader.isSessionEnded())
                {
                    break;
                }
            }
            socket.close();

            assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
            assertThat(received).isEqualTo(count);
            final Map<String, Object> summary = publisher.summary();
            assertThat(summary.get("published")).isEqualTo(count);
            assertThat((Long)summary.get("sendRetries")).isPositive();
            assertThat(summary.get("unsentFrames")).isEqualTo(0L);
        }
    }

    @Test
    void shouldStopWithinTheCloseLingerWhileASubscriberHoldsTheFeedUp() throws Exception
    {
        try (FeedPublisher publisher = publisher(0, Backpressure.BLOCK, 1, 200))
        {
            final ZMQ.Socket socket = subscriber();
            final Future<FeedPublisher.StopReason> done = executor.submit(publisher::run);
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.counters().sendRetries() > 0);

            publisher.requestStop();

            assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.STOPPED);
            final Map<String, Object> summary = publisher.summary();
            assertThat((Long)summary.get("unsentFrames")).as("the final heartbeats and status at least")
                .isGreaterThanOrEqualTo(INSTRUMENTS + 1);
            socket.close();
        }
    }

    @Test
    void shouldRunOnAnEmbeddersAgentRunnerAndCloseItselfAtTheEnd() throws Exception
    {
        final long count = 5_000;
        try (FeedPublisher publisher = publisher(count, Backpressure.DROP, 0, 2_000))
        {
            final AgentRunner runner = new AgentRunner(new ParkingIdleStrategy(50_000, 1_000_000),
                Throwable::printStackTrace, null, publisher.agent());
            final Thread thread = AgentRunner.startOnThread(runner);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).isFalse();
            runner.close();

            final Map<String, Object> summary = publisher.summary();
            assertThat(summary.get("stopReason")).isEqualTo("exhausted");
            assertThat(summary.get("published")).isEqualTo(count);
        }
    }

    @Test
    void shouldReportItsStateFromBoundThroughAwaitingAndRunningToEnded() throws Exception
    {
        try (FeedPublisher publisher = publisher(Long.MAX_VALUE, Backpressure.DROP, 1, 2_000))
        {
            assertThat(publisher.state()).isEqualTo(FeedPublisher.State.BOUND);
            final Future<FeedPublisher.StopReason> run = executor.submit(publisher::run);
            await().atMost(Duration.ofSeconds(20))
                .until(() -> publisher.state() == FeedPublisher.State.AWAITING_SUBSCRIBERS);

            try (ZMQ.Socket ignored = subscriber())
            {
                await().atMost(Duration.ofSeconds(20)).until(() -> publisher.state() == FeedPublisher.State.RUNNING);
                publisher.requestStop();
                assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.STOPPED);
                assertThat(publisher.state()).isEqualTo(FeedPublisher.State.ENDED);
            }
        }
    }
}
