package dev.feedhandler.perf.shm;

import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.shm.ShmLogReader;
import dev.feedhandler.common.shm.ShmLogWriter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;
import org.agrona.concurrent.broadcast.CopyBroadcastReceiver;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Which structure carries the feed through shared memory (docs/shared-memory.md): an Agrona broadcast buffer over a
 * mapped file, a Chronicle Queue that readers tail, or the feed's own log ({@link ShmLogWriter}). The same frames go
 * through each, a writer thread and a reader thread over a file in {@code /dev/shm}, candidates interleaved round by
 * round: flat out with 96-byte frames (one quote with its batch header) and with 4 KiB frames (a batch of about 70
 * updates), the one-way latency at 100k frames/s with a spinning reader, and the writer's cost with no reader. The
 * reader and, in the latency run, the paced writer spin: this is a benchmark.
 * <pre>
 *   java ... dev.feedhandler.perf.shm.ShmStructures [--rounds 3] [--frames 3000000] [--dir /dev/shm]
 * </pre>
 */
public final class ShmStructures
{
    private static final byte[] TOPIC = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final int CAPACITY = 64 << 20;
    private static final int SMALL = 96;
    private static final int LARGE = 4096;
    private static final int LATENCY_RATE = 100_000;
    private static final int LATENCY_SECONDS = 3;
    private static final int LATENCY_WARMUP_SECONDS = 1;

    private ShmStructures()
    {
    }

    /** One candidate: a writer and a reader over a file. */
    interface Candidate
    {
        String name();

        Channel open(Path directory) throws IOException;
    }

    /** A writer and one reader of one file. */
    interface Channel extends AutoCloseable
    {
        void write(DirectBuffer payload, int length);

        /** Reads what is there; the handler gets each payload's first long. Returns frames read. */
        int read(LongConsumer handler);

        @Override
        void close() throws IOException;
    }

    /** A primitive consumer (no boxing). */
    interface LongConsumer
    {
        void accept(long value);
    }

    /**
     * Runs the comparison.
     *
     * @param args see the class comment.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        int rounds = 3;
        long frames = 3_000_000;
        Path directory = Path.of("/dev/shm");
        for (int i = 0; i < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--frames" -> frames = Long.parseLong(args[i + 1]);
                case "--dir" -> directory = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.setProperty("chronicle.analytics.disable", "true");
        final List<Candidate> candidates = List.of(new OwnLog(), new AgronaBroadcast(), new ChronicleTailed());
        final Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++)
        {
            for (final Candidate candidate : candidates)
            {
                final Map<String, List<Double>> mine = results.computeIfAbsent(candidate.name(),
                    n -> new LinkedHashMap<>());
                final Path dir = Files.createTempDirectory(directory, "shm-structures-");
                try
                {
                    measure(candidate, dir, frames, mine, round);
                }
                finally
                {
                    delete(dir);
                }
            }
        }
        print(results, frames, rounds);
    }

    private static void measure(final Candidate candidate, final Path dir, final long frames,
        final Map<String, List<Double>> into, final int round) throws Exception
    {
        final double[] small = throughput(candidate, dir.resolve("small"), SMALL, frames);
        add(into, "small M frames/s", small[0] / 1e6);
        add(into, "small lost %", small[1]);
        final double[] large = throughput(candidate, dir.resolve("large"), LARGE, frames / 20);
        add(into, "4KiB M frames/s", large[0] / 1e6);
        add(into, "4KiB GB/s", large[0] * LARGE / 1e9);
        add(into, "4KiB lost %", large[1]);
        final Histogram latency = latency(candidate, dir.resolve("latency"));
        add(into, "p50 us", latency.getValueAtPercentile(50) / 1000.0);
        add(into, "p99 us", latency.getValueAtPercentile(99) / 1000.0);
        add(into, "p99.9 us", latency.getValueAtPercentile(99.9) / 1000.0);
        add(into, "max us", latency.getMaxValue() / 1000.0);
        add(into, "writer alone ns/frame", writerAlone(candidate, dir.resolve("alone"), frames));
        System.out.printf("round %d %-18s small %.2f M/s (lost %.1f%%), 4KiB %.3f M/s (lost %.1f%%), p50 %.2f us " +
            "p99 %.2f us, writer alone %.0f ns%n", round, candidate.name(), small[0] / 1e6, small[1],
            large[0] / 1e6, large[1], latency.getValueAtPercentile(50) / 1000.0,
            latency.getValueAtPercentile(99) / 1000.0, last(into, "writer alone ns/frame"));
    }

    /** Flat out: frames/s the reader got, and the share of the frames it lost (laps). */
    private static double[] throughput(final Candidate candidate, final Path dir, final int size, final long frames)
        throws Exception
    {
        Files.createDirectories(dir);
        try (Channel channel = candidate.open(dir))
        {
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicLong received = new AtomicLong();
            final Thread reader = new Thread(() ->
            {
                long count = 0;
                final LongConsumer handler = value -> { };
                while (true)
                {
                    // Whether the writer had finished before this read: then an empty read means all was read.
                    final boolean finished = done.get();
                    final int read = channel.read(handler);
                    count += read;
                    if (read == 0 && finished)
                    {
                        break;
                    }
                }
                received.set(count);
            }, "reader");
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[size]);
            reader.start();
            final long start = System.nanoTime();
            for (long i = 0; i < frames; i++)
            {
                payload.putLong(0, i);
                channel.write(payload, size);
            }
            done.set(true);
            reader.join();
            final long elapsed = System.nanoTime() - start;
            final long got = received.get();
            return new double[] {got * 1e9 / elapsed, 100.0 * (frames - got) / frames};
        }
    }

    /** One-way latency at a paced rate, the reader spinning. */
    private static Histogram latency(final Candidate candidate, final Path dir) throws Exception
    {
        Files.createDirectories(dir);
        final Histogram histogram = new Histogram(10_000_000_000L, 3);
        try (Channel channel = candidate.open(dir))
        {
            final AtomicBoolean done = new AtomicBoolean();
            final long measureFrom = System.nanoTime() + LATENCY_WARMUP_SECONDS * 1_000_000_000L;
            final Thread reader = new Thread(() ->
            {
                final LongConsumer handler = sent ->
                {
                    final long now = System.nanoTime();
                    if (sent >= measureFrom)
                    {
                        histogram.recordValue(Math.max(0, now - sent));
                    }
                };
                while (!done.get())
                {
                    channel.read(handler);
                }
            }, "reader");
            reader.start();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[SMALL]);
            final long intervalNs = 1_000_000_000L / LATENCY_RATE;
            final long end = measureFrom + LATENCY_SECONDS * 1_000_000_000L;
            long next = System.nanoTime();
            while (next < end)
            {
                while (System.nanoTime() < next)
                {
                    Thread.onSpinWait();
                }
                payload.putLong(0, System.nanoTime());
                channel.write(payload, SMALL);
                next += intervalNs;
            }
            Thread.sleep(10);
            done.set(true);
            reader.join();
        }
        return histogram;
    }

    private static double writerAlone(final Candidate candidate, final Path dir, final long frames) throws Exception
    {
        Files.createDirectories(dir);
        try (Channel channel = candidate.open(dir))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[SMALL]);
            final long start = System.nanoTime();
            for (long i = 0; i < frames; i++)
            {
                payload.putLong(0, i);
                channel.write(payload, SMALL);
            }
            return (System.nanoTime() - start) / (double)frames;
        }
    }

    /** The feed's log. */
    static final class OwnLog implements Candidate
    {
        @Override
        public String name()
        {
            return "feed log";
        }

        @Override
        public Channel open(final Path directory)
        {
            final ShmLogWriter writer = ShmLogWriter.create(new ShmLocation("log", directory), CAPACITY, LARGE, null,
                1);
            final ShmLogReader reader = ShmLogReader.open(writer.path(), List.of(), true);
            return new Channel()
            {
                private LongConsumer current;
                private final dev.feedhandler.common.shm.ShmFrameHandler frames =
                    (buffer, topicOffset, topicLength, payloadOffset, payloadLength) ->
                        current.accept(buffer.getLong(payloadOffset));

                @Override
                public void write(final DirectBuffer payload, final int length)
                {
                    writer.write(TOPIC, payload, 0, length);
                }

                @Override
                public int read(final LongConsumer handler)
                {
                    current = handler;
                    final long before = reader.frames();
                    reader.poll(frames, 256);
                    return (int)(reader.frames() - before);
                }

                @Override
                public void close()
                {
                    reader.close();
                    writer.close();
                }
            };
        }
    }

    /** Agrona's broadcast buffer over a mapped file: [topic length][topic][payload] as one message. */
    static final class AgronaBroadcast implements Candidate
    {
        @Override
        public String name()
        {
            return "agrona broadcast";
        }

        @Override
        public Channel open(final Path directory) throws IOException
        {
            final Path file = directory.resolve("broadcast");
            final MappedByteBuffer mapped;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE))
            {
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0,
                    CAPACITY + BroadcastBufferDescriptor.TRAILER_LENGTH);
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
            for (int i = 0; i < buffer.capacity(); i += 4096)
            {
                buffer.putLong(i, 0);
            }
            final BroadcastTransmitter transmitter = new BroadcastTransmitter(buffer);
            final CopyBroadcastReceiver receiver = new CopyBroadcastReceiver(new BroadcastReceiver(buffer),
                new UnsafeBuffer(new byte[LARGE + 128]));
            final UnsafeBuffer message = new UnsafeBuffer(new byte[LARGE + 128]);
            return new Channel()
            {
                private LongConsumer current;
                private final org.agrona.concurrent.MessageHandler handler = (type, data, index, length) ->
                    current.accept(data.getLong(index + 1 + data.getByte(index)));

                @Override
                public void write(final DirectBuffer payload, final int length)
                {
                    message.putByte(0, (byte)TOPIC.length);
                    message.putBytes(1, TOPIC);
                    message.putBytes(1 + TOPIC.length, payload, 0, length);
                    transmitter.transmit(1, message, 0, 1 + TOPIC.length + length);
                }

                @Override
                public int read(final LongConsumer consumer)
                {
                    current = consumer;
                    int count = 0;
                    while (count < 256 && receiver.receive(handler) > 0)
                    {
                        count++;
                    }
                    return count;
                }

                @Override
                public void close()
                {
                    IoUtil.unmap(mapped);
                }
            };
        }
    }

    /** A Chronicle Queue the reader tails: [topic length][topic][payload] as one document. */
    static final class ChronicleTailed implements Candidate
    {
        @Override
        public String name()
        {
            return "chronicle queue";
        }

        @Override
        public Channel open(final Path directory)
        {
            final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory.resolve("queue")).build();
            final ExcerptAppender appender = queue.createAppender();
            final ExcerptTailer tailer = queue.createTailer();
            return new Channel()
            {
                @Override
                public void write(final DirectBuffer payload, final int length)
                {
                    try (DocumentContext dc = appender.writingDocument())
                    {
                        final Bytes<?> bytes = dc.wire().bytes();
                        bytes.writeByte((byte)TOPIC.length);
                        bytes.write(TOPIC);
                        bytes.write(payload.byteArray(), 0, length);
                    }
                }

                @Override
                public int read(final LongConsumer consumer)
                {
                    int count = 0;
                    while (count < 256)
                    {
                        try (DocumentContext dc = tailer.readingDocument())
                        {
                            if (!dc.isPresent())
                            {
                                break;
                            }
                            if (dc.isMetaData())
                            {
                                continue;
                            }
                            final Bytes<?> bytes = dc.wire().bytes();
                            final long at = bytes.readPosition();
                            consumer.accept(bytes.readLong(at + 1 + bytes.readByte(at)));
                            count++;
                        }
                    }
                    return count;
                }

                @Override
                public void close()
                {
                    tailer.close();
                    appender.close();
                    queue.close();
                }
            };
        }
    }

    private static void add(final Map<String, List<Double>> into, final String key, final double value)
    {
        into.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static double last(final Map<String, List<Double>> into, final String key)
    {
        final List<Double> values = into.get(key);
        return values.get(values.size() - 1);
    }

    private static double median(final List<Double> values)
    {
        final List<Double> sorted = values.stream().sorted().toList();
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void print(final Map<String, Map<String, List<Double>>> results, final long frames,
        final int rounds)
    {
        final List<String> metrics = new ArrayList<>(results.values().iterator().next().keySet());
        System.out.println();
        System.out.println("Medians of " + rounds + " rounds [min-max]; " + frames + " small frames and " +
            frames / 20 + " 4 KiB frames flat out, a 64 MiB ring (Chronicle: its own files), " + LATENCY_RATE +
            " frames/s for " + LATENCY_SECONDS + " s for latency.");
        System.out.println();
        final StringBuilder head = new StringBuilder("| |");
        final StringBuilder rule = new StringBuilder("|---|");
        results.keySet().forEach(name ->
        {
            head.append(' ').append(name).append(" |");
            rule.append("---|");
        });
        System.out.println(head);
        System.out.println(rule);
        for (final String metric : metrics)
        {
            final StringBuilder row = new StringBuilder("| ").append(metric).append(" |");
            for (final Map<String, List<Double>> candidate : results.values())
            {
                final List<Double> values = candidate.get(metric);
                row.append(String.format(" %.2f [%.2f-%.2f] |", median(values),
                    values.stream().min(Comparator.naturalOrder()).orElse(0.0),
                    values.stream().max(Comparator.naturalOrder()).orElse(0.0)));
            }
            System.out.println(row);
        }
    }

    private static void delete(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
