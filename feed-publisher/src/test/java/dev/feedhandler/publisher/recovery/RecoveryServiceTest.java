package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery service over a real ROUTER socket: gap fills return the batches exactly as they were sent, page by
 * page; what the window no longer holds is said to be unavailable, with where to go on; snapshots carry each
 * topic's last quote and sequence number.
 */
@Timeout(30)
class RecoveryServiceTest
{
    private static final RecoveryConfiguration CONFIGURATION =
        RecoveryConfiguration.defaults().withLinger(Duration.ZERO);

    private ServiceFixture fixture;

    @AfterEach
    void tearDown()
    {
        if (fixture != null)
        {
            fixture.close();
        }
    }

    @Test
    void shouldFillAGapWithTheBatchesExactlyAsSent()
    {
        fixture = new ServiceFixture(CONFIGURATION);
        fixture.publish(2_000);
        final List<ServiceFixture.Sent> eur = fixture.batches("EURUSD");
        final long to = eur.get(eur.size() - 1).last();
        try (RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            final RecoveryClientStub.Reply reply = client.gapFill("EURUSD", 42, ServiceFixture.EPOCH, 20, to - 3);

            assertThat(reply.status()).isEqualTo(RecoveryStatus.OK);
            assertThat(reply.requestId()).isEqualTo(42);
            assertThat(new String(reply.topic(), StandardCharsets.US_ASCII)).isEqualTo("EURUSD");
            assertThat(reply.from()).isEqualTo(20);
            assertThat(reply.to()).isEqualTo(to - 3);
            assertThat(reply.next()).isZero();
            final List<byte[]> expected = new ArrayList<>();
            for (final ServiceFixture.Sent batch : eur)
            {
                if (batch.last() >= 20 && batch.first() <= to - 3)
                {
                    expected.add(batch.payload());
                }
            }
            assertThat(reply.frames()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void shouldPageThroughARangeLargerThanAReply()
    {
        fixture = new ServiceFixture(CONFIGURATION.withMaxReplyUpdates(20));
        fixture.publish(3_000);
        final List<ServiceFixture.Sent> gbp = fixture.batches("GBPUSD");
        final long last = gbp.get(gbp.size() - 1).last();
        try (RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            final List<byte[]> received = new ArrayList<>();
            long from = 1;
            int pages = 0;
            while (from != 0)
            {
                final RecoveryClientStub.Reply reply =
                    client.gapFill("GBPUSD", pages, ServiceFixture.EPOCH, from, WireFormat.SEQUENCE_TO_END);
                pages++;
                assertThat(reply.status()).isIn(RecoveryStatus.OK, RecoveryStatus.PARTIAL);
                assertThat(reply.from()).isEqualTo(from);
                assertThat(reply.frames().size()).isBetween(1, 20);
                received.addAll(reply.frames());
                from = reply.next();
                if (reply.status() == RecoveryStatus.OK)
                {
                    assertThat(reply.to()).isEqualTo(last);
                    assertThat(from).isZero();
                }
            }
            assertThat(pages).isGreaterThan(10);
            assertThat(received).containsExactlyElementsOf(gbp.stream().map(ServiceFixture.Sent::payload).toList());
        }
    }

    @Test
    void shouldSayWhatTheWindowNoLongerHoldsAndWhereToGoOn()
    {
        final RecoveryConfiguration small = new RecoveryConfiguration(null, 64 * 1024, 10_000, 2 * 1024 * 1024,
            RecoveryConfiguration.DEFAULT_RING_BYTES, Duration.ZERO, null, DropSpec.NONE);
        fixture = new ServiceFixture(small, 3, 4);
        fixture.publish(20_000);
        try (RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            final RecoveryClientStub.Reply lost = client.gapFill("EURUSD", 1, ServiceFixture.EPOCH, 1, 50);
            assertThat(lost.status()).isEqualTo(RecoveryStatus.UNAVAILABLE);
            assertThat(lost.from()).isEqualTo(1);
            assertThat(lost.to()).isEqualTo(50);
            assertThat(lost.next()).isZero();
            assertThat(lost.frames()).isEmpty();

            final List<ServiceFixture.Sent> eur = fixture.batches("EURUSD");
            final long last = eur.get(eur.size() - 1).last();
            final RecoveryClientStub.Reply straddling = client.gapFill("EURUSD", 2, ServiceFixture.EPOCH, 1, last);
            assertThat(straddling.status()).isEqualTo(RecoveryStatus.UNAVAILABLE);
            final long kept = straddling.next();
            assertThat(kept).isGreaterThan(50).isLessThanOrEqualTo(last);
            assertThat(straddling.to()).isEqualTo(kept - 1);

            final RecoveryClientStub.Reply rest = client.gapFill("EURUSD", 3, ServiceFixture.EPOCH, kept, last);
            assertThat(rest.status()).isEqualTo(RecoveryStatus.OK);
            assertThat(rest.frames()).isNotEmpty();
            assertThat(firstSequence(rest.frames().get(0))).isEqualTo(kept);
        }
    }

    @Test
    void shouldAnswerASnapshotWithEveryMatchingTopicsLastQuoteAndSequence()
    {
        fixture = new ServiceFixture(CONFIGURATION);
        fixture.publish(1_500);
        fixture.heartbeats();
        try (RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            final RecoveryClientStub.Reply all = client.snapshot("", 7, 0);
            assertThat(all.status()).isEqualTo(RecoveryStatus.OK);
            assertThat(all.epoch()).isEqualTo(ServiceFixture.EPOCH);
            assertThat(all.frames()).hasSize(2 * 5);
            final RecoveryReader reader = new RecoveryReader();
            for (int i = 0; i < all.frames().size(); i += 2)
            {
                final String topic = new String(all.frames().get(i), StandardCharsets.US_ASCII);
                final byte[] entry = all.frames().get(i + 1);
                assertThat(reader.read(new UnsafeBuffer(entry), 0, entry.length)).isNotEqualTo(RecoveryReader.INVALID);
                final List<ServiceFixture.Sent> batches = fixture.batches(topic);
                assertThat(reader.snapshotEntry().lastSequence()).as(topic)
                    .isEqualTo(batches.get(batches.size() - 1).last());
                assertThat(reader.snapshotEntry().quoteSequence()).as(topic).isPositive();
                assertThat(reader.quoteOffset()).isEqualTo(WireFormat.SNAPSHOT_ENTRY_LENGTH);
            }

            final RecoveryClientStub.Reply eur = client.snapshot("EUR", 8, 0);
            assertThat(eur.frames()).hasSize(2);
            assertThat(new String(eur.frames().get(0), StandardCharsets.US_ASCII)).isEqualTo("EURUSD");
            assertThat(client.snapshot("XYZ", 9, 0).frames()).isEmpty();
        }
    }

    @Test
    void shouldPageASnapshotLargerThanAReply()
    {
        fixture = new ServiceFixture(CONFIGURATION.withMaxReplyUpdates(3), 10, 8);
        fixture.publish(2_000);
        fixture.heartbeats();
        try (RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            final List<String> topics = new ArrayList<>();
            long cursor = 0;
            do
            {
                final RecoveryClientStub.Reply reply = client.snapshot("", cursor, cursor);
                assertThat(reply.frames().size()).isBetween(2, 6);
                for (int i = 0; i < reply.frames().size(); i += 2)
                {
                    topics.add(new String(reply.frames().get(i), StandardCharsets.US_ASCII));
                }
                cursor = reply.next();
            }
            while (cursor != 0);
            assertThat(topics).hasSize(10).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldAnswerWrongEpochForASessionItKnowsNothingOf()
    {
        fixture = new ServiceFixture(CONFIGURATION);
        fixture.publish(500);
        try (RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            final RecoveryClientStub.Reply reply = client.gapFill("EURUSD", 5, ServiceFixture.EPOCH - 1, 1, 10);
            assertThat(reply.status()).isEqualTo(RecoveryStatus.WRONG_EPOCH);
            assertThat(reply.requestId()).isEqualTo(5);
            assertThat(reply.frames()).isEmpty();
        }
    }

    private static long firstSequence(final byte[] batch)
    {
        return new UnsafeBuffer(batch).getLong(WireFormat.HEADER_LENGTH + 8, java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
