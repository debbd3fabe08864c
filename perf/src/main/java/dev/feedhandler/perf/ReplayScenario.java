package dev.feedhandler.perf;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code feed replay --publish --speed max}: first a journal is written by a publisher running flat out for the
 * measured seconds (no subscriber), then it is replayed flat out to one subscriber process. The figure is the
 * replay's rate (updates re-published per second, with back-pressure so the subscriber receives them all).
 */
final class ReplayScenario extends AbstractScenario
{
    ReplayScenario(final String id, final String title, final String group)
    {
        super(id, title, group, Kind.THROUGHPUT);
    }





    @Override
    public String system()
    {
        return "feed";
    }

    @Override
    public RunResult run(final BenchEnvironment environment, final Path directory, final BenchSettings settings)
        throws InterruptedException
    {
        final Path journal = directory.resolve("journal");
        try
        {
            try (ChildProcess writer = ChildProcess.start(environment, directory, "journal-writer", List.of(),
                BenchRunner.FEED_MAIN, List.of("publish", "--bind", "tcp://127.0.0.1:" + BenchEnvironment.freePort(),
                    "--rate", "max", "--duration", settings.seconds() + "s", "--journal", journal.toString(),
                    "--recovery-bind", "none")))
            {
                if (!writer.waitFor(settings.seconds() + 60))
                {
                    return new RunResult(java.util.Map.of(), List.of(), directory, "writing the journal failed");
                }
            }
            final String endpoint = "tcp://127.0.0.1:" + BenchEnvironment.freePort();
            try (ChildProcess sub = ChildProcess.start(environment, directory, "sub0", List.of(),
                BenchRunner.FEED_MAIN, List.of("subscribe", "--connect", endpoint, "--no-recovery", "--exit-on-end",
                    "--duration", (settings.seconds() + 120) + "s",
                    "--hgrm", directory.resolve("sub0.hgrm").toString()));
                ChildProcess replay = ChildProcess.start(environment, directory, "pub", List.of(),
                    BenchRunner.FEED_MAIN, List.of("replay", "--journal", journal.toString(), "--publish", endpoint,
                        "--speed", "max", "--await-subscribers", "1")))
            {
                final boolean replayOk = replay.waitFor(settings.seconds() + 120);
                final boolean subOk = sub.waitFor(60);
                return new RunResult(replay.summary(), List.of(sub.summary()), directory,
                    replayOk && subOk ? null : "a process failed or timed out (see " + directory + ")");
            }
        }
        finally
        {
            FeedScenario.deleteQuietly(journal);
        }
    }

    /**
     * The replay's own rate: updates re-published per second.
     */
    static double replayRate(final RunResult result)
    {
        return RunResult.number(result.publisher(), "updatesPerSecond");
    }
}
