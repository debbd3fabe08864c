package dev.feedhandler.publisher.conflate;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.FrameKind;
import dev.feedhandler.common.wire.FrameReader;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.batch.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's conflation rules with explicit time: frames in by hand, what the feed and the conflated stream get
 * recorded as lines. An update's bid is its sequence number, so the quote a message carries shows in its line.
 */
class ConflatingPublicationTest
{
    private static final long EPOCH = 7;
    private static final long INTERVAL_NS = 100_000_000L;
    private static final long T0 = 1_000_000_000L;
    private static final byte[] EURUSD = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USDJPY = "USDJPY".getBytes(StandardCharsets.US_ASCII);

    private final Recorder feed = new Recorder();
    private final Recorder stream = new Recorder();
    private final ConflatingPublication conflating = new ConflatingPublication(feed, stream, INTERVAL_NS, () -> 42L);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final BatchWriter writer = new BatchWriter();
    private long eurusdNext = 1;
    private long usdjpyNext = 1;

    @Test
    void shouldSendEachChangedTopicOncePerIntervalWithItsNewestQuoteAndItsTradesCounted()
    {
        conflating.flushDue(T0);
        batch(EURUSD, "QQTQ");
        batch(USDJPY, "Q");
        batch(EURUSD, "TQ");

        assertThat(conflating.flushDue(T0 + INTERVAL_NS / 2)).isZero();
        assertThat(stream.lines).isEmpty();
        batch(EURUSD, "QT");

        assertThat(conflating.flushDue(T0 + INTERVAL_NS)).isEqualTo(2);
        assertThat(stream.lines).containsExactly("EURUSD conflated 1..8 quote 7 quotes 5 trades 3",
            "USDJPY conflated 1..1 quote 1 quotes 1 trades 0");
        assertThat(feed.lines).containsExactly("EURUSD batch 1+4", "USDJPY batch 1+1", "EURUSD batch 5+2",
            "EURUSD batch 7+2");
        assertThat(conflating.messagesSent()).isEqualTo(2);
        assertThat(conflating.updatesCovered()).isEqualTo(9);
        assertThat(conflating.tradesCounted()).isEqualTo(3);
    }

    @Test
    void shouldFoldAFrameTheFeedRefusedOnceWhenItIsTakenAtLast()
    {
        conflating.flushDue(T0);
        feed.refusals = 2;
        batch(EURUSD, "QT");

        assertThat(conflating.flushDue(T0 + INTERVAL_NS)).isEqualTo(1);
        assertThat(feed.lines).containsExactly("EURUSD batch 1+2");
        assertThat(stream.lines).containsExactly("EURUSD conflated 1..2 quote 1 quotes 1 trades 1");
        assertThat(conflating.updatesCovered()).isEqualTo(2);
    }

    @Test
    void shouldCoverATopicsSequenceNumbersBackToBackAndSendNothingForAQuietOne()
    {
        conflating.flushDue(T0);
        batch(EURUSD, "QQ");
        batch(USDJPY, "Q");
        conflating.flushDue(T0 + INTERVAL_NS);
        batch(EURUSD, "TT");
        conflating.flushDue(T0 + 2 * INTERVAL_NS);
        batch(EURUSD, "Q");
        conflating.flushDue(T0 + 3 * INTERVAL_NS);

        assertThat(stream.lines).containsExactly("EURUSD conflated 1..2 quote 2 quotes 2 trades 0",
            "USDJPY conflated 1..1 quote 1 quotes 1 trades 0", "EURUSD conflated 3..4 no quote trades 2",
            "EURUSD conflated 5..5 quote 5 quotes 1 trades 0");
    }

    @Test
    void shouldWaitAWholeIntervalFromALateSend()
    {
        conflating.flushDue(T0);
        batch(EURUSD, "Q");
        conflating.flushDue(T0 + INTERVAL_NS + INTERVAL_NS / 2);
        batch(EURUSD, "Q");

        assertThat(conflating.flushDue(T0 + 2 * INTERVAL_NS)).isZero();
        assertThat(conflating.flushDue(T0 + 2 * INTERVAL_NS + INTERVAL_NS / 2)).isEqualTo(1);
        assertThat(stream.lines).hasSize(2);
    }

    @Test
    void shouldGiveAHeartbeatTheLastSequenceTheStreamCoveredAndSendTheRestAtTheEnd()
    {
        conflating.flushDue(T0);
        batch(EURUSD, "QQ");
        conflating.flushDue(T0 + INTERVAL_NS);
        batch(EURUSD, "QT");
        heartbeat(EURUSD, 4, false);
        heartbeat(USDJPY, 0, false);
        heartbeat(EURUSD, 4, true);
        status(SessionState.ENDED);

        assertThat(stream.lines).containsExactly("EURUSD conflated 1..2 quote 2 quotes 2 trades 0",
            "EURUSD heartbeat last 2", "USDJPY heartbeat last 0", "EURUSD conflated 3..4 quote 3 quotes 1 trades 1",
            "EURUSD heartbeat last 4 end", "\\0ctl status ENDED");
        assertThat(feed.lines).containsExactly("EURUSD batch 1+2", "EURUSD batch 3+2", "EURUSD heartbeat last 4",
            "USDJPY heartbeat last 0", "EURUSD heartbeat last 4 end", "\\0ctl status ENDED");
        assertThat(conflating.flushDue(T0 + 3 * INTERVAL_NS)).isZero();
    }

    private void batch(final byte[] topic, final String kinds)
    {
        final boolean eurusd = topic == EURUSD;
        final long first = eurusd ? eurusdNext : usdjpyNext;
        writer.wrap(buffer, 0);
        long sequence = first;
        for (final char kind : kinds.toCharArray())
        {
            if (kind == 'Q')
            {
                writer.appendQuote(1, sequence, 1, sequence + 1, 1, sequence);
            }
            else
            {
                writer.appendTrade(1, AggressorSide.BUY, sequence, 1, sequence, sequence);
            }
            sequence++;
        }
        final int length = writer.finish(EPOCH, first, 0, false);
        if (eurusd)
        {
            eurusdNext = sequence;
        }
        else
        {
            usdjpyNext = sequence;
        }
        // The publisher's duty cycle offers a refused frame again until the feed takes it.
        while (conflating.send(topic, buffer, 0, length) == Publication.BACK_PRESSURED)
        {
            assertThat(feed.refusals).isNotNegative();
        }
    }

    private void heartbeat(final byte[] topic, final long last, final boolean end)
    {
        final int length = new ControlWriter().heartbeat(buffer, 0, EPOCH, last, 0, end);
        conflating.send(topic, buffer, 0, length);
    }

    private void status(final SessionState state)
    {
        final int length = new ControlWriter().sessionStatus(buffer, 0, EPOCH, 0, 10, 5, 2, state);
        conflating.send(WireFormat.CONTROL_TOPIC_BYTES, buffer, 0, length);
    }

    /** Every frame sent, as a line. */
    private static final class Recorder implements Publication
    {
        final List<String> lines = new ArrayList<>();
        private final FrameReader reader = new FrameReader();
        int refusals;

        @Override
        public int send(final byte[] topic, final DirectBuffer payload, final int offset, final int length)
        {
            if (refusals > 0)
            {
                refusals--;
                return BACK_PRESSURED;
            }
            final String name = new String(topic, StandardCharsets.US_ASCII).replace("\0", "\\0");
            final FrameKind kind = reader.read(payload, offset, length);
            switch (kind)
            {
                case BATCH:
                    lines.add(name + " batch " + reader.batchHeader().firstSequence() + "+" +
                        reader.batchHeader().updateCount());
                    break;
                case HEARTBEAT:
                    lines.add(name + " heartbeat last " + reader.heartbeat().lastSequence() +
                        (reader.heartbeat().flags().endOfSession() ? " end" : ""));
                    break;
                case SESSION_STATUS:
                    lines.add(name + " status " + reader.sessionStatus().state());
                    break;
                case CONFLATED:
                    lines.add(name + " conflated " + reader.conflated().fromSequence() + ".." +
                        reader.conflated().toSequence() + (reader.conflatedQuoteOffset() < 0 ? " no quote" :
                        " quote " + reader.conflatedQuote().bidPrice().mantissa() + " quotes " +
                        reader.conflated().quotes()) + " trades " + reader.conflated().trades());
                    break;
                default:
                    lines.add(name + " invalid " + reader.error());
                    break;
            }
            return SENT;
        }
    }
}
