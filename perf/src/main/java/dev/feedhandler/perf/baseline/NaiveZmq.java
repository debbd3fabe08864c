package dev.feedhandler.perf.baseline;

import dev.feedhandler.common.codec.MessageHeaderDecoder;
import dev.feedhandler.common.codec.MessageHeaderEncoder;
import dev.feedhandler.common.codec.QuoteDecoder;
import dev.feedhandler.common.codec.QuoteEncoder;
import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.ReferenceInstruments;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Baseline: JeroMQ PUB/SUB as the ZeroMQ guide's weather-update example writes it. One {@code send} per update of
 * a new byte array ({@code "SYMBOL " + SBE quote + 8-byte send time}), default high-water marks (1000), a sleep to
 * let the subscriber join, a {@code recv()} per update on the other side. Same payload as the feed's quotes.
 * <pre>
 *   NaiveZmq --role pub --endpoint tcp://127.0.0.1:5601 --rate 100k --duration 13s --instruments 10
 *   NaiveZmq --role sub --endpoint tcp://127.0.0.1:5601 --duration 40s --warmup 3s --hgrm naive.hgrm
 * </pre>
 */
public final class NaiveZmq
{
    private static final byte[] END = "END".getBytes(StandardCharsets.US_ASCII);

    private NaiveZmq()
    {
    }

    /**
     * Runs the publisher or the subscriber.
     *
     * @param args see the class comment.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final BaselineArgs options = new BaselineArgs(args);
        if ("pub".equals(options.string("role", "")))
        {
            publish(options);
        }
        else
        {
            subscribe(options);
        }
    }

    private static void publish(final BaselineArgs options) throws Exception
    {
        final List<ReferenceInstruments.Spec> specs = ReferenceInstruments.first(options.integer("instruments", 10));
        final byte[][] topics = new byte[specs.size()][];
        for (int i = 0; i < topics.length; i++)
        {
            topics[i] = (specs.get(i).symbol() + " ").getBytes(StandardCharsets.US_ASCII);
        }
        final WallClock clock = WallClock.shared();
        final IdleStrategy idle = IdleStrategies.of(options.string("idle", "backoff"));
        try (ZContext context = new ZContext())
        {
            final ZMQ.Socket socket = context.createSocket(SocketType.PUB);
            socket.bind(options.string("endpoint", "tcp://127.0.0.1:5601"));
            Thread.sleep(options.nanos("start-delay", "1s") / 1_000_000);

            final long startNs = System.nanoTime();
            final long sent = PacedLoop.run(options.rate("rate", "100k"), options.nanos("duration", "10s"), 1, idle,
                (index, intendedNs, nowNs) ->
                {
                    // As the tutorials write it: a new array and a new encoder for every update.
                    final byte[] topic = topics[(int)(index % topics.length)];
                    final byte[] frame = new byte[topic.length + WireFormat.QUOTE_LENGTH + 8];
                    System.arraycopy(topic, 0, frame, 0, topic.length);
                    final UnsafeBuffer buffer = new UnsafeBuffer(frame);
                    new QuoteEncoder().wrapAndApplyHeader(buffer, topic.length, new MessageHeaderEncoder())
                        .instrumentId((int)(index % topics.length))
                        .bidSize(1_000_000).askSize(1_000_000)
                        .sourceTimestampNs(clock.toEpochNanos(intendedNs))
                        .bidPrice().mantissa(1_085_000_000L);
                    buffer.putLong(topic.length + WireFormat.QUOTE_LENGTH, clock.nanoTime());
                    socket.send(frame, 0);
                    return 1;
                });
            for (int i = 0; i < 5; i++)
            {
                socket.send(END, 0);
                Thread.sleep(50);
            }
            System.out.println("{\"system\":\"naive-jeromq\",\"published\":" + sent + ",\"elapsedSeconds\":" +
                (System.nanoTime() - startNs) / 1e9 + "}");
        }
    }

    private static void subscribe(final BaselineArgs options) throws Exception
    {
        final WallClock clock = WallClock.shared();
        final String hgrm = options.string("hgrm", null);
        final String hlog = options.string("hlog", null);
        final BaselineStats stats = new BaselineStats(options.nanos("warmup", "0s"),
            hgrm == null ? null : Path.of(hgrm), hlog == null ? null : Path.of(hlog));
        Thread.currentThread().setName("receiver");
        try (ZContext context = new ZContext())
        {
            final ZMQ.Socket socket = context.createSocket(SocketType.SUB);
            socket.connect(options.string("endpoint", "tcp://127.0.0.1:5601"));
            socket.subscribe(ZMQ.SUBSCRIPTION_ALL);
            socket.setReceiveTimeOut(100);
            final long deadline = System.nanoTime() + options.nanos("duration", "60s");
            final QuoteDecoder quote = new QuoteDecoder();
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            while (System.nanoTime() < deadline)
            {
                final byte[] frame = socket.recv(0);
                if (frame == null)
                {
                    continue;
                }
                if (frame.length == END.length && frame[0] == 'E' && frame[1] == 'N' && frame[2] == 'D')
                {
                    break;
                }
                int space = 0;
                while (frame[space] != ' ')
                {
                    space++;
                }
                buffer.wrap(frame);
                quote.wrapAndApplyHeader(buffer, space + 1, header);
                final long sendNs = buffer.getLong(space + 1 + WireFormat.QUOTE_LENGTH);
                stats.record(clock.nanoTime(), sendNs, quote.sourceTimestampNs(), 1);
            }
        }
        stats.finish("naive-jeromq", Map.of());
    }
}
