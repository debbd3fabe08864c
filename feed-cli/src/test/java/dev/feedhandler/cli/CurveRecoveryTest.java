package dev.feedhandler.cli;

import dev.feedhandler.common.security.CurveAllowList;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.security.CurveKeys;
import dev.feedhandler.common.security.CurveServer;
import dev.feedhandler.common.socket.SocketEvents;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.PublisherContext;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.recovery.DropSpec;
import dev.feedhandler.publisher.recovery.RecoveryConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.subscriber.FeedSubscriber;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recovery service behind CURVE: its ROUTER is a CURVE server with the feed's key and allow-list, so an allowed
 * subscriber recovers everything the feed drops, while a client with an unknown key, or without CURVE, gets no reply
 * (and the refusal is counted).
 */
@Timeout(60)
class CurveRecoveryTest
{
    private static final long SEED = 7;
    private static final int INSTRUMENTS = 12;

    @TempDir
    Path dir;

    @Test
    void shouldServeAnAllowedSubscriberAndNobodyElse() throws Exception
    {
        final CurveKeys.Generated serverKeys = CurveKeys.generate(dir, "publisher", false);
        final CurveKeys.Generated allowedKeys = CurveKeys.generate(dir, "desk-1", false);
        final CurveKeys.Generated strangerKeys = CurveKeys.generate(dir, "stranger", false);
        final Path allow = Files.createDirectories(dir.resolve("allow"));
        Files.copy(allowedKeys.publicFile(), allow.resolve("desk-1.key"));

        final long count = 20_000;
        final SocketEvents events = new SocketEvents();
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try (ZContext context = new ZContext();
            CurveServer curve = new CurveServer(CurveKeys.readSecret(serverKeys.secretFile()),
                CurveAllowList.directory(allow)))
        {
            final InstrumentRegistry registry = new InstrumentRegistry();
            final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(INSTRUMENTS, 20_000, SEED,
                0.2, 0, Duration.ofSeconds(1), count), registry, WallClock.shared());
            final FeedPublisher publisher = new FeedPublisher(new PublisherContext()
                .configuration(new PublisherConfiguration(
                    new BatchConfiguration(64, 4096, 50_000),
                    // A close linger long enough for a subscriber starved of CPU: with the default 2 s, a loaded
                    // run lost the session's end (JeroMQ discards what is unsent at the linger), and the subscriber,
                    // which recovered the tail from the service, never saw the session end. This test is about CURVE.
                    new SocketConfiguration(List.of("tcp://127.0.0.1:*"), 100_000, 1, 0, false, 30_000,
                        Backpressure.DROP),
                    Duration.ofMillis(100), 1, Duration.ofSeconds(30), null, "backoff"))
                .source(source).registry(registry).zContext(context)
                .socketSetup(curve.andThen(events.hook("feed")))
                .recovery(RecoveryConfiguration.defaults().withBind("tcp://127.0.0.1:*").withLinger(Duration.ZERO)
                    .withDrop(DropSpec.parse("every:10")))
                .recoverySocketSetup(curve.andThen(events.hook("recovery"))));
            final RecoveryRecorder recorder = new RecoveryRecorder();
            final FeedSubscriber allowed = FeedSubscriber.builder()
                .endpoint(publisher.boundEndpoints().get(0))
                .recoveryEndpoint(publisher.recoveryEndpoint())
                .curve(CurveClient.read(serverKeys.publicFile(), allowedKeys.secretFile()))
                .listener(recorder)
                .build()
                .start();
            try
            {
                executor.submit(publisher::run);
                final boolean ended = recorder.sessionEnded().await(40, TimeUnit.SECONDS);
                assertThat(ended).as("session end within 40 s: published %d, delivered %d, gaps %d, recoveries %d " +
                    "(failed %d), recovered %d, unrecoverable %d, client requests %d timeouts %d failures %d",
                    publisher.counters().publishedUpdates(), allowed.counters().updatesDelivered(),
                    allowed.counters().gapsDetected(), allowed.counters().recovery().recoveries(),
                    allowed.counters().recovery().recoveriesFailed(), allowed.counters().recovery().updatesRecovered(),
                    allowed.counters().recovery().updatesUnrecoverable(), allowed.recoveryClient().requests(),
                    allowed.recoveryClient().timeouts(), allowed.recoveryClient().failures()).isTrue();
                assertThat(new TreeMap<>(recorder.byTopic()))
                    .isEqualTo(new TreeMap<>(new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic()));
                assertThat(allowed.counters().recovery().updatesRecovered()).isPositive();
                assertThat(recorder.unrecoverable()).isZero();

                final long refusedBefore = curve.policy().refused();
                assertThat(ask(context, publisher.recoveryEndpoint(),
                    CurveClient.read(serverKeys.publicFile(), strangerKeys.secretFile()))).as("unknown key").isNull();
                await().atMost(Duration.ofSeconds(10)).until(() -> curve.policy().refused() > refusedBefore);
                assertThat(ask(context, publisher.recoveryEndpoint(), null)).as("no CURVE").isNull();
                assertThat(ask(context, publisher.recoveryEndpoint(),
                    CurveClient.read(serverKeys.publicFile(), allowedKeys.secretFile()))).as("allowed").isNotNull();
                assertThat(events.socket("recovery").count(org.zeromq.ZMonitor.Event.ACCEPTED)).isPositive();
            }
            finally
            {
                allowed.close();
                publisher.close();
                executor.shutdownNow();
            }
        }
    }

    /**
     * A snapshot request from a DEALER with the given keys (or plaintext): the reply's frames, or null if none came.
     */
    private static List<byte[]> ask(final ZContext context, final String endpoint, final CurveClient keys)
    {
        final ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        try
        {
            dealer.setLinger(0);
            if (keys != null)
            {
                keys.configure(dealer);
            }
            dealer.connect(endpoint);
            final UnsafeBuffer request = new UnsafeBuffer(new byte[WireFormat.SNAPSHOT_REQUEST_LENGTH]);
            new RecoveryWriter().snapshotRequest(request, 0, 1, 0);
            dealer.send("".getBytes(StandardCharsets.US_ASCII), ZMQ.SNDMORE);
            dealer.send(request.byteArray(), 0);
            dealer.setReceiveTimeOut(1_500);
            final byte[] first = dealer.recv(0);
            if (first == null)
            {
                return null;
            }
            final List<byte[]> frames = new java.util.ArrayList<>(List.of(first));
            while (dealer.hasReceiveMore())
            {
                frames.add(dealer.recv(0));
            }
            return frames;
        }
        finally
        {
            dealer.close();
        }
    }
}
