package dev.feedhandler.cli;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.PublisherContext;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.subscriber.FeedSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.ZContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real publisher and real subscribers in one JVM, over real sockets: every update published is received once,
 * in order per topic, with the values sent; prefixes deliver exactly the topics they match.
 */
@Timeout(60)
class EndToEndTest
{
    private static final long SEED = 7;
    private static final int INSTRUMENTS = 12;
    private static final long COUNT = 20_000;
    private static final long RATE = 50_000;

    private static String endpoint(final String transport)
    {
        final String name = "feed-e2e-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        switch (transport)
        {
            case "tcp":
                return "tcp://127.0.0.1:*";
            case "ipc":
                return "ipc://" + ipcName(FeedProcess.freePort());
            default:
                return "inproc://" + name;
        }
    }

    /**
     * A name for an ipc endpoint on a port known to be free. JeroMQ's ipc is TCP on a port derived from the name's hash
     * (10000 + |hash| mod 55536, its IpcAddress), so a random name meant a random port, at times one another test's
     * connection had as its source port: "cannot bind ipc://feed-e2e-...: address already in use" (seen once in a
     * full run). The name is searched for among a numbered series until its port is the one wanted.
     */
    private static String ipcName(final int port)
    {
        for (int i = 0; i < 10_000_000; i++)
        {
            final String name = "feed-e2e-" + i;
            final int hash = name.hashCode();
            if (10_000 + Math.abs(hash == Integer.MIN_VALUE ? 0 : hash) % 55_536 == port)
            {
                return name;
            }
        }
        // Every port FeedProcess hands out is reached within the first 370,000 names.
        throw new IllegalStateException("no ipc name found for port " + port);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void shouldDeliverEveryPublishedUpdateOnceInOrderWithItsValues(final String transport) throws Exception
    {
        final Run run = new Run(endpoint(transport), List.of(List.of(), List.of("EUR"), List.of("USDJ", "GBP")));
        run.execute();
        assertDelivered(run);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"tcp", "inproc"})
    void shouldDeliverTheSameThroughEnvelopesWithTopicsFilteredBySubscribers(final String transport) throws Exception
    {
        final Run run = new Run(endpoint(transport), List.of(List.of(), List.of("EUR"), List.of("USDJ", "GBP")));
        run.envelope = true;
        // Parking 200 µs after work, as by default: each duty cycle then has frames of several topics to send.
        run.idle = "park";
        run.execute();
        assertDelivered(run);
        assertThat((Long)run.summary.get("envelopes")).as("frames went in envelopes").isPositive();
    }

    private static void assertDelivered(final Run run)
    {
        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, COUNT).byTopic();
        assertThat(expected.values().stream().mapToInt(List::size).sum()).isEqualTo((int)COUNT);

        final UpdateRecorder all = run.recorders.get(0);
        assertThat(all.gaps()).isZero();
        assertThat(new TreeMap<>(all.byTopic())).isEqualTo(new TreeMap<>(expected));

        assertThat(new TreeMap<>(run.recorders.get(1).byTopic())).isEqualTo(matching(expected, List.of("EUR")));
        assertThat(new TreeMap<>(run.recorders.get(2).byTopic()))
            .isEqualTo(matching(expected, List.of("USDJ", "GBP")));
        assertThat(run.recorders.get(2).byTopic().keySet()).containsExactlyInAnyOrder("USDJPY", "GBPUSD", "GBPJPY");

        assertThat(run.summary.get("published")).isEqualTo(COUNT);
        for (final UpdateRecorder recorder : run.recorders)
        {
            assertThat(recorder.badTimestamps()).isEmpty();
        }
    }

    @Test
    void shouldConnectEverySubscriberDespiteJeromqConnectRace() throws Exception
    {
        // About 1 in 50 fresh JeroMQ 0.6.0 connections stalls in its handshake; the subscriber's watchdog must
        // replace the socket so that every one of these subscribers gets through.
        final List<List<String>> prefixes = new ArrayList<>();
        for (int i = 0; i < 24; i++)
        {
            prefixes.add(List.of());
        }
        final Run run = new Run("tcp://127.0.0.1:*", prefixes);
        run.count = 2_000;
        run.execute();
        for (final UpdateRecorder recorder : run.recorders)
        {
            assertThat(recorder.byTopic().values().stream().mapToInt(List::size).sum()).isEqualTo(2_000);
        }
    }

    @Test
    void shouldDeliverOnlyIntactUpdatesWhenASlowSubscriberLosesBatches() throws Exception
    {
        // A tiny SNDHWM, flat out, and a listener too slow to keep up: PUB drops whole batches for it; whatever it
        // does receive must be exactly what was sent at that sequence (no frame memory reused under it).
        final UpdateRecorder recorder = new UpdateRecorder()
        {
            private long calls;

            @Override
            public void onBatchEnd(final dev.feedhandler.subscriber.Topic topic)
            {
                if (++calls % 8 == 0)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            }
        };
        final long count = 300_000;
        final ZContext context = new ZContext();
        context.setLinger(2_000);
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        FeedSubscriber subscriber = null;
        try
        {
            final InstrumentRegistry registry = new InstrumentRegistry();
            final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(
                INSTRUMENTS, Long.MAX_VALUE, SEED, 0.2, 0, Duration.ofSeconds(1), count), registry, WallClock.shared());
            final PublisherConfiguration configuration = new PublisherConfiguration(
                new BatchConfiguration(64, 4096, 50_000),
                new SocketConfiguration(List.of("tcp://127.0.0.1:*"), 16, 1, 0, false, 2_000, Backpressure.DROP),
                Duration.ofMillis(200), 1, Duration.ofSeconds(30), null, "backoff");
            final FeedPublisher publisher = new FeedPublisher(new PublisherContext().configuration(configuration)
                .source(source).registry(registry).zContext(context));
            subscriber = FeedSubscriber.builder()
                .context(context)
                .endpoint(publisher.boundEndpoints().get(0))
                .receiveHwm(16)
                .ringSize(16)
                .listener(recorder)
                .build()
                .start();
            final Future<FeedPublisher.StopReason> done = executor.submit(publisher::run);
            assertThat(done.get(45, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
            // The end of the session may itself be dropped for this subscriber: wait until it has taken in all it
            // will get (nothing new over half a second).
            final FeedSubscriber running = subscriber;
            final long[] last = {-1};
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() ->
                {
                    final long now = running.counters().updatesReceived() + running.counters().heartbeats();
                    final boolean quiet = now == last[0];
                    last[0] = now;
                    return quiet;
                });
            assertThat(subscriber.counters().gapsDetected()).as("the test must overload the subscriber").isPositive();
            assertThat(subscriber.counters().decodeErrors()).isZero();

            final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
            long compared = 0;
            for (final Map.Entry<String, List<String>> topic : recorder.byTopic().entrySet())
            {
                final List<String> all = expected.get(topic.getKey());
                for (final String update : topic.getValue())
                {
                    final int sequence = Integer.parseInt(update.split(" ")[1]);
                    assertThat(update).isEqualTo(all.get(sequence - 1));
                    compared++;
                }
            }
            assertThat(compared).isPositive();
        }
        finally
        {
            if (subscriber != null)
            {
                subscriber.close();
            }
            executor.shutdownNow();
            context.close();
        }
    }

    private static Map<String, List<String>> matching(final Map<String, List<String>> all, final List<String> prefixes)
    {
        return new TreeMap<>(all.entrySet().stream()
            .filter(e -> prefixes.stream().anyMatch(p -> e.getKey().startsWith(p)))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * One publisher session with subscribers: waits for all of them, publishes, waits for each to see the end.
     */
    private static final class Run
    {
        final String bind;
        final List<List<String>> prefixes;
        final List<UpdateRecorder> recorders = new ArrayList<>();
        long count = COUNT;
        boolean envelope;
        String idle = "backoff";
        Map<String, Object> summary;

        Run(final String bind, final List<List<String>> prefixes)
        {
            this.bind = bind;
            this.prefixes = prefixes;
        }

        void execute() throws Exception
        {
            final ZContext context = new ZContext();
            context.setLinger(2_000);
            final ExecutorService executor = Executors.newSingleThreadExecutor();
            final List<FeedSubscriber> subscribers = new ArrayList<>();
            try
            {
                final InstrumentRegistry registry = new InstrumentRegistry();
                final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(
                    INSTRUMENTS, RATE, SEED, 0.2, 0, Duration.ofSeconds(1), count), registry, WallClock.shared());
                final PublisherConfiguration configuration = new PublisherConfiguration(
                    new BatchConfiguration(64, 4096, 50_000),
                    new SocketConfiguration(List.of(bind), 1_000_000, 1, 0, false, 2_000, Backpressure.DROP)
                        .withEnvelope(envelope),
                    Duration.ofMillis(200), prefixes.size(), Duration.ofSeconds(30), null, idle);
                final FeedPublisher publisher = new FeedPublisher(new PublisherContext().configuration(configuration)
                    .source(source).registry(registry).zContext(context));
                final String endpoint = publisher.boundEndpoints().get(0);

                for (final List<String> topics : prefixes)
                {
                    final UpdateRecorder recorder = new UpdateRecorder();
                    recorders.add(recorder);
                    subscribers.add(FeedSubscriber.builder()
                        .context(context)
                        .endpoint(endpoint)
                        .topics(topics)
                        .listener(recorder)
                        .build()
                        .start());
                }

                final Future<FeedPublisher.StopReason> done = executor.submit(publisher::run);
                assertThat(done.get(45, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
                summary = publisher.summary();
                for (final UpdateRecorder recorder : recorders)
                {
                    assertThat(recorder.sessionEnded().await(20, TimeUnit.SECONDS))
                        .as("subscriber saw the end of the session").isTrue();
                }
            }
            finally
            {
                subscribers.forEach(FeedSubscriber::close);
                executor.shutdownNow();
                closeContext(context);
            }
        }
    }

    /**
     * Closes the context shared by the publisher and the subscribers, waiting at most 10 s. Seen once in a full run
     * (inproc): the publisher's socket closed at the session's end while each subscriber's receiver read the pipe's
     * delimiter, and JeroMQ 0.6.0 failed to send the pipe's termination acknowledgement to it (ClosedChannelException
     * in {@code Signaler.send}, from {@code Pipe.processDelimiter}); {@code Ctx.terminate} then waits for it forever.
     * Every assertion had passed by then; the hang is JeroMQ's, after what this test checks, so it is reported here
     * rather than turned into a timeout.
     */
    private static void closeContext(final ZContext context) throws InterruptedException
    {
        final Thread closer = new Thread(context::close, "e2e-context-close");
        closer.setDaemon(true);
        closer.start();
        closer.join(10_000);
        if (closer.isAlive())
        {
            System.err.println("EndToEndTest: the shared ZeroMQ context did not terminate within 10 s (JeroMQ's " +
                "inproc termination race); left to its daemon thread");
        }
    }
}
