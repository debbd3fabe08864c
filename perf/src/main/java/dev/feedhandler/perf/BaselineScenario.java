package dev.feedhandler.perf;

import dev.feedhandler.common.wire.WireFormat;
import dev.feedhandler.perf.baseline.AeronBaseline;
import dev.feedhandler.perf.baseline.InprocFeed;
import dev.feedhandler.perf.baseline.NaiveZmq;
import dev.feedhandler.perf.baseline.RawZmq;
import dev.feedhandler.publisher.source.ReferenceInstruments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A baseline (naive JeroMQ, raw JeroMQ, Aeron IPC or UDP, libzmq in C) or the feed over inproc, with the same
 * payload sizes, the same offered rates and the same latency recording as the feed's runs: publisher and subscriber
 * in separate processes (inproc: one JVM, it cannot be otherwise). Raw JeroMQ and libzmq C ends can be paired either
 * way round ({@link #pair}): they speak the same messages.
 */
final class BaselineScenario extends AbstractScenario
{
    /** The programs. */
    enum Program
    {
        /** {@link NaiveZmq}. */
        NAIVE,
        /** {@link RawZmq}. */
        RAW,
        /** {@link AeronBaseline} on {@code aeron:ipc}. */
        AERON_IPC,
        /** {@link AeronBaseline} on UDP loopback. */
        AERON_UDP,
        /** {@link InprocFeed}. */
        FEED_INPROC,
        /** {@code perf/src/main/c/zmq_pub.c} and {@code zmq_sub.c}, built by {@code scripts/bench}. */
        LIBZMQ_C
    }

    private final Program publisher;
    private final Program subscriber;
    private final String rate;
    private final List<String> extra;
    private final List<String> publisherArgs;
    private final List<String> subscriberArgs;
    private final List<String> publisherJvmFlags;
    private final List<String> subscriberJvmFlags;
    private final int warmupSeconds;

    BaselineScenario(final String id, final String title, final String group, final Kind kind,
        final Program program, final String rate, final List<String> extra)
    {
        this(id, title, group, kind, program, program, rate, extra, List.of(), List.of(), List.of(), List.of(), -1);
    }

    private BaselineScenario(final String id, final String title, final String group, final Kind kind,
        final Program publisher, final Program subscriber, final String rate, final List<String> extra,
        final List<String> publisherArgs, final List<String> subscriberArgs, final List<String> publisherJvmFlags,
        final List<String> subscriberJvmFlags, final int warmupSeconds)
    {
        super(id, title, group, kind);
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.rate = rate;
        this.extra = extra;
        this.publisherArgs = publisherArgs;
        this.subscriberArgs = subscriberArgs;
        this.publisherJvmFlags = publisherJvmFlags;
        this.subscriberJvmFlags = subscriberJvmFlags;
        this.warmupSeconds = warmupSeconds;
    }

    /**
     * A raw JeroMQ or libzmq C publisher paired with a raw JeroMQ or libzmq C subscriber: the paced publisher that
     * sleeps while ahead and sends, per topic, the updates due at each wake-up in messages of at most {@code batch}
     * updates, over {@code instruments} topics (the feed's symbols).
     */
    static BaselineScenario pair(final String id, final String title, final String group, final Kind kind,
        final Program publisher, final Program subscriber, final String rate, final int instruments, final int batch)
    {
        final List<String> publisherArgs = publisher == Program.LIBZMQ_C ?
            List.of("--topics", ReferenceInstruments.first(instruments).stream().map(ReferenceInstruments.Spec::symbol)
                .collect(Collectors.joining(",")), "--update-bytes", Integer.toString(WireFormat.QUOTE_LENGTH),
                "--batch", Integer.toString(batch)) :
            List.of("--instruments", Integer.toString(instruments), "--batch", Integer.toString(batch));
        return new BaselineScenario(id, title, group, kind, publisher, subscriber, rate, List.of(), publisherArgs,
            List.of(), List.of(), List.of(), -1);
    }

    /** The same scenario under another id and title (a variant of a base configuration). */
    BaselineScenario renamed(final String id, final String title)
    {
        return new BaselineScenario(id, title, group(), kind(), publisher, subscriber, rate, extra, publisherArgs,
            subscriberArgs, publisherJvmFlags, subscriberJvmFlags, warmupSeconds);
    }

    /** The same scenario with more arguments for the publisher. */
    BaselineScenario publisherArgs(final String... args)
    {
        return new BaselineScenario(id(), title(), group(), kind(), publisher, subscriber, rate, extra,
            concat(publisherArgs, List.of(args)), subscriberArgs, publisherJvmFlags, subscriberJvmFlags,
            warmupSeconds);
    }

    /** The same scenario with more arguments for the subscriber. */
    BaselineScenario subscriberArgs(final String... args)
    {
        return new BaselineScenario(id(), title(), group(), kind(), publisher, subscriber, rate, extra,
            publisherArgs, concat(subscriberArgs, List.of(args)), publisherJvmFlags, subscriberJvmFlags,
            warmupSeconds);
    }

    /** The same scenario with JVM flags for the Java ends (after the benchmark's own, so they override them). */
    BaselineScenario jvmFlags(final List<String> publisherFlags, final List<String> subscriberFlags)
    {
        return new BaselineScenario(id(), title(), group(), kind(), publisher, subscriber, rate, extra,
            publisherArgs, subscriberArgs, publisherFlags, subscriberFlags, warmupSeconds);
    }

    /** The same scenario with its own warm-up (seconds), the measured seconds unchanged. */
    BaselineScenario warmup(final int seconds)
    {
        return new BaselineScenario(id(), title(), group(), kind(), publisher, subscriber, rate, extra,
            publisherArgs, subscriberArgs, publisherJvmFlags, subscriberJvmFlags, seconds);
    }

    private static List<String> concat(final List<String> a, final List<String> b)
    {
        final List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    @Override
    public String system()
    {
        if (publisher != subscriber)
        {
            return name(publisher) + "->" + name(subscriber);
        }
        return name(publisher);
    }

    private static String name(final Program program)
    {
        switch (program)
        {
            case NAIVE:
                return "naive-jeromq";
            case RAW:
                return "raw-jeromq";
            case FEED_INPROC:
                return "feed";
            case LIBZMQ_C:
                return "libzmq-c";
            default:
                return "aeron";
        }
    }

    @Override
    public RunResult run(final BenchEnvironment environment, final Path directory, final BenchSettings given)
        throws InterruptedException
    {
        final BenchSettings settings = warmupSeconds < 0 ? given :
            new BenchSettings(given.seconds(), warmupSeconds, given.runs());
        final List<String> common = new ArrayList<>(List.of("--rate", rate,
            "--hgrm", directory.resolve("sub0.hgrm").toString(), "--hlog", directory.resolve("sub0.hlog").toString(),
            "--warmup", settings.warmupSeconds() + "s"));
        common.addAll(extra);
        if (publisher == Program.FEED_INPROC)
        {
            return runInproc(environment, directory, settings, common);
        }
        for (final String name : List.of("zmq_pub", "zmq_sub"))
        {
            final boolean needed = publisher == Program.LIBZMQ_C && "zmq_pub".equals(name) ||
                subscriber == Program.LIBZMQ_C && "zmq_sub".equals(name);
            if (needed && !Files.isExecutable(environment.nativeProgram(name)))
            {
                return new RunResult(Map.of(), List.of(), directory, "libzmq C baseline not built: " +
                    environment.nativeProgram(name) + " is missing (scripts/bench builds it with gcc against " +
                    "Debian's libzmq3-dev and says why it could not)");
            }
        }

        final List<String> subArgs = subscriber == Program.LIBZMQ_C ? new ArrayList<>(List.of(
            "--hgrm", directory.resolve("sub0.hgrm").toString(), "--warmup", settings.warmupSeconds() + "s")) :
            new ArrayList<>(common);
        subArgs.addAll(subscriberArgs);
        final List<String> pubArgs = new ArrayList<>(List.of("--rate", rate,
            "--duration", settings.totalSeconds() + "s"));
        if (publisher != Program.LIBZMQ_C)
        {
            pubArgs.addAll(0, List.of("--role", "pub"));
        }
        pubArgs.addAll(extra);
        pubArgs.addAll(publisherArgs);
        final Path ready = directory.resolve("ready");
        if (publisher == Program.AERON_IPC || publisher == Program.AERON_UDP)
        {
            final String channel = publisher == Program.AERON_IPC ? "aeron:ipc" :
                "aeron:udp?endpoint=127.0.0.1:" + BenchEnvironment.freePort();
            final String dir = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" :
                System.getProperty("java.io.tmpdir"), "feed-bench-aeron-" + ProcessHandle.current().pid() + "-" +
                System.nanoTime()).toString();
            subArgs.addAll(List.of("--channel", channel, "--aeron-dir", dir, "--ready-file", ready.toString()));
            pubArgs.addAll(List.of("--channel", channel, "--aeron-dir", dir));
        }
        else
        {
            final String endpoint = "tcp://127.0.0.1:" + BenchEnvironment.freePort();
            subArgs.addAll(List.of("--endpoint", endpoint));
            pubArgs.addAll(List.of("--endpoint", endpoint, "--start-delay", "1s"));
        }
        if (subscriber != Program.LIBZMQ_C)
        {
            subArgs.addAll(List.of("--role", "sub"));
        }
        subArgs.addAll(List.of("--duration", (settings.totalSeconds() + 60) + "s"));

        try (CpuMeter cpu = CpuMeter.start(directory.resolve("pub.err"));
            ChildProcess sub = start(environment, directory, "sub0", subscriber, subscriberJvmFlags, subArgs))
        {
            cpu.watch("sub0", sub.pid());
            if (publisher == Program.AERON_IPC || publisher == Program.AERON_UDP)
            {
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (!Files.exists(ready) && System.nanoTime() < deadline && sub.isAlive())
                {
                    Thread.sleep(20);
                }
            }
            try (ChildProcess pub = start(environment, directory, "pub", publisher, publisherJvmFlags, pubArgs))
            {
                cpu.watch("pub", pub.pid());
                final boolean pubOk = pub.waitFor(settings.totalSeconds() + 60);
                final boolean subOk = sub.waitFor(60);
                cpu.stopAndWrite(directory, settings.seconds());
                return new RunResult(pub.summary(), List.of(sub.summary()), directory,
                    pubOk && subOk ? null : "a process failed or timed out (see " + directory + ")");
            }
        }
    }

    private RunResult runInproc(final BenchEnvironment environment, final Path directory,
        final BenchSettings settings, final List<String> common) throws InterruptedException
    {
        final List<String> args = new ArrayList<>(common);
        args.addAll(List.of("--duration", settings.totalSeconds() + "s"));
        try (CpuMeter cpu = CpuMeter.start(directory.resolve("sub0.err"));
            ChildProcess feed = ChildProcess.start(environment, directory, "sub0", publisherJvmFlags,
                InprocFeed.class.getName(), args))
        {
            cpu.watch("sub0", feed.pid());
            final boolean ok = feed.waitFor(settings.totalSeconds() + 120);
            cpu.stopAndWrite(directory, settings.seconds());
            final Map<String, Object> summary = feed.summary();
            return new RunResult(RunResult.map(summary, "publisher"), List.of(summary), directory,
                ok ? null : "inproc run failed (see " + directory + ")");
        }
    }

    private static ChildProcess start(final BenchEnvironment environment, final Path directory, final String name,
        final Program program, final List<String> jvmFlags, final List<String> args)
    {
        switch (program)
        {
            case LIBZMQ_C:
                return ChildProcess.startNative(directory, name,
                    environment.nativeProgram("pub".equals(name) ? "zmq_pub" : "zmq_sub"), args);
            case NAIVE:
                return ChildProcess.start(environment, directory, name, jvmFlags, NaiveZmq.class.getName(), args);
            case RAW:
                return ChildProcess.start(environment, directory, name, jvmFlags, RawZmq.class.getName(), args);
            default:
                return ChildProcess.start(environment, directory, name, jvmFlags, AeronBaseline.class.getName(),
                    args);
        }
    }
}
