package dev.feedhandler.perf.baseline;

import dev.feedhandler.common.concurrent.IdleStrategies;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.WireFormat;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Baseline: Aeron 1.51.0 with an embedded media driver in the subscriber's process, SHARED threading mode (one
 * driver thread, a backoff idle strategy: the mode fit for a 2-core machine), IPC ({@code aeron:ipc}) or UDP on
 * loopback. One message per update of the feed's quote size carrying timestamps, like {@link RawZmq}.
 * The publisher connects to the subscriber's driver ({@code --aeron-dir}) and waits until it is connected.
 * <pre>
 *   AeronBaseline --role sub --channel aeron:ipc --aeron-dir /dev/shm/x --duration 40s --warmup 3s
 *   AeronBaseline --role pub --channel aeron:ipc --aeron-dir /dev/shm/x --rate 100k --duration 13s
 * </pre>
 */
public final class AeronBaseline
{
    private static final int STREAM_ID = 1001;
    private static final int END = -1;

    private AeronBaseline()
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
        final WallClock clock = WallClock.shared();
        final IdleStrategy idle = IdleStrategies.of(options.string("idle", "backoff"));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.QUOTE_LENGTH]);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(options.string("aeron-dir", "")));
            Publication publication = aeron.addPublication(options.string("channel", "aeron:ipc"), STREAM_ID))
        {
            final long connectDeadline = System.nanoTime() + 30_000_000_000L;
            while (!publication.isConnected())
            {
                if (System.nanoTime() > connectDeadline)
                {
                    throw new IllegalStateException("no Aeron subscriber connected within 30 s");
                }
                Thread.sleep(1);
            }
            final long startNs = System.nanoTime();
            final long[] backPressured = new long[1];
            final long sent = PacedLoop.run(options.rate("rate", "100k"), options.nanos("duration", "10s"), 1, idle,
                (index, intendedNs, nowNs) ->
                {
                    buffer.putLong(8, clock.toEpochNanos(intendedNs));
                    buffer.putInt(16, 1);
                    buffer.putLong(0, clock.nanoTime());
                    if (publication.offer(buffer, 0, buffer.capacity()) < 0)
                    {
                        backPressured[0]++;
                        return 0;
                    }
                    return 1;
                });
            buffer.putInt(16, END);
            while (publication.offer(buffer, 0, buffer.capacity()) < 0)
            {
                Thread.onSpinWait();
            }
            System.out.println("{\"system\":\"aeron\",\"published\":" + sent + ",\"backPressured\":" +
                backPressured[0] + ",\"elapsedSeconds\":" + (System.nanoTime() - startNs) / 1e9 + "}");
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
        final String dir = options.string("aeron-dir", "");
        final boolean[] ended = new boolean[1];
        final FragmentHandler handler = (buffer, offset, length, header) ->
        {
            final int updates = buffer.getInt(offset + 16);
            if (updates == END)
            {
                ended[0] = true;
                return;
            }
            stats.record(clock.nanoTime(), buffer.getLong(offset), buffer.getLong(offset + 8), updates);
        };
        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        try (MediaDriver driver = MediaDriver.launchEmbedded(driverContext);
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            Subscription subscription = aeron.addSubscription(options.string("channel", "aeron:ipc"), STREAM_ID))
        {
            final String ready = options.string("ready-file", null);
            if (ready != null)
            {
                Files.writeString(Path.of(ready), "ready");
            }
            final IdleStrategy idle = IdleStrategies.of(options.string("idle", "backoff"));
            final long deadline = System.nanoTime() + options.nanos("duration", "60s");
            while (!ended[0] && System.nanoTime() < deadline)
            {
                idle.idle(subscription.poll(handler, 256));
            }
        }
        stats.finish("aeron", Map.of());
    }
}
