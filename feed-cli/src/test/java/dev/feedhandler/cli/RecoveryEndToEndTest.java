package dev.feedhandler.cli;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.PublisherContext;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.recovery.DropSpec;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.PriceSource;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.source.UpdateSink;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.subscriber.Delivery;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.SubscriberBuilder;
import dev.feedhandler.subscriber.Topic;
import org.junit.jupiter.api.AfterEach;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliable delivery end to end: a real publisher with its recovery service and real subscribers in one JVM, over
 * real sockets, on the deterministic synthetic stream. Whatever the feed loses (a subscriber too slow for PUB,
 * batches the test hook drops, a topic's last update) is recovered: every topic's updates equal the publisher's, in
 * order, with nothing unrecoverable; a late joiner starts from the snapshot and is complete from there; live topics
 * keep flowing while another one recovers. The parameterized ones also run without recovery, to show that they
 * fail then.
 */
@Timeout(90)
class RecoveryEndToEndTest
{
    private static final long SEED = 7;
    private static final int INSTRUMENTS = 12;

    private final ZContext context = new ZContext();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<FeedSubscriber> subscribers = new ArrayList<>();
    private FeedPublisher publisher;
    private boolean envelope;
    private String idle = "backoff";

    @AfterEach
    void tearDown()
    {
        subscribers.forEach(FeedSubscriber::close);
        if (publisher != null)
        {
            publisher.close();
        }
        executor.shutdownNow();
        context.close();
    }

    private FeedPublisher publisher(final PriceSource source, final InstrumentRegistry registry, final int sendHwm,
        final int subscriberCount, final RecoveryConfiguration recovery)
    {
        final PublisherConfiguration configuration = new PublisherConfiguration(
            new BatchConfiguration(64, 4096, 50_000),
            new SocketConfiguration(List.of("tcp://127.0.0.1:*"), sendHwm, 1, 0, false, 2_000, Backpressure.DROP)
                .withEnvelope(envelope),
            Duration.ofMillis(100), subscriberCount, Duration.ofSeconds(30), null, idle);
        publisher = new FeedPublisher(new PublisherContext().configuration(configuration).source(source)
            .registry(registry).zContext(context)
            .recovery(recovery.withBind("tcp://127.0.0.1:*").withLinger(Duration.ZERO)));
        return publisher;
    }

    private static SyntheticSource source(final InstrumentRegistry registry, final long rate, final long count)
    {
        return new SyntheticSource(new SyntheticConfiguration(INSTRUMENTS, rate, SEED, 0.2, 0, Duration.ofSeconds(1),
            count), registry, WallClock.shared());
    }

    private FeedSubscriber subscribe(final RecoveryRecorder recorder, final boolean recovery,
        final SubscriberBuilder builder)
    {
        final FeedSubscriber subscriber = builder
            .context(context)
            .endpoint(publisher.boundEndpoints().get(0))
            .recoveryEndpoint(recovery ? publisher.recoveryEndpoint() : null)
            .heartbeatIntervalMs(100)
            .listener(recorder)
            .build()
            .start();
        subscribers.add(subscriber);
        return subscriber;
    }

    private Future<FeedPublisher.StopReason> run()
    {
        return executor.submit(publisher::run);
    }

    private static long total(final Map<String, List<String>> byTopic)
    {
        return byTopic.values().stream().mapToLong(List::size).sum();
    }

    /**
     * Waits until the recorder has stopped receiving (nothing more for half a second): what a subscriber without
     * recovery can do, since it cannot know what it will never get.
     */
    private static void awaitQuiet(final RecoveryRecorder recorder)
    {
        final long[] last = {-1};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
        {
            final long now = total(recorder.byTopic()) + recorder.gaps();
            final boolean quiet = now == last[0];
            last[0] = now;
            return quiet;
        });
    }

    /**
     * Compares topic by topic, naming the first difference (a whole map in a failure message is unreadable).
     */
    private static void assertSameUpdates(final String who, final Map<String, List<String>> actual,
        final Map<String, List<String>> expected, final RecoveryRecorder recorder)
    {
        final List<String> differences = new ArrayList<>();
        for (final String topic : new java.util.TreeSet<>(expected.keySet()))
        {
            final List<String> got = actual.getOrDefault(topic, List.of());
            final List<String> want = expected.get(topic);
            int i = 0;
            while (i < got.size() && i < want.size() && got.get(i).equals(want.get(i)))
            {
                i++;
            }
            if (i < got.size() || i < want.size())
            {
                differences.add(topic + ": " + got.size() + " of " + want.size() + " updates, first difference at " +
                    i + ": got " + (i < got.size() ? got.get(i) : "nothing") + ", want " +
                    (i < want.size() ? want.get(i) : "nothing"));
            }
        }
        assertThat(differences).as("%s; deliveries of the first topic that differs: %s", who,
            differences.isEmpty() ? "" : recorder.order().stream()
            .filter(e -> e.startsWith(differences.get(0).split(":")[0] + " ")).limit(60).toList()).isEmpty();
        assertThat(actual.keySet()).as(who).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    @ParameterizedTest(name = "recovery {0}")
    @ValueSource(booleans = {true, false})
    void shouldGiveASubscriberTooSlowForPubEveryUpdateInOrder(final boolean recovery) throws Exception
    {
        // More than the socket buffers of loopback hold (about 9 MB), to a listener slower than the publisher: PUB
        // drops whatever the machine's load (60,000 updates, 2 MB, fitted in the buffers of a slowed publisher).
        final long count = 300_000;
        final InstrumentRegistry registry = new InstrumentRegistry();
        publisher(source(registry, Long.MAX_VALUE, count), registry, 16, 1, RecoveryConfiguration.defaults());
        final RecoveryRecorder recorder = new RecoveryRecorder()
        {
            private long calls;

            @Override
            public void onBatchEnd(final Topic topic)
            {
                if (++calls % 4 == 0)
                {
                    LockSupport.parkNanos(200_000);
                }
            }
        };
        final FeedSubscriber subscriber = subscribe(recorder, recovery,
            FeedSubscriber.builder().receiveHwm(16).ringSize(16));
        assertThat(run().get(60, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
        if (recovery)
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> total(recorder.byTopic()) >= count);
        }
        else
        {
            // Quiet alone is no condition: a subscriber starved of CPU for 500 ms looks quiet before it has read the
            // part of the feed PUB dropped. The drop is seen first (the subscriber reads on past it), then quiet.
            await("PUB drops for this subscriber").atMost(Duration.ofSeconds(60))
                .until(() -> subscriber.counters().gapsDetected() > 0);
            awaitQuiet(recorder);
        }

        assertThat(subscriber.counters().gapsDetected()).as("PUB must drop for this subscriber").isPositive();
        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
        if (recovery)
        {
            assertSameUpdates("slow subscriber", recorder.byTopic(), expected, recorder);
            assertThat(recorder.unrecoverable()).isZero();
            assertThat(subscriber.counters().recovery().updatesRecovered()).isPositive();
        }
        else
        {
            assertThat(recorder.unrecoverable()).isPositive();
            assertThat(total(recorder.byTopic())).isLessThan(count);
        }
    }

    @ParameterizedTest(name = "recovery {0}")
    @ValueSource(booleans = {true, false})
    void shouldRecoverEveryBatchTheTestHookDrops(final boolean recovery) throws Exception
    {
        final long count = 40_000;
        final InstrumentRegistry registry = new InstrumentRegistry();
        publisher(source(registry, 100_000, count), registry, 100_000, 1,
            RecoveryConfiguration.defaults().withDrop(DropSpec.parse("every:13")));
        final RecoveryRecorder recorder = new RecoveryRecorder();
        final FeedSubscriber subscriber = subscribe(recorder, recovery, FeedSubscriber.builder());
        assertThat(run().get(60, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
        assertThat((Long)publisher.summary().get("droppedByTestHook")).isPositive();
        assertThat(recorder.sessionEnded().await(30, TimeUnit.SECONDS)).isTrue();

        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
        if (recovery)
        {
            assertSameUpdates("injected loss", recorder.byTopic(), expected, recorder);
            assertThat(recorder.unrecoverable()).isZero();
            assertThat(subscriber.counters().recovery().updatesRecovered())
                .isEqualTo(subscriber.counters().updatesLost()).isPositive();
        }
        else
        {
            assertThat(recorder.unrecoverable()).isEqualTo(subscriber.counters().updatesLost()).isPositive();
            assertThat(new TreeMap<>(recorder.byTopic())).isNotEqualTo(new TreeMap<>(expected));
        }
    }

    @Test
    void shouldRecoverEveryBatchTheTestHookDropsFromEnvelopes() throws Exception
    {
        // --envelope, parking after work as by default: the hook drops topic frames before they are packed, so an
        // envelope arrives with gaps in some of its topics, and recovery fills them from the frames the window holds.
        envelope = true;
        idle = "park";
        final long count = 40_000;
        final InstrumentRegistry registry = new InstrumentRegistry();
        publisher(source(registry, 100_000, count), registry, 100_000, 1,
            RecoveryConfiguration.defaults().withDrop(DropSpec.parse("every:13")));
        final RecoveryRecorder recorder = new RecoveryRecorder();
        final FeedSubscriber subscriber = subscribe(recorder, true, FeedSubscriber.builder());
        assertThat(run().get(60, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
        assertThat((Long)publisher.summary().get("droppedByTestHook")).isPositive();
        assertThat((Long)publisher.summary().get("envelopes")).isPositive();
        assertThat(recorder.sessionEnded().await(30, TimeUnit.SECONDS)).isTrue();

        assertSameUpdates("injected loss", recorder.byTopic(), new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic(),
            recorder);
        assertThat(recorder.unrecoverable()).isZero();
        assertThat(subscriber.counters().decodeErrors()).isZero();
        assertThat(subscriber.counters().recovery().updatesRecovered())
            .isEqualTo(subscriber.counters().updatesLost()).isPositive();
    }

    @ParameterizedTest(name = "recovery {0}")
    @ValueSource(booleans = {true, false})
    void shouldRecoverATopicsLastUpdateFromTheHeartbeatWhileThePublisherRuns(final boolean recovery)
        throws Exception
    {
        final long count = 5_000;
        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
        final int last = expected.get("EURUSD").size();
        final InstrumentRegistry registry = new InstrumentRegistry();
        final CountDownLatch end = new CountDownLatch(1);
        final PriceSource lingering = new LingeringSource(source(registry, 50_000, count), end);
        publisher(lingering, registry, 100_000, 1,
            RecoveryConfiguration.defaults().withDrop(DropSpec.parse("EURUSD:" + last)));
        final RecoveryRecorder recorder = new RecoveryRecorder();
        subscribe(recorder, recovery, FeedSubscriber.builder());
        final Future<FeedPublisher.StopReason> done = run();

        // The source has ended but the session has not: only the idle topics' heartbeats can reveal the loss.
        if (recovery)
        {
            await().atMost(Duration.ofSeconds(30))
                .until(() -> recorder.byTopic().getOrDefault("EURUSD", List.of()).size() == last);
            assertThat(done.isDone()).as("the session is still open").isFalse();
            assertThat(recorder.byTopic().get("EURUSD")).isEqualTo(expected.get("EURUSD"));
            assertThat(recorder.order()).anyMatch(e -> e.startsWith("EURUSD GAP ") && e.endsWith(".." + last));
            assertThat(recorder.unrecoverable()).isZero();
        }
        else
        {
            await().atMost(Duration.ofSeconds(30)).until(() -> recorder.unrecoverable() > 0);
            assertThat(recorder.order()).anyMatch(e -> e.startsWith("EURUSD LOST ") && e.endsWith(".." + last));
            assertThat(done.isDone()).as("the session is still open").isFalse();
        }
        end.countDown();
        assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
    }

    @ParameterizedTest(name = "recovery {0}")
    @ValueSource(booleans = {true, false})
    void shouldStartALateJoinerFromTheSnapshotAndKeepItComplete(final boolean recovery) throws Exception
    {
        final long count = 40_000;
        final InstrumentRegistry registry = new InstrumentRegistry();
        publisher(source(registry, 20_000, count), registry, 100_000, 1, RecoveryConfiguration.defaults());
        final RecoveryRecorder early = new RecoveryRecorder();
        subscribe(early, true, FeedSubscriber.builder());
        final Future<FeedPublisher.StopReason> done = run();
        await().atMost(Duration.ofSeconds(30)).until(() -> total(early.byTopic()) > 10_000);

        final RecoveryRecorder late = new RecoveryRecorder();
        final FeedSubscriber joiner = subscribe(late, recovery, FeedSubscriber.builder());
        assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
        assertThat(early.sessionEnded().await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(late.sessionEnded().await(30, TimeUnit.SECONDS)).isTrue();

        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
        assertSameUpdates("the early subscriber", early.byTopic(), expected, early);
        if (!recovery)
        {
            assertThat(late.unrecoverable()).as("without recovery the start is lost").isPositive();
            return;
        }
        assertThat(late.unrecoverable()).isZero();
        assertThat(late.snapshots()).as("every topic started from a snapshot").hasSize(INSTRUMENTS);
        assertThat(joiner.counters().recovery().snapshots()).isEqualTo(INSTRUMENTS);
        for (final Map.Entry<String, RecoveryRecorder.Snapshot> entry : late.snapshots().entrySet())
        {
            final String topic = entry.getKey();
            final RecoveryRecorder.Snapshot snapshot = entry.getValue();
            final List<String> all = expected.get(topic);
            assertThat(snapshot.lastSequence()).as(topic).isPositive();
            assertThat(snapshot.quote()).as("the snapshot's quote is the publisher's %s quote %d", topic,
                snapshot.quoteSequence()).isEqualTo(all.get((int)snapshot.quoteSequence() - 1));
            assertThat(late.byTopic().getOrDefault(topic, List.of())).as("%s from the snapshot on", topic)
                .isEqualTo(all.subList((int)snapshot.lastSequence(), all.size()));
        }
    }

    @Test
    void shouldKeepDeliveringLiveTopicsWhileAnotherRecoversALongGap() throws Exception
    {
        final long count = 60_000;
        final InstrumentRegistry registry = new InstrumentRegistry();
        publisher(source(registry, 40_000, count), registry, 100_000, 1,
            RecoveryConfiguration.defaults().withDrop(DropSpec.parse("EURUSD:100-4000")).withMaxReplyUpdates(20));
        final RecoveryRecorder recorder = new RecoveryRecorder();
        subscribe(recorder, true, FeedSubscriber.builder());
        assertThat(run().get(60, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
        assertThat(recorder.sessionEnded().await(30, TimeUnit.SECONDS)).isTrue();

        final List<String> order = recorder.order();
        final int start = order.indexOf(order.stream().filter(e -> e.startsWith("EURUSD GAP ")).findFirst()
            .orElseThrow());
        int end = start;
        for (int i = start; i < order.size(); i++)
        {
            if (order.get(i).startsWith("EURUSD " + Delivery.RECOVERED))
            {
                end = i;
            }
        }
        final long recoveredBatches = order.subList(start, end + 1).stream()
            .filter(e -> e.startsWith("EURUSD " + Delivery.RECOVERED)).count();
        final long liveMeanwhile = order.subList(start, end + 1).stream()
            .filter(e -> !e.startsWith("EURUSD") && e.contains(" " + Delivery.LIVE + " ")).count();
        assertThat(recoveredBatches).as("a long recovery, page by page").isGreaterThan(50);
        assertThat(liveMeanwhile).as("live batches of other topics delivered during it").isPositive();
        assertThat(order.subList(start, end + 1)).as("EURUSD's own live updates wait").noneMatch(
            e -> e.startsWith("EURUSD " + Delivery.LIVE));
        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
        assertSameUpdates("live during recovery", recorder.byTopic(), expected, recorder);
    }

    /**
     * A source that, once its delegate is exhausted, stays open (idle) until released: the session goes on with
     * nothing to publish, so every topic gets heartbeats.
     */
    private static final class LingeringSource implements PriceSource
    {
        private final PriceSource delegate;
        private final CountDownLatch end;

        LingeringSource(final PriceSource delegate, final CountDownLatch end)
        {
            this.delegate = delegate;
            this.end = end;
        }

        @Override
        public int poll(final UpdateSink sink, final int limit, final long nowNs)
        {
            return delegate.isExhausted() ? 0 : delegate.poll(sink, limit, nowNs);
        }

        @Override
        public boolean isExhausted()
        {
            return delegate.isExhausted() && end.getCount() == 0;
        }

        @Override
        public String name()
        {
            return delegate.name();
        }

        @Override
        public Map<String, Object> statistics()
        {
            return delegate.statistics();
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }
}
