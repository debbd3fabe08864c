package dev.feedhandler.perf.baseline;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.WireFormat;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.file.Path;
import java.util.Map;

/**
 * Baseline: raw JeroMQ PUB/SUB with pre-built byte frames that carry only timestamps and a count, no encoding, no
 * ring: {@code --batch N} updates of the feed's quote size per frame ({@code --batch 1} is one frame per update,
 * the latency floor at a given offered rate; a large batch at {@code --rate max} is the throughput ceiling).
 * Frames are reused from a pool of 8192 (safe: JeroMQ holds at most the 1000-message default high-water mark).
 * {@code --block} makes the socket an XPUB that waits instead of dropping (no-drop), for a ceiling without loss.
 * <pre>
 *   frame: [sendEpochNs int64][intendedEpochNs int64][updates int32][padding to batch * 56 bytes]
 * </pre>
 */
public final class RawZmq
{
    private static final int POOL = 8192;
    private static final int END = -1;

    private RawZmq()
    {
    }

    /**
     * Runs the publisher or the subscriber.
     *
     * @param args {@code --role pub|sub --endpoint EP --rate R --batch N --duration D --warmup D --hgrm F}.
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
        final int batch = options.integer("batch", 1);
        final byte[][] frames = new byte[POOL][batch * WireFormat.QUOTE_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(frames[0]);
        final WallClock clock = WallClock.shared();
        final IdleStrategy idle = IdleStrategies.of(options.string("idle", "backoff"));
        try (ZContext context = new ZContext())
        {
            final boolean block = Boolean.parseBoolean(options.string("block", "false"));
            final ZMQ.Socket socket = context.createSocket(block ? SocketType.XPUB : SocketType.PUB);
            socket.setXpubNoDrop(block);
            socket.bind(options.string("endpoint", "tcp://127.0.0.1:5601"));
            Thread.sleep(options.nanos("start-delay", "1s") / 1_000_000);

            final long startNs = System.nanoTime();
            final long[] frameIndex = new long[1];
            final long[] blocked = new long[1];
            final long sent = PacedLoop.run(options.rate("rate", "100k"), options.nanos("duration", "10s"), batch,
                idle, (index, intendedNs, nowNs) ->
                {
                    buffer.wrap(frames[(int)(frameIndex[0]++ % POOL)]);
                    buffer.putLong(8, clock.toEpochNanos(intendedNs));
                    buffer.putInt(16, batch);
                    buffer.putLong(0, clock.nanoTime());
                    if (block)
                    {
                        while (!socket.send(buffer.byteArray(), ZMQ.DONTWAIT))
                        {
                            blocked[0]++;
                            socket.recv(ZMQ.DONTWAIT);
                            idle.idle(0);
                        }
                    }
                    else
                    {
                        socket.send(buffer.byteArray(), 0);
                    }
                    return batch;
                });
            final byte[] end = new byte[WireFormat.QUOTE_LENGTH];
            new UnsafeBuffer(end).putInt(16, END);
            for (int i = 0; i < 5; i++)
            {
                socket.send(end, 0);
                Thread.sleep(50);
            }
            System.out.println("{\"system\":\"raw-jeromq\",\"published\":" + sent + ",\"blocked\":" + blocked[0] +
                ",\"elapsedSeconds\":" + (System.nanoTime() - startNs) / 1e9 + "}");
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
        final byte[] scratch = new byte[24];
        final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
        try (ZContext context = new ZContext())
        {
            final ZMQ.Socket socket = context.createSocket(SocketType.SUB);
            socket.connect(options.string("endpoint", "tcp://127.0.0.1:5601"));
            socket.subscribe(ZMQ.SUBSCRIPTION_ALL);
            socket.setReceiveTimeOut(100);
            final long deadline = System.nanoTime() + options.nanos("duration", "60s");
            while (System.nanoTime() < deadline)
            {
                // recv into a fixed array: JeroMQ still allocates the frame it received.
                final int size = socket.recv(scratch, 0, scratch.length, 0);
                if (size < 0)
                {
                    continue;
                }
                final int updates = buffer.getInt(16);
                if (updates == END)
                {
                    break;
                }
                stats.record(clock.nanoTime(), buffer.getLong(0), buffer.getLong(8), updates);
            }
        }
        stats.finish("raw-jeromq", Map.of());
    }
}
