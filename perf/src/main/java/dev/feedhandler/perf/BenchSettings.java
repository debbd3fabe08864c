package dev.feedhandler.perf;

/**
 * Durations of a benchmark pass.
 *
 * @param seconds       measured seconds per run.
 * @param warmupSeconds seconds at the start of each run left out of the figures.
 * @param runs          runs per scenario (figures are the median, with min and max).
 * @param settleSeconds seconds with nothing of the pass running before every run ({@code --settle}).
 */
record BenchSettings(int seconds, int warmupSeconds, int runs, int settleSeconds)
{
    /**
     * Durations of a run inside a pass, or of a pass without a pause before its runs.
     *
     * @param seconds       measured seconds per run.
     * @param warmupSeconds seconds at the start of each run left out of the figures.
     * @param runs          runs per scenario.
     */
    BenchSettings(final int seconds, final int warmupSeconds, final int runs)
    {
        this(seconds, warmupSeconds, runs, 0);
    }

    int totalSeconds()
    {
        return seconds + warmupSeconds;
    }
}
