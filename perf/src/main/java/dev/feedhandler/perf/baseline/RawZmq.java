package dev.feedhandler.perf.baseline;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.publisher.source.ReferenceInstruments;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.msg.MsgAllocatorDirect;
import zmq.msg.MsgAllocatorHeap;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Baseline: raw JeroMQ PUB/SUB with pre-built byte frames that carry only timestamps and a count, no encoding, no
 * ring. Two ways to publish:
 * <ul>
 *   <li>{@code --instruments 0} (the default): one frame of {@code --batch N} updates of the feed's quote size per
 *   send, paced by an idle strategy ({@code --batch 1} is one frame per update, the latency floor at a given offered
 *   rate; a large batch at {@code --rate max} is the throughput ceiling);</li>
 *   <li>{@code --instruments N}: the libzmq C publisher's way ({@code perf/src/main/c/zmq_pub.c}): sleep while ahead
 *   of schedule, then send per topic all the updates due, as {@code [topic][payload]} messages of at most
 *   {@code --batch} updates; a JeroMQ end and a libzmq end can then be paired.</li>
 * </ul>
 * Frames are reused from a pool larger than the high-water mark (JeroMQ keeps a reference until it has written the
 * frame). {@code --block} makes the socket an XPUB that waits instead of dropping (no-drop), for a ceiling without
 * loss. The subscriber receives with a blocking {@code recv} ({@code --recv blocking}), a poller and non-blocking
 * receives ({@code poller}), or non-blocking receives and an idle strategy ({@code dontwait}, {@code --idle}). Socket
 * options as libzmq names them: {@code --sndhwm --rcvhwm --sndbuf --rcvbuf --io-threads --heartbeat-ms}, and the
 * receive allocator {@code --allocator heap|direct|default}.
 * <pre>
 *   payload: [sendEpochNs int64][intendedEpochNs int64][updates int32][padding to updates * quote length]
 * </pre>
 */
public final class RawZmq
{
    private static final int POOL = 8192;
    private static final int END = -1;
    private static final int RECEIVE_TIMEOUT_MS = 100;
    private static final int HEADER = 20;

    private RawZmq()
    {
    }

    /**
     * Runs the publisher or the subscriber.
     *
     * @param args {@code --role pub|sub --endpoint EP --rate R --batch N --instruments N --duration D --warmup D
     *             --hgrm F} and the socket options of the class comment.
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

    private static ZContext context(final BaselineArgs options)
    {
        return new ZContext(options.integer("io-threads", 1));
    }

    private static void configure(final ZMQ.Socket socket, final BaselineArgs options)
    {
        if (options.string("sndhwm", null) != null)
        {
            socket.setSndHWM(options.integer("sndhwm", 0));
        }
        if (options.string("rcvhwm", null) != null)
        {
            socket.setRcvHWM(options.integer("rcvhwm", 0));
        }
        if (options.string("sndbuf", null) != null)
        {
            socket.setSendBufferSize(options.integer("sndbuf", 0));
        }
        if (options.string("rcvbuf", null) != null)
        {
            socket.setReceiveBufferSize(options.integer("rcvbuf", 0));
        }
        if (options.string("heartbeat-ms", null) != null)
        {
            socket.setHeartbeatIvl(options.integer("heartbeat-ms", 0));
            socket.setHeartbeatTimeout(3 * options.integer("heartbeat-ms", 0));
        }
        switch (options.string("allocator", "default").toLowerCase(Locale.ROOT))
        {
            case "heap":
                socket.setMsgAllocator(new MsgAllocatorHeap());
                break;
            case "direct":
                socket.setMsgAllocator(new MsgAllocatorDirect());
                break;
            case "default":
                break;
            default:
                throw new IllegalArgumentException("unknown --allocator " + options.string("allocator", "") +
                    " (use heap, direct or default)");
        }
    }

    private static void publish(final BaselineArgs options) throws Exception
    {
        final int batch = options.integer("batch", 1);
        final int instruments = options.integer("instruments", 0);
        final int pool = Math.max(POOL, 2 * options.integer("sndhwm", 0));
        final byte[][] frames = new byte[pool][batch * WireFormat.QUOTE_LENGTH];
        final WallClock clock = WallClock.shared();
        try (ZContext context = context(options))
        {
            final boolean block = Boolean.parseBoolean(options.string("block", "false"));
            final ZMQ.Socket socket = context.createSocket(block ? SocketType.XPUB : SocketType.PUB);
            socket.setXpubNoDrop(block);
            configure(socket, options);
            socket.bind(options.string("endpoint", "tcp://127.0.0.1:5601"));
            Thread.sleep(options.nanos("start-delay", "1s") / 1_000_000);

            final long startNs = System.nanoTime();
            final long[] blocked = new long[1];
            final long sent;
            final long messages;
            if (instruments > 0)
            {
                final long[] counts = publishByTopic(options, socket, frames, clock, instruments, batch);
                sent = counts[0];
                messages = counts[1];
            }
            else
            {
                sent = publishFrames(options, socket, frames, clock, batch, block, blocked);
                messages = sent / batch;
            }
            final byte[] end = new byte[WireFormat.QUOTE_LENGTH];
            new UnsafeBuffer(end).putInt(16, END);
            final byte[] endTopic = instruments > 0 ? topics(1)[0] : null;
            for (int i = 0; i < 5; i++)
            {
                if (endTopic != null)
                {
                    socket.sendMore(endTopic);
                }
                socket.send(end, 0);
                Thread.sleep(50);
            }
            System.out.println("{\"system\":\"raw-jeromq\",\"published\":" + sent + ",\"messages\":" + messages +
                ",\"blocked\":" + blocked[0] + ",\"elapsedSeconds\":" + (System.nanoTime() - startNs) / 1e9 + "}");
        }
    }

    private static long publishFrames(final BaselineArgs options, final ZMQ.Socket socket, final byte[][] frames,
        final WallClock clock, final int batch, final boolean block, final long[] blocked)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frames[0]);
        final IdleStrategy idle = IdleStrategies.of(options.string("idle", "backoff"));
        final long[] frameIndex = new long[1];
        return PacedLoop.run(options.rate("rate", "100k"), options.nanos("duration", "10s"), batch,
            idle, (index, intendedNs, nowNs) ->
            {
                buffer.wrap(frames[(int)(frameIndex[0]++ % frames.length)]);
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
    }

    /**
     * The libzmq C publisher's loop: sleep until the next update is due, then per topic one message (or more, of at
     * most {@code batch} updates) with all of that topic's updates due by now. Returns {updates, messages}.
     */
    private static long[] publishByTopic(final BaselineArgs options, final ZMQ.Socket socket, final byte[][] frames,
        final WallClock clock, final int instruments, final int batch)
    {
        final byte[][] topics = topics(instruments);
        final UnsafeBuffer buffer = new UnsafeBuffer(frames[0]);
        final long rate = options.rate("rate", "100k");
        final long durationNs = options.nanos("duration", "10s");
        final double nsPerUpdate = 1e9 / rate;
        final long startNs = System.nanoTime();
        long frameIndex = 0;
        long sent = 0;
        long messages = 0;
        long nowNs = startNs;
        while (nowNs - startNs < durationNs)
        {
            final long due = 1 + (long)((nowNs - startNs) / nsPerUpdate);
            if (due <= sent)
            {
                LockSupport.parkNanos(startNs + (long)(sent * nsPerUpdate) - nowNs);
                nowNs = System.nanoTime();
                continue;
            }
            final int perRound = (int)Math.min(instruments, due - sent);
            for (int t = 0; t < perRound; t++)
            {
                long first = sent + t;
                long left = (due - first + instruments - 1) / instruments;
                while (left > 0)
                {
                    final int count = (int)Math.min(left, batch);
                    final byte[] frame = frames[(int)(frameIndex++ % frames.length)];
                    buffer.wrap(frame, 0, count * WireFormat.QUOTE_LENGTH);
                    buffer.putLong(8, clock.toEpochNanos(startNs + (long)(first * nsPerUpdate)));
                    buffer.putInt(16, count);
                    buffer.putLong(0, clock.nanoTime());
                    socket.sendMore(topics[(int)(first % instruments)]);
                    socket.send(frame, 0, count * WireFormat.QUOTE_LENGTH, 0);
                    messages++;
                    first += (long)count * instruments;
                    left -= count;
                }
            }
            sent = due;
            nowNs = System.nanoTime();
        }
        PacedLoop.endOfSending(sent);
        return new long[] {sent, messages};
    }

    private static byte[][] topics(final int instruments)
    {
        final List<ReferenceInstruments.Spec> specs = ReferenceInstruments.first(instruments);
        final byte[][] topics = new byte[specs.size()][];
        for (int i = 0; i < topics.length; i++)
        {
            topics[i] = specs.get(i).symbol().getBytes(StandardCharsets.US_ASCII);
        }
        return topics;
    }

    private static void subscribe(final BaselineArgs options) throws Exception
    {
        final WallClock clock = WallClock.shared();
        final String hgrm = options.string("hgrm", null);
        final String hlog = options.string("hlog", null);
        final BaselineStats stats = new BaselineStats(options.nanos("warmup", "0s"),
            hgrm == null ? null : Path.of(hgrm), hlog == null ? null : Path.of(hlog));
        Thread.currentThread().setName("receiver");
        final byte[] scratch = new byte[HEADER];
        final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
        final String mode = options.string("recv", "blocking");
        final IdleStrategy idle = IdleStrategies.of(options.string("idle", "backoff"));
        if (!List.of("blocking", "poller", "dontwait").contains(mode))
        {
            throw new IllegalArgumentException("unknown --recv " + mode + " (use blocking, poller or dontwait)");
        }
        try (ZContext context = context(options))
        {
            final ZMQ.Socket socket = context.createSocket(SocketType.SUB);
            configure(socket, options);
            socket.connect(options.string("endpoint", "tcp://127.0.0.1:5601"));
            socket.subscribe(ZMQ.SUBSCRIPTION_ALL);
            socket.setReceiveTimeOut(RECEIVE_TIMEOUT_MS);
            final ZMQ.Poller poller = "poller".equals(mode) ? context.createPoller(1) : null;
            if (poller != null)
            {
                poller.register(socket, ZMQ.Poller.POLLIN);
            }
            final int flags = "blocking".equals(mode) ? 0 : ZMQ.DONTWAIT;
            final long deadline = System.nanoTime() + options.nanos("duration", "60s");
            while (System.nanoTime() < deadline)
            {
                if (poller != null && poller.poll(RECEIVE_TIMEOUT_MS) <= 0)
                {
                    continue;
                }
                boolean end = false;
                int work = 0;
                // Everything queued (one message with a blocking recv): recv into a fixed array, JeroMQ still
                // allocates the frame it received.
                while (true)
                {
                    int size = socket.recv(scratch, 0, scratch.length, flags);
                    if (size < 0)
                    {
                        break;
                    }
                    while (socket.hasReceiveMore())
                    {
                        size = socket.recv(scratch, 0, scratch.length, 0);
                    }
                    work++;
                    final int updates = size < HEADER ? 0 : buffer.getInt(16);
                    if (updates == END)
                    {
                        end = true;
                        break;
                    }
                    stats.record(clock.nanoTime(), buffer.getLong(0), buffer.getLong(8), updates);
                    if (flags == 0)
                    {
                        break;
                    }
                }
                if (end)
                {
                    break;
                }
                if (poller == null && flags != 0)
                {
                    idle.idle(work);
                }
            }
            if (poller != null)
            {
                poller.close();
            }
        }
        stats.finish("raw-jeromq", Map.of());
    }
}
