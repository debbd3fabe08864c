package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test hook's {@code end}: the end-of-session heartbeats and the ended status are kept off the socket, every other
 * heartbeat and status goes on.
 */
@Timeout(10)
class DroppingPublicationTest
{
    private static final byte[] EURUSD = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTROL = {WireFormat.RESERVED_TOPIC_BYTE};

    private final List<String> sent = new ArrayList<>();
    private final ControlWriter writer = new ControlWriter();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    private final Publication socket = new Publication()
    {
        @Override
        public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
        {
            sent.add(new String(topic, StandardCharsets.US_ASCII).replace((char)WireFormat.RESERVED_TOPIC_BYTE, '!') +
                " " + length);
            return SENT;
        }
    };

    @Test
    void shouldKeepOnlyTheSessionsEndOffTheSocket()
    {
        final DroppingPublication publication = new DroppingPublication(socket, DropSpec.parse("end"));
        assertThat(DropSpec.parse("end").isActive()).isTrue();

        assertThat(publication.send(EURUSD, buffer, 0, writer.heartbeat(buffer, 0, 7, 10, 1, false)))
            .isEqualTo(Publication.SENT);
        assertThat(publication.send(CONTROL, buffer, 0,
            writer.sessionStatus(buffer, 0, 7, 1, 10, 5, 1, SessionState.ACTIVE))).isEqualTo(Publication.SENT);
        assertThat(sent).hasSize(2);

        assertThat(publication.send(EURUSD, buffer, 0, writer.heartbeat(buffer, 0, 7, 10, 2, true)))
            .as("said to be sent: the publisher goes on as if it were").isEqualTo(Publication.SENT);
        assertThat(publication.send(CONTROL, buffer, 0,
            writer.sessionStatus(buffer, 0, 7, 2, 10, 5, 1, SessionState.ENDED))).isEqualTo(Publication.SENT);
        assertThat(sent).as("the end went nowhere").hasSize(2);
        assertThat(publication.dropped()).as("data batches only").isZero();
    }

    @Test
    void shouldSendTheEndWithoutEnd()
    {
        final DroppingPublication publication = new DroppingPublication(socket, DropSpec.parse("every:2"));
        publication.send(EURUSD, buffer, 0, writer.heartbeat(buffer, 0, 7, 10, 2, true));
        publication.send(CONTROL, buffer, 0, writer.sessionStatus(buffer, 0, 7, 2, 10, 5, 1, SessionState.ENDED));
        assertThat(sent).hasSize(2);
    }
}
