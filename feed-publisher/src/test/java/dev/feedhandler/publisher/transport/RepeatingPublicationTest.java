package dev.feedhandler.publisher.transport;

import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.recovery.DropSpec;
import dev.feedhandler.publisher.recovery.DroppingPublication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packet repetition: every data batch goes out twice, everything else once; a copy the socket refuses waits for the
 * next send, before any other frame; below it, the drop hook judges each copy on its own.
 */
@Timeout(10)
class RepeatingPublicationTest
{
    private static final byte[] EURUSD = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTROL = {WireFormat.RESERVED_TOPIC_BYTE};
    private static final long EPOCH = 7;

    private final List<String> sent = new ArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final FrameReader reader = new FrameReader();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    /** Records "TOPIC first..last" for batches, "TOPIC heartbeat|status" otherwise; answers from {@link #answers}. */
    private final Publication socket = new Publication()
    {
        @Override
        public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
        {
            final int answer = answers.isEmpty() ? SENT : answers.poll();
            if (answer == SENT)
            {
                sent.add(describe(topic, payload, offset, length));
            }
            return answer;
        }
    };

    @Test
    void shouldSendEveryDataBatchTwiceAndEverythingElseOnce()
    {
        final RepeatingPublication publication = new RepeatingPublication(socket);
        final ControlWriter control = new ControlWriter();

        assertThat(publication.send(EURUSD, buffer, 0, batch(1, 3))).isEqualTo(Publication.SENT);
        assertThat(publication.send(EURUSD, buffer, 0, control.heartbeat(buffer, 0, EPOCH, 10, 3, false)))
            .isEqualTo(Publication.SENT);
        assertThat(publication.send(CONTROL, buffer, 0,
            control.sessionStatus(buffer, 0, EPOCH, 1, 10, 5, 1, SessionState.ACTIVE))).isEqualTo(Publication.SENT);
        assertThat(publication.send(EURUSD, buffer, 0, batch(4, 1))).isEqualTo(Publication.SENT);

        assertThat(sent).containsExactly("EURUSD 1..3", "EURUSD 1..3", "EURUSD heartbeat", "! other",
            "EURUSD 4..4", "EURUSD 4..4");
        assertThat(publication.repeated()).isEqualTo(2);
    }

    @Test
    void shouldOfferARefusedCopyAgainBeforeTheNextFrame()
    {
        final RepeatingPublication publication = new RepeatingPublication(socket);
        answers.add(Publication.SENT);
        answers.add(Publication.BACK_PRESSURED);
        assertThat(publication.send(EURUSD, buffer, 0, batch(1, 2))).as("the original was taken")
            .isEqualTo(Publication.SENT);
        assertThat(sent).containsExactly("EURUSD 1..2");

        // The caller's buffer is reused for the next batch: the copy waits in a buffer of its own.
        final int next = batch(3, 1);
        answers.add(Publication.BACK_PRESSURED);
        assertThat(publication.send(EURUSD, buffer, 0, next)).as("the copy still waits: the next frame must too")
            .isEqualTo(Publication.BACK_PRESSURED);
        assertThat(sent).containsExactly("EURUSD 1..2");

        assertThat(publication.send(EURUSD, buffer, 0, next)).isEqualTo(Publication.SENT);
        assertThat(sent).containsExactly("EURUSD 1..2", "EURUSD 1..2", "EURUSD 3..3", "EURUSD 3..3");
        assertThat(publication.repeated()).isEqualTo(2);
    }

    @Test
    void shouldPassTheOriginalsRefusalOnWithoutACopy()
    {
        final RepeatingPublication publication = new RepeatingPublication(socket);
        answers.add(Publication.BACK_PRESSURED);
        assertThat(publication.send(EURUSD, buffer, 0, batch(1, 1))).isEqualTo(Publication.BACK_PRESSURED);
        answers.add(Publication.CLOSED);
        assertThat(publication.send(EURUSD, buffer, 0, batch(1, 1))).isEqualTo(Publication.CLOSED);
        assertThat(sent).isEmpty();
        assertThat(publication.repeated()).isZero();
    }

    @Test
    void shouldLoseNoBatchWhenTheDropHookBelowNeverDropsBothCopies()
    {
        // Every third message dropped: never both copies of a batch (messages 2k-1 and 2k), but a third of them.
        final DroppingPublication dropping = new DroppingPublication(socket, DropSpec.parse("every:3"));
        final RepeatingPublication publication = new RepeatingPublication(dropping);
        final int batches = 300;
        for (int i = 0; i < batches; i++)
        {
            assertThat(publication.send(EURUSD, buffer, 0, batch(1 + 2L * i, 2))).isEqualTo(Publication.SENT);
        }

        final TreeSet<String> distinct = new TreeSet<>(sent);
        assertThat(dropping.dropped()).isEqualTo(2L * batches / 3);
        assertThat(sent).hasSize(2 * batches - 2 * batches / 3);
        assertThat(distinct).as("every batch arrived at least once").hasSize(batches);
        assertThat(publication.repeated()).isEqualTo(batches);
    }

    private int batch(final long first, final int quotes)
    {
        final BatchWriter writer = new BatchWriter().wrap(buffer, 0);
        for (int i = 0; i < quotes; i++)
        {
            writer.appendQuote(1, first + i, 1, first + i + 1, 1, 0);
        }
        return writer.finish(EPOCH, first, 0, false);
    }

    private String describe(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
    {
        final String name = new String(topic, StandardCharsets.US_ASCII)
            .replace((char)WireFormat.RESERVED_TOPIC_BYTE, '!');
        final FrameKind kind = reader.read(payload, offset, length);
        if (kind == FrameKind.BATCH)
        {
            final long first = reader.batchHeader().firstSequence();
            return name + " " + first + ".." + (first + reader.batchHeader().updateCount() - 1);
        }
        return name + " " + (kind == FrameKind.HEARTBEAT ? "heartbeat" : "other");
    }
}
