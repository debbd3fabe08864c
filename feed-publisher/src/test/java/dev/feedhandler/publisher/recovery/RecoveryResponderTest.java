package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryResponseDecoder;
import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.RecoveryReader;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The responder without a socket: frames handed over go through the last-value cache into the window, requests are
 * answered with the reply the ROUTER would send, and each outcome is counted.
 */
class RecoveryResponderTest
{
    private static final long EPOCH = 1_767_258_000_000_000_000L;

    private final RecoveryHandoff handoff = new RecoveryHandoff(1 << 20);
    private final RecoveryCounters counters = new RecoveryCounters();
    private final RecoveryArchives archives = RecoveryArchives.open(null, null);
    private final RecoveryWriter writer = new RecoveryWriter();
    private final RecoveryReader reader = new RecoveryReader();
    private final List<byte[]> handedOver = new ArrayList<>();
    private LastValueCache cache;
    private RecoveryResponder responder;

    @AfterEach
    void tearDown()
    {
        archives.close();
    }

    private void start(final RecoveryConfiguration configuration, final int windowBytes)
    {
        final RecoveryWindow window = new RecoveryWindow(windowBytes);
        cache = new LastValueCache(window, counters);
        responder = new RecoveryResponder(configuration, EPOCH, window, archives, cache, counters);
    }

    private void handOver(final String topic, final long first, final int quotes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final BatchWriter batch = new BatchWriter().wrap(buffer, 0);
        for (int i = 0; i < quotes; i++)
        {
            batch.appendQuote(7, first + i, 1, first + i + 1, 1, 0);
        }
        final int length = batch.finish(EPOCH, first, 0, false);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        handedOver.add(frame);
        handoff.offer(topic.getBytes(StandardCharsets.US_ASCII), buffer, 0, length);
        handoff.readAll(cache);
    }

    private RecoveryReply gapFill(final String topic, final long requestId, final long epoch, final long from,
        final long to)
    {
        final byte[] request = new byte[WireFormat.GAP_FILL_REQUEST_LENGTH];
        writer.gapFillRequest(new UnsafeBuffer(request), 0, requestId, epoch, from, to);
        return responder.respond(topic.getBytes(StandardCharsets.US_ASCII), request);
    }

    private RecoveryReply snapshot(final String prefix, final long requestId, final long cursor)
    {
        final byte[] request = new byte[WireFormat.SNAPSHOT_REQUEST_LENGTH];
        writer.snapshotRequest(new UnsafeBuffer(request), 0, requestId, cursor);
        return responder.respond(prefix.getBytes(StandardCharsets.US_ASCII), request);
    }

    private RecoveryResponseDecoder response(final RecoveryReply reply)
    {
        assertThat(reader.read(new UnsafeBuffer(reply.response), 0, reply.response.length))
            .isEqualTo(RecoveryResponseDecoder.TEMPLATE_ID);
        assertThat(reader.response().frameCount()).isEqualTo(reply.frames.size());
        return reader.response();
    }

    @Test
    void shouldFillAGapWithTheBatchesExactlyAsHandedOver()
    {
        start(RecoveryConfiguration.defaults(), 1 << 20);
        handOver("EURUSD", 1, 5);
        handOver("GBPUSD", 1, 5);
        handOver("EURUSD", 6, 5);
        handOver("EURUSD", 11, 5);

        final RecoveryReply reply = gapFill("EURUSD", 42, EPOCH, 3, 12);

        assertThat(new String(reply.topic, StandardCharsets.US_ASCII)).isEqualTo("EURUSD");
        final RecoveryResponseDecoder response = response(reply);
        assertThat(response.status()).isEqualTo(RecoveryStatus.OK);
        assertThat(response.requestId()).isEqualTo(42);
        assertThat(response.fromSequence()).isEqualTo(3);
        assertThat(response.toSequence()).isEqualTo(12);
        assertThat(response.nextSequence()).isZero();
        assertThat(reply.frames).containsExactly(handedOver.get(0), handedOver.get(2), handedOver.get(3));
        assertThat(counters.get(RecoveryCounters.GAP_FILLS)).isEqualTo(1);
        assertThat(counters.get(RecoveryCounters.BATCHES_FROM_WINDOW)).isEqualTo(3);
        assertThat(counters.get(RecoveryCounters.UPDATES_SERVED)).isEqualTo(15);
        assertThat(counters.get(RecoveryCounters.FRAMES_DRAINED)).isEqualTo(4);
    }

    @Test
    void shouldSayUnavailableAndWhereToGoOnWhenTheWindowNoLongerHoldsTheStart()
    {
        start(RecoveryConfiguration.defaults(), 4096);
        for (int i = 0; i < 100; i++)
        {
            handOver("EURUSD", 1 + 5L * i, 5);
        }

        final RecoveryResponseDecoder response = response(gapFill("EURUSD", 1, EPOCH, 1, 500));

        assertThat(response.status()).isEqualTo(RecoveryStatus.UNAVAILABLE);
        assertThat(response.nextSequence()).isGreaterThan(1);
        assertThat(response.toSequence()).isEqualTo(response.nextSequence() - 1);
        assertThat(counters.get(RecoveryCounters.UNAVAILABLE)).isEqualTo(1);
    }

    @Test
    void shouldAnswerEveryBadRequestWithItsErrorStatusAndCountIt()
    {
        start(RecoveryConfiguration.defaults(), 1 << 20);
        handOver("EURUSD", 1, 5);

        final RecoveryReply envelope = responder.malformedEnvelope();
        assertThat(envelope.topic).isEmpty();
        assertThat(response(envelope).status()).isEqualTo(RecoveryStatus.MALFORMED);
        assertThat(response(gapFill("EURUSD", 3, EPOCH, 0, 4)).status()).isEqualTo(RecoveryStatus.MALFORMED);
        assertThat(response(gapFill("EURUSD", 4, EPOCH + 1, 1, 4)).status()).isEqualTo(RecoveryStatus.WRONG_EPOCH);
        assertThat(response(responder.respond("EURUSD".getBytes(StandardCharsets.US_ASCII),
            new byte[WireFormat.MAX_RECOVERY_REQUEST_LENGTH + 1])).status()).isEqualTo(RecoveryStatus.TOO_LARGE);
        assertThat(response(responder.respond(new byte[WireFormat.MAX_TOPIC_LENGTH + 1],
            new byte[WireFormat.GAP_FILL_REQUEST_LENGTH])).status()).isEqualTo(RecoveryStatus.MALFORMED);

        assertThat(counters.get(RecoveryCounters.MALFORMED)).isEqualTo(3);
        assertThat(counters.get(RecoveryCounters.WRONG_EPOCH)).isEqualTo(1);
        assertThat(counters.get(RecoveryCounters.TOO_LARGE)).isEqualTo(1);
        assertThat(counters.errors()).isEqualTo(5);
    }

    @Test
    void shouldPageASnapshotOfTheTopicsMatchingAPrefix()
    {
        start(RecoveryConfiguration.defaults().withMaxReplyUpdates(1), 1 << 20);
        handOver("EURUSD", 1, 5);
        handOver("GBPUSD", 1, 2);
        handOver("EURGBP", 1, 3);

        final RecoveryReply first = snapshot("EUR", 9, 0);
        final RecoveryResponseDecoder page = response(first);
        assertThat(page.status()).isEqualTo(RecoveryStatus.PARTIAL);
        assertThat(page.requestId()).isEqualTo(9);
        assertThat(page.nextSequence()).isEqualTo(2);
        assertThat(new String(first.frames.get(0), StandardCharsets.US_ASCII)).isEqualTo("EURUSD");
        final byte[] entry = first.frames.get(1);
        reader.read(new UnsafeBuffer(entry), 0, entry.length);
        assertThat(reader.snapshotEntry().lastSequence()).isEqualTo(5);
        assertThat(reader.snapshotEntry().quoteSequence()).isEqualTo(5);

        final RecoveryReply last = snapshot("EUR", 10, 2);
        assertThat(response(last).status()).isEqualTo(RecoveryStatus.OK);
        assertThat(new String(last.frames.get(0), StandardCharsets.US_ASCII)).isEqualTo("EURGBP");
        assertThat(counters.get(RecoveryCounters.SNAPSHOTS)).isEqualTo(2);
        assertThat(counters.get(RecoveryCounters.SNAPSHOT_ENTRIES)).isEqualTo(2);
        assertThat(counters.get(RecoveryCounters.PARTIAL)).isEqualTo(1);
    }
}
