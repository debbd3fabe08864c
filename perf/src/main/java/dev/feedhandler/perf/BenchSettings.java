package dev.feedhandler.perf;

/**
 * Durations of a benchmark pass.
 *
 * @param seconds       measured seconds per run.
 * @param warmupSeconds seconds at the start of each run left out of the figures.
 * @param runs          runs per scenario (figures are the median, with min and max).
 */
record BenchSettings(int seconds, int warmupSeconds, int runs)
{
    int totalSeconds()
    {
        return seconds + warmupSeconds;
    }
}
