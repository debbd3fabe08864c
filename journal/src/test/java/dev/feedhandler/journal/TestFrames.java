package dev.feedhandler.journal;

import dev.feedhandler.common.codec.AggressorSide;
import dev.feedhandler.common.codec.SessionState;
import dev.feedhandler.common.wire.BatchWriter;
import dev.feedhandler.common.wire.ControlWriter;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Real frames, as a publisher writes them, for journal tests: random batches on a few topics, heartbeats and
 * session statuses, each with its topic.
 */
final class TestFrames
{
    record Frame(byte[] topic, byte[] payload)
    {
        UnsafeBuffer buffer()
        {
            return new UnsafeBuffer(payload);
        }

        String topicText()
        {
            return new String(topic, StandardCharsets.US_ASCII);
        }
    }

    static final String[] TOPICS = {"EURUSD", "EURGBP", "GBPUSD", "USDJPY"};

    private TestFrames()
    {
    }

    /**
     * A session: an ACTIVE status, {@code batches} random batches with per-topic sequences, a heartbeat per topic,
     * an ENDED status.
     */
    static List<Frame> session(final long seed, final long epoch, final long startNs, final int batches)
    {
        final Random random = new Random(seed);
        final List<Frame> frames = new ArrayList<>();
        final long[] next = new long[TOPICS.length];
        java.util.Arrays.fill(next, 1);
        long now = startNs;
        frames.add(status(epoch, now, SessionState.ACTIVE));
        for (int i = 0; i < batches; i++)
        {
            now += 1_000 + random.nextInt(1_000_000);
            final int t = random.nextInt(TOPICS.length);
            final int count = 1 + random.nextInt(20);
            frames.add(batch(TOPICS[t], epoch, next[t], count, now, random));
            next[t] += count;
        }
        for (int t = 0; t < TOPICS.length; t++)
        {
            now += 1000;
            frames.add(heartbeat(TOPICS[t], epoch, next[t] - 1, now, true));
        }
        frames.add(status(epoch, now + 1000, SessionState.ENDED));
        return frames;
    }

    static Frame batch(final String topic, final long epoch, final long first, final int count, final long sendNs,
        final Random random)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
        final BatchWriter writer = new BatchWriter().wrap(buffer, 0);
        for (int i = 0; i < count; i++)
        {
            if (random.nextInt(10) == 0)
            {
                writer.appendTrade(3, AggressorSide.BUY, 1_000_000_000L + random.nextInt(1000),
                    random.nextInt(1000) + 1, random.nextLong(), sendNs - 100);
            }
            else
            {
                writer.appendQuote(3, 1_000_000_000L + random.nextInt(1000), random.nextInt(100) + 1,
                    1_000_001_000L + random.nextInt(1000), random.nextInt(100) + 1, sendNs - 200);
            }
        }
        final int length = writer.finish(epoch, first, sendNs, false);
        final byte[] payload = new byte[length];
        buffer.getBytes(0, payload);
        return new Frame(topic.getBytes(StandardCharsets.US_ASCII), payload);
    }

    static Frame heartbeat(final String topic, final long epoch, final long last, final long sendNs,
        final boolean end)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.HEARTBEAT_LENGTH]);
        new ControlWriter().heartbeat(buffer, 0, epoch, last, sendNs, end);
        return new Frame(topic.getBytes(StandardCharsets.US_ASCII), buffer.byteArray());
    }

    static Frame status(final long epoch, final long sendNs, final SessionState state)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.SESSION_STATUS_LENGTH]);
        new ControlWriter().sessionStatus(buffer, 0, epoch, sendNs, 0, 0, 4, state);
        return new Frame(WireFormat.CONTROL_TOPIC_BYTES, buffer.byteArray());
    }
}
