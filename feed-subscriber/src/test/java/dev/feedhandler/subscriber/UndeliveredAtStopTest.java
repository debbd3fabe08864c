package dev.feedhandler.subscriber;

import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.shm.ShmLogWriter;
import dev.feedhandler.common.testing.LogCapture;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.subscriber.receive.FeedReceiver;
import dev.feedhandler.subscriber.sequence.LineArbiter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.feedhandler.subscriber.RecoveringSubscriberTest.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber that stops while its recoveries go unanswered (a service that receives the requests and never
 * replies), over real sockets, identical lines and shared memory: what it never delivers is counted and logged, the
 * updates it received and held back behind the recoveries ({@code heldAtStop}) and the ranges still being recovered
 * ({@code pendingAtStop}), each once. Delivered, held and pending updates then account for every sequence number up
 * to the highest one each topic showed, and nothing is reported unrecoverable.
 */
@Timeout(30)
class UndeliveredAtStopTest
{
    private static final long EPOCH = 1_000;
    private static final String PENDING_LINE = "WARN stopped with ";

    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> open = new ArrayList<>();
    private ScriptedRecoveryService service;
    private FeedSubscriber subscriber;

    @AfterEach
    void tearDown() throws Exception
    {
        if (subscriber != null)
        {
            subscriber.close();
        }
        for (int i = open.size() - 1; i >= 0; i--)
        {
            open.get(i).close();
        }
        if (service != null)
        {
            service.close();
        }
    }

    /** A subscriber whose recovery service takes every request and never answers (nor times out in the test). */
    private FeedSubscriber start(final SubscriberBuilder builder)
    {
        service = new ScriptedRecoveryService(request -> null);
        subscriber = builder
            .recoveryEndpoint(service.endpoint())
            .recoveryTimeoutMs(120_000)
            .recoveryRetries(0)
            .heartbeatIntervalMs(0)
            .ringSize(64)
            .listener(listener)
            .build()
            .start();
        return subscriber;
    }

    private RawPublisher publisher()
    {
        final RawPublisher publisher = new RawPublisher();
        open.add(publisher);
        return publisher;
    }

    private static byte[] heartbeat(final long last)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.HEARTBEAT_LENGTH]);
        new ControlWriter().heartbeat(buffer, 0, EPOCH, last, 1L, false);
        return buffer.byteArray();
    }

    private long delivered(final String topic)
    {
        return listener.eventsWith(topic + " Q ").size();
    }

    /** Stops the subscriber, capturing what the receiver logs as it stops. */
    private List<String> stop()
    {
        try (LogCapture log = LogCapture.of(FeedReceiver.class))
        {
            subscriber.close();
            return log.linesWith("stopped with");
        }
    }

    @Test
    void shouldCountAndLogTheRangesStillBeingRecoveredWhenItStops()
    {
        final RawPublisher publisher = publisher();
        start(FeedSubscriber.builder().endpoint(publisher.endpoint()));
        publisher.awaitHello(Duration.ofSeconds(10));
        publisher.send("EURUSD", batch(EPOCH, 1, 2));
        publisher.send("EURUSD", batch(EPOCH, 5, 2));
        publisher.send("USDJPY", batch(EPOCH, 1, 1));
        publisher.send("EURUSD", batch(EPOCH, 7, 1));
        publisher.send("EURUSD", batch(EPOCH, 10, 3));
        publisher.send("USDJPY", batch(EPOCH, 4, 1));
        publisher.send("EURUSD", heartbeat(14));
        // A gap of more than the catch-up threshold: a stream is asked for, and the live frame far ahead let go.
        publisher.send("AUDUSD", batch(EPOCH, 1, 1));
        publisher.send("AUDUSD", batch(EPOCH, 20_000, 2));
        // The last frame on the connection: once it is delivered, the receiver has been through every one before.
        publisher.send("GBPUSD", batch(EPOCH, 1, 3));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered("GBPUSD") == 3);
        // One request per topic; a recovery socket replaced for want of a greeting (a JeroMQ connect stall on a busy
        // machine) asks them all again, so wait for the topics, not for a count.
        await().atMost(Duration.ofSeconds(10)).until(() -> service.requests().stream()
            .map(ScriptedRecoveryService.Request::topic).collect(Collectors.toSet())
            .containsAll(Set.of("EURUSD", "USDJPY", "AUDUSD")));

        final List<String> lines = stop();

        final GapRecoveryCounters recovery = subscriber.counters().recovery();
        assertThat(lines).containsExactly(
            "WARN stopped with 7 update(s) held back behind recoveries that had not completed: they were received " +
                "but are never delivered",
            PENDING_LINE + "20008 update(s) still being recovered, never delivered: EURUSD 3..4, EURUSD 8..9, " +
                "EURUSD 13..14, USDJPY 2..3, AUDUSD 2..20001");
        assertThat(recovery.pendingAtStop()).isEqualTo(2 + 2 + 2 + 2 + 20_000);
        assertThat(recovery.heldAtStop()).as("EURUSD 5..7 and 10..12, USDJPY 4").isEqualTo(7);
        assertThat(recovery.updatesUnrecoverable()).isZero();
        assertThat(delivered("EURUSD")).isEqualTo(2);
        assertThat(delivered("USDJPY")).isEqualTo(1);
        assertThat(delivered("AUDUSD")).isEqualTo(1);
        // Every sequence number up to the highest one each topic showed (14, 4, 20001, 3), once.
        assertThat(listener.eventsWith(" Q ").size() + recovery.heldAtStop() + recovery.pendingAtStop())
            .isEqualTo(14 + 4 + 20_001 + 3);
        assertThat(subscriber.counters().process().reader()).satisfies(reader ->
        {
            final List<String> labels = new ArrayList<>();
            reader.forEach((id, type, key, label) -> labels.add(label + "=" + reader.getCounterValue(id)));
            assertThat(labels).contains("updates still being recovered at stop (never delivered)=20008",
                "updates held back at stop (never delivered)=7");
        });
    }

    @Test
    void shouldCountWhatIdenticalLinesBothMissedOnceWhenItStops()
    {
        final RawPublisher lineA = publisher();
        final RawPublisher lineB = publisher();
        start(FeedSubscriber.builder().endpoint(lineA.endpoint()).endpoint(lineB.endpoint()).arbitrate(true)
            .arbitrationWindowMs(1));
        lineA.awaitHello(Duration.ofSeconds(10));
        lineB.awaitHello(Duration.ofSeconds(10));
        for (final RawPublisher line : List.of(lineA, lineB))
        {
            line.send("EURUSD", batch(EPOCH, 1, 2));
            line.send("EURUSD", batch(EPOCH, 5, 2));
            line.send("GBPUSD", batch(EPOCH, 1, 1));
        }
        final LineArbiter arbiter = subscriber.lineArbiter();
        await().atMost(Duration.ofSeconds(10)).until(() ->
            arbiter.won(0) + arbiter.late(0) == 5 && arbiter.won(1) + arbiter.late(1) == 5);

        final List<String> lines = stop();

        final GapRecoveryCounters recovery = subscriber.counters().recovery();
        assertThat(lines).contains(PENDING_LINE + "2 update(s) still being recovered, never delivered: EURUSD 3..4");
        assertThat(recovery.pendingAtStop()).isEqualTo(2);
        assertThat(recovery.heldAtStop()).as("5..6 from both lines, once").isEqualTo(2);
        assertThat(recovery.updatesUnrecoverable()).isZero();
        assertThat(delivered("EURUSD") + recovery.heldAtStop() + recovery.pendingAtStop()).isEqualTo(6);
    }

    @Test
    void shouldCountTheRangesStillBeingRecoveredOverSharedMemoryWhenItStops()
    {
        final ShmLocation location = new ShmLocation("undelivered", dir);
        final ShmLogWriter writer = ShmLogWriter.create(location, 64 * 1024, 4096, null, 42);
        open.add(writer);
        start(FeedSubscriber.builder().sharedMemory(location));
        write(writer, "EURUSD", batch(EPOCH, 1, 2));
        write(writer, "EURUSD", batch(EPOCH, 6, 1));
        write(writer, "GBPUSD", batch(EPOCH, 1, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered("GBPUSD") == 1);

        final List<String> lines = stop();

        final GapRecoveryCounters recovery = subscriber.counters().recovery();
        assertThat(lines).contains(PENDING_LINE + "3 update(s) still being recovered, never delivered: EURUSD 3..5");
        assertThat(recovery.pendingAtStop()).isEqualTo(3);
        assertThat(recovery.heldAtStop()).isEqualTo(1);
        assertThat(delivered("EURUSD") + recovery.heldAtStop() + recovery.pendingAtStop()).isEqualTo(6);
    }

    private static void write(final ShmLogWriter writer, final String topic, final byte[] payload)
    {
        assertThat(writer.write(topic.getBytes(StandardCharsets.US_ASCII), new UnsafeBuffer(payload), 0,
            payload.length)).isTrue();
    }
}
