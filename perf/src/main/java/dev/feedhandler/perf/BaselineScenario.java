package dev.feedhandler.perf;

import dev.feedhandler.perf.baseline.AeronBaseline;
import dev.feedhandler.perf.baseline.InprocFeed;
import dev.feedhandler.perf.baseline.NaiveZmq;
import dev.feedhandler.perf.baseline.RawZmq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A baseline (naive JeroMQ, raw JeroMQ, Aeron IPC or UDP) or the feed over inproc, with the same payload sizes,
 * the same offered rates and the same latency recording as the feed's runs: publisher and subscriber in separate
 * JVMs (inproc: one JVM, it cannot be otherwise).
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
        FEED_INPROC
    }

    private final Program program;
    private final String rate;
    private final List<String> extra;

    BaselineScenario(final String id, final String title, final String group, final Kind kind,
        final Program program, final String rate, final List<String> extra)
    {
        super(id, title, group, kind);
        this.program = program;
        this.rate = rate;
        this.extra = extra;
    }





    @Override
    public String system()
    {
        switch (program)
        {
            case NAIVE:
                return "naive-jeromq";
            case RAW:
                return "raw-jeromq";
            case FEED_INPROC:
                return "feed";
            default:
                return "aeron";
        }
    }

    @Override
    public RunResult run(final BenchEnvironment environment, final Path directory, final BenchSettings settings)
        throws InterruptedException
    {
        final List<String> common = new ArrayList<>(List.of("--rate", rate,
            "--hgrm", directory.resolve("sub0.hgrm").toString(), "--hlog", directory.resolve("sub0.hlog").toString(),
            "--warmup", settings.warmupSeconds() + "s"));
        common.addAll(extra);
        if (program == Program.FEED_INPROC)
        {
            final List<String> args = new ArrayList<>(common);
            args.addAll(List.of("--duration", settings.totalSeconds() + "s"));
            try (ChildProcess feed = ChildProcess.start(environment, directory, "sub0", List.of(),
                InprocFeed.class.getName(), args))
            {
                final boolean ok = feed.waitFor(settings.totalSeconds() + 120);
                final Map<String, Object> summary = feed.summary();
                return new RunResult(RunResult.map(summary, "publisher"), List.of(summary), directory,
                    ok ? null : "inproc run failed (see " + directory + ")");
            }
        }

        final String mainClass = program == Program.NAIVE ? NaiveZmq.class.getName() :
            program == Program.RAW ? RawZmq.class.getName() : AeronBaseline.class.getName();
        final List<String> subArgs = new ArrayList<>(common);
        final List<String> pubArgs = new ArrayList<>(List.of("--role", "pub", "--rate", rate,
            "--duration", settings.totalSeconds() + "s"));
        pubArgs.addAll(extra);
        final Path ready = directory.resolve("ready");
        if (program == Program.AERON_IPC || program == Program.AERON_UDP)
        {
            final String channel = program == Program.AERON_IPC ? "aeron:ipc" :
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
        subArgs.addAll(List.of("--role", "sub", "--duration", (settings.totalSeconds() + 60) + "s"));

        try (ChildProcess sub = ChildProcess.start(environment, directory, "sub0", List.of(), mainClass, subArgs))
        {
            if (program == Program.AERON_IPC || program == Program.AERON_UDP)
            {
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (!Files.exists(ready) && System.nanoTime() < deadline && sub.isAlive())
                {
                    Thread.sleep(20);
                }
            }
            try (ChildProcess pub = ChildProcess.start(environment, directory, "pub", List.of(), mainClass, pubArgs))
            {
                final boolean pubOk = pub.waitFor(settings.totalSeconds() + 60);
                final boolean subOk = sub.waitFor(60);
                return new RunResult(pub.summary(), List.of(sub.summary()), directory,
                    pubOk && subOk ? null : "a process failed or timed out (see " + directory + ")");
            }
        }
    }
}
