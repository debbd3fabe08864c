package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.testing.TestSeeds;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery service under abuse, over real sockets: garbage, wrong envelopes, oversized and unknown requests,
 * huge ranges, a client that never reads, clients that vanish, and many concurrent clients. Every request that
 * has an identity gets an error reply when it is wrong, the errors are counted by kind, and a correct client is
 * served correctly throughout.
 */
@Timeout(60)
class RecoveryServiceAbuseTest
{
    private ServiceFixture fixture;
    private List<ServiceFixture.Sent> eur;

    @BeforeEach
    void setUp()
    {
        fixture = new ServiceFixture(RecoveryConfiguration.defaults().withLinger(Duration.ZERO)
            .withMaxReplyUpdates(50));
        fixture.publish(5_000);
        eur = fixture.batches("EURUSD");
    }

    @AfterEach
    void tearDown()
    {
        fixture.close();
    }

    @Test
    void shouldAnswerEveryBadRequestWithAnErrorAndKeepServing()
    {
        try (RecoveryClientStub bad = new RecoveryClientStub(fixture.context, fixture.endpoint());
            RecoveryClientStub good = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            final byte[] topic = ascii("EURUSD");
            final byte[] request = gapFillRequest(9, ServiceFixture.EPOCH, 1, 10);

            bad.send(request);
            assertThat(bad.receive().status()).as("one frame").isEqualTo(RecoveryStatus.MALFORMED);
            bad.send(topic, request, request, request);
            assertThat(bad.receive().status()).as("four frames").isEqualTo(RecoveryStatus.MALFORMED);
            bad.send(topic, new byte[0]);
            assertThat(bad.receive().status()).as("empty request").isEqualTo(RecoveryStatus.MALFORMED);
            bad.send(topic, Arrays.copyOf(request, request.length - 1));
            assertThat(bad.receive().status()).as("truncated").isEqualTo(RecoveryStatus.MALFORMED);
            bad.send(topic, new byte[2048]);
            assertThat(bad.receive().status()).as("over 1 KiB").isEqualTo(RecoveryStatus.TOO_LARGE);
            bad.send(new byte[100], request);
            assertThat(bad.receive().status()).as("topic too long").isEqualTo(RecoveryStatus.MALFORMED);
            bad.send(ascii("EUR USD"), request);
            assertThat(bad.receive().status()).as("not a topic").isEqualTo(RecoveryStatus.MALFORMED);
            final byte[] unknown = request.clone();
            unknown[2] = 77;
            bad.send(topic, unknown);
            assertThat(bad.receive().status()).as("unknown template").isEqualTo(RecoveryStatus.UNKNOWN_REQUEST);
            final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[WireFormat.HEARTBEAT_LENGTH]);
            new ControlWriter().heartbeat(heartbeat, 0, 1, 2, 3, false);
            bad.send(topic, heartbeat.byteArray());
            assertThat(bad.receive().status()).as("a feed message").isEqualTo(RecoveryStatus.UNKNOWN_REQUEST);
            final RecoveryClientStub.Reply empty = bad.gapFill("EURUSD", 10, ServiceFixture.EPOCH, 0, 5);
            assertThat(empty.status()).as("from 0").isEqualTo(RecoveryStatus.MALFORMED);
            assertThat(empty.requestId()).isEqualTo(10);
            assertThat(bad.gapFill("EURUSD", 11, ServiceFixture.EPOCH, 9, 8).status()).as("backwards")
                .isEqualTo(RecoveryStatus.MALFORMED);
            assertThat(bad.snapshot("", 12, -1).status()).as("negative cursor").isEqualTo(RecoveryStatus.MALFORMED);

            final long last = eur.get(eur.size() - 1).last();
            final RecoveryClientStub.Reply huge =
                bad.gapFill("EURUSD", 13, ServiceFixture.EPOCH, 1, Long.MAX_VALUE - 1);
            assertThat(huge.status()).as("a huge range is paged").isEqualTo(RecoveryStatus.PARTIAL);
            assertThat(huge.frames().stream().mapToLong(RecoveryServiceAbuseTest::updates).sum()).isLessThanOrEqualTo(
                50 + 8);
            final RecoveryClientStub.Reply beyond = bad.gapFill("EURUSD", 14, ServiceFixture.EPOCH, last + 1,
                last + 1_000_000);
            assertThat(beyond.status()).as("nothing published there").isEqualTo(RecoveryStatus.OK);
            assertThat(beyond.to()).isEqualTo(last);
            assertThat(beyond.frames()).isEmpty();

            assertGood(good);
        }
        try (RecoveryClientStub req = new RecoveryClientStub(fixture.context, fixture.endpoint(), SocketType.REQ))
        {
            assertGood(req);
        }
        final Map<String, Object> summary = fixture.service.summary();
        @SuppressWarnings("unchecked")
        final Map<String, Object> errors = (Map<String, Object>)summary.get("errors");
        assertThat(errors.get("malformed")).isEqualTo(9L);
        assertThat(errors.get("tooLarge")).isEqualTo(1L);
        assertThat(errors.get("unknownRequest")).isEqualTo(2L);
    }

    @Test
    void shouldSurviveGarbageFloodsVanishingClientsAndOversizedMessages() throws Exception
    {
        final long seed = TestSeeds.seed("shouldSurviveGarbageFloodsVanishingClientsAndOversizedMessages");
        final Random random = new Random(seed);
        try (RecoveryClientStub good = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            // Random frames, a random number of them: each message gets an error reply, none stops the service.
            try (RecoveryClientStub garbage = new RecoveryClientStub(fixture.context, fixture.endpoint()))
            {
                for (int i = 0; i < 300; i++)
                {
                    final byte[][] frames = new byte[1 + random.nextInt(5)][];
                    for (int f = 0; f < frames.length; f++)
                    {
                        frames[f] = new byte[random.nextInt(80)];
                        random.nextBytes(frames[f]);
                    }
                    garbage.send(frames);
                    assertThat(garbage.receive().status()).as("seed %d message %d", seed, i)
                        .isIn(RecoveryStatus.MALFORMED, RecoveryStatus.UNKNOWN_REQUEST);
                }
            }
            assertGood(good);

            // A message over 64 KiB: ZeroMQ closes that connection; the service goes on.
            try (RecoveryClientStub huge = new RecoveryClientStub(fixture.context, fixture.endpoint()))
            {
                huge.send(ascii("EURUSD"), new byte[100 * 1024]);
                assertGood(good);
            }

            // A client that sends a thousand requests and never reads: its replies beyond its queue are dropped.
            final ZMQ.Socket greedy = fixture.context.createSocket(SocketType.DEALER);
            greedy.setLinger(0);
            greedy.setReceiveBufferSize(4096);
            greedy.setRcvHWM(1);
            greedy.connect(fixture.endpoint());
            final byte[] whole = gapFillRequest(1, ServiceFixture.EPOCH, 1, Long.MAX_VALUE);
            for (int i = 0; i < 1_000; i++)
            {
                greedy.send(ascii("EURUSD"), ZMQ.SNDMORE);
                greedy.send(whole, 0);
            }
            // Clients that ask and vanish before the reply.
            for (int i = 0; i < 20; i++)
            {
                final ZMQ.Socket vanishing = fixture.context.createSocket(SocketType.DEALER);
                vanishing.setLinger(0);
                vanishing.connect(fixture.endpoint());
                vanishing.send(ascii("GBPUSD"), ZMQ.SNDMORE);
                vanishing.send(whole, 0);
                vanishing.close();
            }
            assertGood(good);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> (Long)fixture.service.summary().get("repliesDropped") > 0);
            assertGood(good);
            greedy.close();
        }
    }

    @Test
    void shouldServeManyConcurrentClientsCorrectly() throws Exception
    {
        final int clients = 24;
        final ExecutorService executor = Executors.newFixedThreadPool(clients);
        try
        {
            final List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++)
            {
                final int id = c;
                results.add(executor.submit(() ->
                {
                    int checked = 0;
                    try (RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
                    {
                        for (int i = 0; i < 25; i++)
                        {
                            if ((i + id) % 5 == 0)
                            {
                                assertThat(client.snapshot("", i, 0).frames()).hasSize(10);
                            }
                            else
                            {
                                assertGood(client, i + id);
                            }
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            for (final Future<Integer> result : results)
            {
                assertThat(result.get(45, TimeUnit.SECONDS)).isEqualTo(25);
            }
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    private void assertGood(final RecoveryClientStub client)
    {
        assertGood(client, 3);
    }

    /**
     * A correct request gets the correct batches.
     */
    private void assertGood(final RecoveryClientStub client, final int offset)
    {
        final ServiceFixture.Sent from = eur.get(offset % (eur.size() - 3));
        final ServiceFixture.Sent to = eur.get(offset % (eur.size() - 3) + 2);
        final RecoveryClientStub.Reply reply =
            client.gapFill("EURUSD", 1_000 + offset, ServiceFixture.EPOCH, from.first(), to.last());
        assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
        assertThat(reply.requestId()).isEqualTo(1_000 + offset);
        assertThat(reply.frames()).containsExactly(from.payload(), eur.get(offset % (eur.size() - 3) + 1).payload(),
            to.payload());
    }

    private static byte[] gapFillRequest(final long id, final long epoch, final long from, final long to)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.GAP_FILL_REQUEST_LENGTH]);
        new RecoveryWriter().gapFillRequest(buffer, 0, id, epoch, from, to);
        return buffer.byteArray();
    }

    private static long updates(final byte[] batch)
    {
        return new UnsafeBuffer(batch).getShort(WireFormat.HEADER_LENGTH + 24, java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
