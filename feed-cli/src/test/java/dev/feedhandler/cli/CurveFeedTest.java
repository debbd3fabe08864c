package dev.feedhandler.cli;

import dev.feedhandler.metrics.CurveServerMetrics;
import dev.feedhandler.metrics.SocketEventMetrics;
import dev.feedhandler.common.security.CurveAllowList;
import dev.feedhandler.common.security.CurveClient;
import dev.feedhandler.common.security.CurveKeys;
import dev.feedhandler.common.security.CurveServer;
import dev.feedhandler.common.socket.SocketEventLog;
import dev.feedhandler.common.socket.SocketEvents;
import dev.feedhandler.common.testing.LogCapture;
import dev.feedhandler.common.testing.PrometheusText;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.receive.ReceiverAgent;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZContext;
import org.zeromq.ZMonitor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The feed over CURVE with an allow-list, over real tcp: an allowed subscriber receives the feed; a client with an
 * unknown key, a client with the wrong server key, and a plaintext client receive nothing while the allowed one
 * keeps receiving, and the publisher counts and logs each refusal.
 * <p>
 * The recovery service's ROUTER is a CURVE server with the same {@link CurveServer}: {@code CurveRecoveryTest}.
 */
@Timeout(60)
class CurveFeedTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final SocketEvents publisherEvents = new SocketEvents();
    private ZContext context;
    private CurveServer curve;
    private FeedPublisher publisher;
    private FeedSubscriber allowed;
    private UpdateRecorder allowedUpdates;
    private CurveKeys.Generated serverKeys;
    private CurveKeys.Generated allowedKeys;
    private CurveKeys.Generated strangerKeys;
    private LogCapture log;

    @BeforeEach
    void startPublisherAndAnAllowedSubscriber() throws Exception
    {
        serverKeys = CurveKeys.generate(dir, "publisher", false);
        allowedKeys = CurveKeys.generate(dir, "desk-1", false);
        strangerKeys = CurveKeys.generate(dir, "stranger", false);
        final Path allow = Files.createDirectories(dir.resolve("allow"));
        Files.copy(allowedKeys.publicFile(), allow.resolve("desk-1.key"));
        log = LogCapture.of(SocketEventLog.class, CurveAllowList.class, ReceiverAgent.class);

        context = new ZContext();
        curve = new CurveServer(CurveKeys.readSecret(serverKeys.secretFile()), CurveAllowList.directory(allow));
        publisher = Feeds.publisher("tcp://127.0.0.1:*", 5_000, 0, 1, context,
            curve.andThen(publisherEvents.hook("feed")));
        allowedUpdates = new UpdateRecorder();
        allowed = FeedSubscriber.builder()
            .endpoint(endpoint())
            .curve(CurveClient.read(serverKeys.publicFile(), allowedKeys.secretFile()))
            .listener(allowedUpdates)
            .build()
            .start();
        executor.submit(publisher::run);
        await().atMost(WAIT).until(() -> allowed.counters().updatesDelivered() > 100);
    }

    @AfterEach
    void stop() throws Exception
    {
        publisher.requestStop();
        executor.shutdown();
        assertThat(executor.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
        allowed.close();
        curve.close();
        context.close();
        log.close();
    }

    @Test
    void shouldDeliverTheFeedToAnAllowedSubscriberAndLogItsAdmission()
    {
        assertThat(allowed.counters().gapsDetected()).isZero();
        assertThat(curve.policy().admitted()).isEqualTo(1);
        assertThat(log.linesWith("INFO admitted CURVE client " + allowedKeys.publicKey() + " from 127.0.0.1"))
            .hasSize(1);
        assertThat(metrics().count("feed_curve_clients_total", "result", "admitted")).isEqualTo(1);
    }

    @Test
    void shouldGiveNothingToAClientWithAnUnknownKeyAndCountAndLogTheRefusal() throws Exception
    {
        final Refused stranger = connect(CurveClient.read(serverKeys.publicFile(), strangerKeys.secretFile()));

        // At least once: a client whose handshake outlasts its watchdog (1 s, a loaded machine) tries again.
        awaitOrSay(() -> curve.policy().refused() >= 1);
        stranger.assertReceivedNothingWhileTheFeedFlows();

        assertThat(log.linesWith("WARN refused CURVE client " + strangerKeys.publicKey() + " from 127.0.0.1: " +
            "its public key is not in the allow-list")).hasSize(1);
        assertThat(metrics().count("feed_curve_clients_total", "result", "refused")).isPositive();
        awaitOrSay(() -> stranger.events.count(ZMonitor.Event.HANDSHAKE_FAILED_AUTH) >= 1);
        // The client logs the refusal when the connection closes: the DISCONNECTED event after the failed handshake.
        awaitOrSay(() -> !log.linesWith("WARN stranger: refused by " + endpoint()).isEmpty());
        assertThat(log.linesWith("WARN stranger: refused by " + endpoint())).hasSize(1);
    }

    @Test
    void shouldGiveNothingToAClientWithTheWrongServerKeyAndCountAndLogTheRefusal() throws Exception
    {
        // A key pair the publisher is not: the client's HELLO cannot be opened by the publisher.
        final Refused wrongServer = connect(CurveClient.read(strangerKeys.publicFile(), allowedKeys.secretFile()));

        final SocketEventLog feed = publisherEvents.socket("feed");
        // At least once: a client whose handshake outlasts its watchdog (1 s, a loaded machine) tries again.
        awaitOrSay(() -> feed.count(ZMonitor.Event.HANDSHAKE_FAILED_PROTOCOL) >= 1);
        wrongServer.assertReceivedNothingWhileTheFeedFlows();
        // The refusal is logged when the connection closes: the DISCONNECTED event after the failed handshake.
        awaitOrSay(() -> log.linesWith("WARN feed: refused 127.0.0.1:").stream()
            .anyMatch(line -> line.contains("ZMTP_CRYPTOGRAPHIC")));

        assertThat(log.linesWith("WARN feed: handshake failed on " + endpoint() +
            ": protocol error ZMTP_CRYPTOGRAPHIC")).hasSize(1);
        assertThat(log.linesWith("WARN feed: refused 127.0.0.1:").stream()
            .filter(line -> line.contains("ZMTP_CRYPTOGRAPHIC"))).hasSize(1);
        assertThat(metrics().count("feed_socket_events_total", "socket", "feed", "event",
            "handshake_failed_protocol")).isPositive();
        assertThat(curve.policy().admitted()).isEqualTo(1);
    }

    @Test
    void shouldGiveNothingToAPlaintextClientAndCountAndLogTheRefusal()
    {
        final Refused plaintext = connect(null);

        final SocketEventLog feed = publisherEvents.socket("feed");
        await().atMost(WAIT).until(() -> feed.greetingFailures() >= 1);
        plaintext.assertReceivedNothingWhileTheFeedFlows();

        // Another plaintext client from the same host (or the first one retrying) fails the same way: each refusal
        // is counted and recorded, the refusal is logged once (one distinct error).
        final Refused again = connect(null);
        await().atMost(WAIT).until(() -> feed.greetingFailures() >= 2);
        again.assertReceivedNothingWhileTheFeedFlows();

        assertThat(log.linesWith("WARN feed: refused 127.0.0.1:")).hasSize(1)
            .allMatch(line -> line.contains("before the ZMTP greeting completed"));
        assertThat(metrics().count("feed_socket_events_total", "socket", "feed", "event",
            "handshake_failed_greeting")).isEqualTo(feed.greetingFailures());
        await().atMost(WAIT).until(() -> recordedRefusals() == feed.greetingFailures());
        assertThat(curve.policy().admitted()).isEqualTo(1);
    }

    private long recordedRefusals()
    {
        final long[] recorded = new long[1];
        publisherEvents.errors().read((count, first, last, text) ->
        {
            if (text.contains("feed: refused 127.0.0.1 on " + endpoint()))
            {
                recorded[0] = count;
            }
        });
        return recorded[0];
    }

    private String endpoint()
    {
        return publisher.boundEndpoints().get(0);
    }

    private Refused connect(final CurveClient client)
    {
        final Refused refused = new Refused();
        refused.subscriber = FeedSubscriber.builder()
            .endpoint(endpoint())
            .curve(client)
            .socketEvents(refused.events)
            .listener(refused.updates)
            .build()
            .start();
        return refused;
    }

    /**
     * Waits for a condition; on timeout the failure lists what both sides' sockets went through (seen once in a full
     * suite run: the wrong-server-key refusal not counted within 20 s, with nothing to say why).
     */
    private void awaitOrSay(final Callable<Boolean> condition)
    {
        try
        {
            await().atMost(WAIT).until(condition);
        }
        catch (final ConditionTimeoutException ex)
        {
            throw new AssertionError("not within " + WAIT + "; the sockets' log:\n" + String.join("\n", log.lines()),
                ex);
        }
    }

    private PrometheusText metrics()
    {
        try
        {
            final PrometheusRegistry registry = new PrometheusRegistry();
            SocketEventMetrics.register(registry, publisherEvents);
            CurveServerMetrics.register(registry, curve);
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /**
     * A subscriber the publisher should refuse.
     */
    private final class Refused
    {
        final SocketEventLog events = new SocketEventLog("stranger");
        final UpdateRecorder updates = new UpdateRecorder();
        FeedSubscriber subscriber;

        void assertReceivedNothingWhileTheFeedFlows()
        {
            try
            {
                // The allowed subscriber goes on receiving after the refusal: the feed flowed meanwhile.
                final long before = allowed.counters().updatesDelivered();
                await().atMost(WAIT).until(() -> allowed.counters().updatesDelivered() > before + 500);
                assertThat(subscriber.counters().updatesReceived()).isZero();
                assertThat(subscriber.counters().heartbeats()).isZero();
                assertThat(updates.byTopic()).isEmpty();
                assertThat(publisher.counters().subscribers()).isEqualTo(1);
            }
            finally
            {
                subscriber.close();
            }
        }
    }
}
