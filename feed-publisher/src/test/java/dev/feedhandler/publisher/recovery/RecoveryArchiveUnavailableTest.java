package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.RecoveryStatus;
import dev.feedhandler.common.wire.RecoveryWriter;
import dev.feedhandler.journal.RemoteJournal;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gap fill that only the journal's copy off the host could serve, while that copy does not answer: the service
 * leaves the request unanswered (the client asks again) and counts it, instead of telling the client the range is
 * unavailable, which the client would report as lost. The service goes on serving what it holds. A copy that runs out
 * of time after it found some batches has them answered (partial: the client asks for the rest).
 */
@Timeout(60)
class RecoveryArchiveUnavailableTest
{
    private static final long EARLIER = ServiceFixture.EPOCH - 1_000_000_000L;

    @Test
    void shouldLeaveARequestUnansweredAndCountItWhenTheCopyDoesNotAnswer()
    {
        final RecoveryConfiguration configuration = RecoveryConfiguration.defaults()
            .withRemoteJournal(new RemoteJournal(UnansweringArchiveProvider.KIND, "broker:9092", "feed"));
        try (ServiceFixture fixture = new ServiceFixture(configuration, 3, 4, ServiceFixture.EPOCH, null);
            RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            fixture.publish(200);
            final int lookupsBefore = UnansweringArchiveProvider.LOOKUPS.get();

            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
            final int length = new RecoveryWriter().gapFillRequest(buffer, 0, 1, EARLIER, 1, 100);
            client.send("EURUSD".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(buffer.byteArray(), length));

            await().atMost(Duration.ofSeconds(20))
                .until(() -> (Long)fixture.service.summary().get("archiveUnavailable") == 1L);
            assertThat(UnansweringArchiveProvider.LOOKUPS.get()).isGreaterThan(lookupsBefore);
            assertThat(client.socket().recv(ZMQ.DONTWAIT)).as("no reply: the client asks again").isNull();
            assertThat(fixture.service.summary().get("unavailable")).isEqualTo(0L);
            assertThat(fixture.service.errors()).isZero();

            final ServiceFixture.Sent first = fixture.batches("EURUSD").get(0);
            final RecoveryClientStub.Reply reply =
                client.gapFill("EURUSD", 2, ServiceFixture.EPOCH, first.first(), first.last());
            assertThat(reply.status()).as("the window is still served").isEqualTo(RecoveryStatus.OK);
            assertThat(reply.frames()).containsExactly(first.payload());
        }
    }

    @Test
    void shouldAnswerWithWhatTheCopyFoundBeforeItRanOutOfTime()
    {
        final RecoveryConfiguration configuration = RecoveryConfiguration.defaults()
            .withRemoteJournal(new RemoteJournal(CutShortArchiveProvider.KIND, "broker:9092", "feed"));
        try (ServiceFixture fixture = new ServiceFixture(configuration, 3, 4, ServiceFixture.EPOCH, null);
            RecoveryClientStub client = new RecoveryClientStub(fixture.context, fixture.endpoint()))
        {
            // Each lookup finds one batch of ten, then runs out of time: each reply takes the range ten further.
            for (long from = 1, request = 1; from <= 21; from += CutShortArchiveProvider.UPDATES, request++)
            {
                final RecoveryClientStub.Reply reply = client.gapFill("EURUSD", request, EARLIER, from, 100);
                assertThat(reply.status()).isEqualTo(RecoveryStatus.PARTIAL);
                assertThat(reply.to()).isEqualTo(from + CutShortArchiveProvider.UPDATES - 1);
                assertThat(reply.next()).isEqualTo(from + CutShortArchiveProvider.UPDATES);
                assertThat(reply.frames()).containsExactly(CutShortArchiveProvider.payload(from));
            }
            assertThat(fixture.service.summary()).containsEntry("archiveCutShort", 3L)
                .containsEntry("archiveUnavailable", 0L).containsEntry("batchesFromKafka", 3L)
                .as("the copy's seeks, counted when its lookup ran out of time too").containsEntry("archiveSeeks", 6L);
            assertThat(fixture.service.errors()).isZero();
        }
    }
}
