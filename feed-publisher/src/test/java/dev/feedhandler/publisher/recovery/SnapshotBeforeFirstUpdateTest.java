package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.PublisherContext;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A late joiner's snapshot names every topic the publisher knows, also before any of them has published: here while
 * the publisher holds its source for a subscriber that never comes ({@code --await-subscribers}), each with last
 * sequence 0 and no quote.
 */
@Timeout(60)
class SnapshotBeforeFirstUpdateTest
{
    private static final int INSTRUMENTS = 4;

    @Test
    void shouldNameEveryKnownTopicAtSequenceZeroWhileAwaitingSubscribers() throws Exception
    {
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try (ZContext context = new ZContext())
        {
            final InstrumentRegistry registry = new InstrumentRegistry();
            final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(INSTRUMENTS, Long.MAX_VALUE,
                3, 0.2, 0, Duration.ofSeconds(1), 1_000), registry, WallClock.shared());
            final PublisherConfiguration configuration = new PublisherConfiguration(
                new BatchConfiguration(16, 4096, BatchConfiguration.DEFAULT_LINGER_NS),
                new SocketConfiguration(List.of("inproc://snapshot-before-first-update"), 1000, 1, 0, false, 0,
                    Backpressure.DROP),
                Duration.ofSeconds(1), 1, Duration.ofSeconds(30), null, PublisherConfiguration.DEFAULT_IDLE_STRATEGY);
            try (FeedPublisher publisher = new FeedPublisher(new PublisherContext().configuration(configuration)
                .source(source).registry(registry).zContext(context)
                .recovery(RecoveryConfiguration.defaults().withBind("tcp://127.0.0.1:*")));
                RecoveryClientStub client = new RecoveryClientStub(context, publisher.recoveryEndpoint()))
            {
                final Future<FeedPublisher.StopReason> done = executor.submit(publisher::run);
                await().atMost(Duration.ofSeconds(30))
                    .until(() -> publisher.state() == FeedPublisher.State.AWAITING_SUBSCRIBERS);

                final RecoveryReader reader = new RecoveryReader();
                final Map<String, Long> lastByTopic = new LinkedHashMap<>();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                {
                    final RecoveryClientStub.Reply reply = client.snapshot("", 1, 0);
                    assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
                    lastByTopic.clear();
                    for (int i = 0; i + 1 < reply.frames().size(); i += 2)
                    {
                        final byte[] entry = reply.frames().get(i + 1);
                        reader.read(new UnsafeBuffer(entry), 0, entry.length);
                        lastByTopic.put(new String(reply.frames().get(i), StandardCharsets.US_ASCII),
                            reader.snapshotEntry().lastSequence());
                    }
                    assertThat(lastByTopic).hasSize(INSTRUMENTS);
                });
                final List<String> expected = new ArrayList<>();
                registry.instruments().forEach(instrument -> expected.add(instrument.symbol()));
                assertThat(lastByTopic.keySet()).containsExactlyElementsOf(expected);
                assertThat(lastByTopic.values()).containsOnly(0L);
                assertThat(publisher.summary().get("published")).as("nothing published yet").isEqualTo(0L);

                publisher.requestStop();
                assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.STOPPED);
            }
        }
        finally
        {
            executor.shutdownNow();
        }
    }
}
