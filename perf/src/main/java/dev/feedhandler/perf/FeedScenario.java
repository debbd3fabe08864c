package dev.feedhandler.perf;

import dev.feedhandler.common.security.CurveKeys;
import dev.feedhandler.publisher.batch.BatchConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The feed itself: {@code feed publish} and {@code feed subscribe} (one or more), each in its own JVM on this host,
 * exactly as users run them. Subscribers start first; the publisher waits for all of them
 * ({@code --await-subscribers}), publishes for warm-up plus measured seconds, and ends its session; each
 * subscriber stops at the end of the session ({@code --exit-on-end}). Options turn on the journal, CURVE or the
 * metrics endpoints (scraped every second, as a Prometheus server would).
 */
final class FeedScenario extends AbstractScenario
{
    private final Builder settings;

    private FeedScenario(final Builder settings)
    {
        super(settings.id, settings.title, settings.group, settings.kind);
        this.settings = settings;
    }

    static Builder builder(final String id, final String title, final String group, final Kind kind)
    {
        return new Builder(id, title, group, kind);
    }

    /**
     * The same scenario with JVM flags for the publisher and the subscribers (a profiling pass).
     */
    FeedScenario withJvmFlags(
        final String suffix, final List<String> publisherFlags, final List<String> subscriberFlags)
    {
        final Builder copy = settings.copy(settings.id + suffix);
        copy.publisherJvmFlags = publisherFlags;
        copy.subscriberJvmFlags = subscriberFlags;
        return copy.build();
    }





    @Override
    public String system()
    {
        return "feed";
    }

    @Override
    public RunResult run(final BenchEnvironment environment, final Path directory, final BenchSettings given)
        throws InterruptedException
    {
        final BenchSettings durations = settings.warmupSeconds < 0 ? given :
            new BenchSettings(given.seconds(), settings.warmupSeconds, given.runs());
        final int port = BenchEnvironment.freePort();
        final String endpoint = "ipc".equals(settings.transport) ? "ipc://feed-bench-" + port :
            "tcp://127.0.0.1:" + port;
        final List<String> subscriberExtra = new ArrayList<>(settings.subscriberArgs);
        final List<String> publisherExtra = new ArrayList<>(settings.publisherArgs);
        final boolean shm = "shm".equals(settings.transport);
        final String shmName = "feed-bench-" + port;
        if (shm || settings.shmLog)
        {
            publisherExtra.addAll(List.of("--shm", shmName));
        }
        addRecovery(publisherExtra, subscriberExtra);
        final List<Integer> metricsPorts = new ArrayList<>();
        final Path journal = directory.resolve("journal");
        if (settings.journal)
        {
            publisherExtra.addAll(List.of("--journal", journal.toString()));
        }
        if (settings.curve)
        {
            addCurve(directory, publisherExtra, subscriberExtra);
        }
        final List<ChildProcess> subs = new ArrayList<>();
        ChildProcess publisher = null;
        final AtomicBoolean scraping = new AtomicBoolean(settings.metrics);
        Thread scraper = null;
        final CpuMeter cpu = CpuMeter.start(directory.resolve("pub.err"));
        try
        {
            for (int i = 0; i < settings.subscribers; i++)
            {
                final List<String> args = subscriberArgs(endpoint, durations, directory, "sub" + i,
                    subscriberExtra, metricsPorts);
                if (shm)
                {
                    args.set(args.indexOf("--connect"), "--shm");
                    args.set(args.indexOf(endpoint), shmName);
                }
                subs.add(ChildProcess.start(environment, directory, "sub" + i, settings.subscriberJvmFlags,
                    BenchRunner.FEED_MAIN, args));
                cpu.watch("sub" + i, subs.get(i).pid());
            }
            final List<ChildProcess> readers = startReaders(environment, directory, durations, shmName, cpu);
            subs.addAll(readers);
            if (shm || settings.shmReaders > 0)
            {
                // Shared-memory readers do not subscribe to the socket: the publisher starts once each is waiting
                // for its log (it then reads the log from its beginning).
                awaitReaders(directory, shm ? subs : readers);
            }
            final List<String> args = publisherArgs(endpoint, durations, publisherExtra, metricsPorts);
            if (shm)
            {
                // Shared-memory readers are not socket subscribers: nothing to await (they wait for the log).
                args.set(args.indexOf("--await-subscribers") + 1, "0");
            }
            if (settings.metrics)
            {
                scraper = MetricsScraper.start(metricsPorts, scraping);
            }
            publisher = ChildProcess.start(environment, directory, "pub", settings.publisherJvmFlags,
                BenchRunner.FEED_MAIN, args);
            cpu.watch("pub", publisher.pid());
            final boolean publisherOk = publisher.waitFor(durations.totalSeconds() + 120);
            final List<Map<String, Object>> summaries = new ArrayList<>();
            boolean subscribersOk = true;
            for (final ChildProcess sub : subs)
            {
                subscribersOk &= sub.waitFor(60);
                if (!readers.contains(sub))
                {
                    summaries.add(sub.summary());
                }
            }
            cpu.stopAndWrite(directory, durations.seconds());
            final String error = publisherOk && subscribersOk ? null : "a process failed or timed out (see " +
                directory + ")";
            return new RunResult(publisher.summary(), summaries, directory, error);
        }
        finally
        {
            cpu.close();
            scraping.set(false);
            if (scraper != null)
            {
                scraper.join(2000);
            }
            subs.forEach(ChildProcess::close);
            if (publisher != null)
            {
                publisher.close();
            }
            deleteQuietly(journal);
        }
    }

    private void addRecovery(final List<String> publisherExtra, final List<String> subscriberExtra)
    {
        if (settings.recovery)
        {
            // The recovery service on a port known to be free (its default, the feed's port + 1, may be taken).
            final String recovery = "tcp://127.0.0.1:" + BenchEnvironment.freePort();
            publisherExtra.addAll(List.of("--recovery-bind", recovery));
            subscriberExtra.addAll(List.of("--recovery-connect", recovery));
        }
        else
        {
            publisherExtra.addAll(List.of("--recovery-bind", "none"));
            subscriberExtra.add("--no-recovery");
        }
    }

    /**
     * The {@code --shm-readers} extra readers of the shared-memory log (not socket subscribers), watched by the CPU
     * meter.
     */
    private List<ChildProcess> startReaders(
        final BenchEnvironment environment,
        final Path directory,
        final BenchSettings durations,
        final String shmName,
        final CpuMeter cpu)
    {
        final List<ChildProcess> readers = new ArrayList<>();
        for (int i = 0; i < settings.shmReaders; i++)
        {
            final List<String> args = new ArrayList<>(List.of("subscribe", "--shm", shmName, "--exit-on-end",
                "--duration", (durations.totalSeconds() + 90) + "s", "--no-recovery"));
            readers.add(ChildProcess.start(environment, directory, "reader" + i, settings.subscriberJvmFlags,
                BenchRunner.FEED_MAIN, args));
            cpu.watch("reader" + i, readers.get(i).pid());
        }
        return readers;
    }

    private static void awaitReaders(final Path directory, final List<ChildProcess> processes)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        for (final ChildProcess process : processes)
        {
            final Path stderr = directory.resolve(process.name() + ".err");
            while (!contains(stderr, "waiting for the publisher's shared memory"))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException(stderr + ": the reader did not start within 60 s");
                }
                Thread.sleep(50);
            }
        }
    }

    private static boolean contains(final Path file, final String text)
    {
        try
        {
            return Files.exists(file) && Files.readString(file).contains(text);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * The arguments of one subscriber process: its histograms in {@code directory} under its {@code name} (.hgrm,
     * .hlog) and, with metrics, a free metrics port added to {@code metricsPorts}.
     */
    private List<String> subscriberArgs(final String endpoint, final BenchSettings durations, final Path directory,
        final String name, final List<String> extra, final List<Integer> metricsPorts)
    {
        final List<String> args = new ArrayList<>(List.of("subscribe", "--connect", endpoint,
            "--exit-on-end", "--duration", (durations.totalSeconds() + 90) + "s",
            "--warmup", durations.warmupSeconds() + "s",
            "--hgrm", directory.resolve(name + ".hgrm").toString(),
            "--hlog", directory.resolve(name + ".hlog").toString()));
        args.addAll(extra);
        addMetricsPort(args, metricsPorts);
        return args;
    }

    /** The arguments of the publisher process, with metrics a free metrics port added to {@code metricsPorts}. */
    private List<String> publisherArgs(final String endpoint, final BenchSettings durations,
        final List<String> extra, final List<Integer> metricsPorts)
    {
        final List<String> args = new ArrayList<>(List.of("publish", "--bind", endpoint,
            "--await-subscribers", Integer.toString(settings.subscribers), "--await-timeout", "60s",
            "--duration", durations.totalSeconds() + "s", "--warmup", durations.warmupSeconds() + "s",
            "--rate", settings.rate, "--instruments", Integer.toString(settings.instruments),
            "--batch-max-updates", Integer.toString(settings.batchMaxUpdates),
            "--backpressure", settings.backpressure));
        args.addAll(extra);
        addMetricsPort(args, metricsPorts);
        return args;
    }

    private void addMetricsPort(final List<String> args, final List<Integer> metricsPorts)
    {
        if (settings.metrics)
        {
            final int metricsPort = BenchEnvironment.freePort();
            metricsPorts.add(metricsPort);
            args.addAll(List.of("--metrics-port", Integer.toString(metricsPort)));
        }
    }

    private static void addCurve(final Path directory, final List<String> publisherArgs,
        final List<String> subscriberArgs)
    {
        try
        {
            final Path keys = directory.resolve("keys");
            Files.createDirectories(keys);
            CurveKeys.generate(keys, "publisher", true);
            CurveKeys.generate(keys, "subscriber", true);
            publisherArgs.addAll(List.of("--curve-secret", keys.resolve("publisher" + CurveKeys.SECRET_SUFFIX)
                .toString(), "--curve-allow-any"));
            subscriberArgs.addAll(List.of("--curve-server-key", keys.resolve("publisher" + CurveKeys.PUBLIC_SUFFIX)
                .toString(), "--curve-cert", keys.resolve("subscriber" + CurveKeys.SECRET_SUFFIX).toString()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void deleteQuietly(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            // leave it: bench-results is not committed
        }
    }

    /**
     * What to run.
     */
    static final class Builder
    {
        private final String id;
        private final String title;
        private final String group;
        private final Kind kind;
        private String transport = "tcp";
        private String rate = "100k";
        private int instruments = 10;
        private int batchMaxUpdates = BatchConfiguration.DEFAULT_MAX_UPDATES;
        private int subscribers = 1;
        private String backpressure = "drop";
        private boolean journal;
        private boolean curve;
        private boolean metrics;
        private boolean recovery = true;
        private List<String> publisherArgs = List.of();
        private List<String> subscriberArgs = List.of();
        private List<String> publisherJvmFlags = List.of();
        private List<String> subscriberJvmFlags = List.of();
        private int warmupSeconds = -1;
        private int shmReaders;
        private boolean shmLog;

        private Builder(final String id, final String title, final String group, final Kind kind)
        {
            this.id = id;
            this.title = title;
            this.group = group;
            this.kind = kind;
        }

        private Builder copy(final String newId)
        {
            final Builder copy = new Builder(newId, title, group, kind);
            copy.transport = transport;
            copy.rate = rate;
            copy.instruments = instruments;
            copy.batchMaxUpdates = batchMaxUpdates;
            copy.subscribers = subscribers;
            copy.backpressure = backpressure;
            copy.journal = journal;
            copy.curve = curve;
            copy.metrics = metrics;
            copy.recovery = recovery;
            copy.publisherArgs = publisherArgs;
            copy.subscriberArgs = subscriberArgs;
            copy.publisherJvmFlags = publisherJvmFlags;
            copy.subscriberJvmFlags = subscriberJvmFlags;
            copy.warmupSeconds = warmupSeconds;
            copy.shmReaders = shmReaders;
            copy.shmLog = shmLog;
            return copy;
        }

        Builder transport(final String value)
        {
            transport = value;
            return this;
        }

        Builder rate(final String value)
        {
            rate = value;
            return this;
        }

        Builder instruments(final int value)
        {
            instruments = value;
            return this;
        }

        Builder batch(final int value)
        {
            batchMaxUpdates = value;
            return this;
        }

        Builder subscribers(final int value)
        {
            subscribers = value;
            return this;
        }

        /** Back-pressure instead of PUB drops: the no-loss mode of the throughput runs. */
        Builder block()
        {
            backpressure = "block";
            return this;
        }

        Builder journal()
        {
            journal = true;
            return this;
        }

        Builder curve()
        {
            curve = true;
            return this;
        }

        Builder metrics()
        {
            metrics = true;
            return this;
        }

        /** Plain PUB/SUB: no recovery service at the publisher, every gap unrecoverable at the subscriber. */
        Builder noRecovery()
        {
            recovery = false;
            return this;
        }

        Builder subscriberArgs(final String... args)
        {
            subscriberArgs = List.of(args);
            return this;
        }

        Builder publisherArgs(final String... args)
        {
            publisherArgs = List.of(args);
            return this;
        }

        /** A warm-up of its own (seconds) instead of the pass's, the measured seconds unchanged. */
        Builder warmup(final int seconds)
        {
            warmupSeconds = seconds;
            return this;
        }

        /** Shared-memory reader processes besides the subscribers; the publisher writes its --shm log (even for 0). */
        Builder shmReaders(final int value)
        {
            shmReaders = value;
            shmLog = true;
            return this;
        }

        FeedScenario build()
        {
            return new FeedScenario(this);
        }
    }
}
