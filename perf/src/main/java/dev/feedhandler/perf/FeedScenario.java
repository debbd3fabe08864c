package dev.feedhandler.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The feed itself: {@code feed publish} and {@code feed subscribe} (one or more), each in its own JVM on this host,
 * exactly as users run them. Subscribers start first; the publisher waits for all of them
 * ({@code --await-subscribers}), publishes for warm-up plus measured seconds, and ends its session; each
 * subscriber stops at the end of the session ({@code --exit-on-end}).
 */
final class FeedScenario implements Scenario
{
    private final String id;
    private final String title;
    private final String group;
    private final Kind kind;
    private final String transport;
    private final String rate;
    private final int instruments;
    private final int batchMaxUpdates;
    private final int subscribers;
    private final String backpressure;
    private final List<String> publisherArgs;
    private final List<String> publisherJvmFlags;
    private final List<String> subscriberJvmFlags;

    FeedScenario(
        final String id,
        final String title,
        final String group,
        final Kind kind,
        final String transport,
        final String rate,
        final int instruments,
        final int batchMaxUpdates,
        final int subscribers,
        final String backpressure,
        final List<String> publisherArgs)
    {
        this(id, title, group, kind, transport, rate, instruments, batchMaxUpdates, subscribers, backpressure,
            publisherArgs, List.of(), List.of());
    }

    FeedScenario(
        final String id,
        final String title,
        final String group,
        final Kind kind,
        final String transport,
        final String rate,
        final int instruments,
        final int batchMaxUpdates,
        final int subscribers,
        final String backpressure,
        final List<String> publisherArgs,
        final List<String> publisherJvmFlags,
        final List<String> subscriberJvmFlags)
    {
        this.id = id;
        this.title = title;
        this.group = group;
        this.kind = kind;
        this.transport = transport;
        this.rate = rate;
        this.instruments = instruments;
        this.batchMaxUpdates = batchMaxUpdates;
        this.subscribers = subscribers;
        this.backpressure = backpressure;
        this.publisherArgs = publisherArgs;
        this.publisherJvmFlags = publisherJvmFlags;
        this.subscriberJvmFlags = subscriberJvmFlags;
    }

    /**
     * The same scenario with JVM flags for the publisher and the subscribers (a profiling pass).
     */
    FeedScenario withJvmFlags(
        final String suffix, final List<String> publisherFlags, final List<String> subscriberFlags)
    {
        return new FeedScenario(id + suffix, title, group, kind, transport, rate, instruments, batchMaxUpdates,
            subscribers, backpressure, publisherArgs, publisherFlags, subscriberFlags);
    }

    @Override
    public String id()
    {
        return id;
    }

    @Override
    public String title()
    {
        return title;
    }

    @Override
    public String group()
    {
        return group;
    }

    @Override
    public Kind kind()
    {
        return kind;
    }

    @Override
    public String system()
    {
        return "feed";
    }

    int subscribers()
    {
        return subscribers;
    }

    @Override
    public RunResult run(final BenchEnvironment environment, final Path directory, final BenchSettings settings)
        throws InterruptedException
    {
        final int port = BenchEnvironment.freePort();
        final String endpoint = "ipc".equals(transport) ? "ipc://feed-bench-" + port : "tcp://127.0.0.1:" + port;
        final List<ChildProcess> subs = new ArrayList<>();
        ChildProcess publisher = null;
        try
        {
            for (int i = 0; i < subscribers; i++)
            {
                subs.add(ChildProcess.start(environment, directory, "sub" + i, subscriberJvmFlags,
                    BenchRunner.FEED_MAIN, List.of("subscribe", "--connect", endpoint, "--exit-on-end",
                        "--duration", (settings.totalSeconds() + 90) + "s",
                        "--warmup", settings.warmupSeconds() + "s",
                        "--hgrm", directory.resolve("sub" + i + ".hgrm").toString(),
                        "--hlog", directory.resolve("sub" + i + ".hlog").toString())));
            }
            final List<String> args = new ArrayList<>(List.of("publish", "--bind", endpoint,
                "--await-subscribers", Integer.toString(subscribers), "--await-timeout", "60s",
                "--duration", settings.totalSeconds() + "s", "--warmup", settings.warmupSeconds() + "s",
                "--rate", rate, "--instruments", Integer.toString(instruments),
                "--batch-max-updates", Integer.toString(batchMaxUpdates), "--backpressure", backpressure));
            args.addAll(publisherArgs);
            publisher = ChildProcess.start(environment, directory, "pub", publisherJvmFlags, BenchRunner.FEED_MAIN,
                args);
            final boolean publisherOk = publisher.waitFor(settings.totalSeconds() + 120);
            final List<Map<String, Object>> summaries = new ArrayList<>();
            boolean subscribersOk = true;
            for (final ChildProcess sub : subs)
            {
                subscribersOk &= sub.waitFor(60);
                summaries.add(sub.summary());
            }
            final String error = publisherOk && subscribersOk ? null : "a process failed or timed out (see " +
                directory + ")";
            return new RunResult(publisher.summary(), summaries, directory, error);
        }
        finally
        {
            subs.forEach(ChildProcess::close);
            if (publisher != null)
            {
                publisher.close();
            }
        }
    }
}
