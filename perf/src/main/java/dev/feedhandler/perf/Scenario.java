package dev.feedhandler.perf;

import java.nio.file.Path;

/**
 * One benchmark configuration, run several times.
 */
interface Scenario
{
    /** What a scenario's figure is about. */
    enum Kind
    {
        /** Sustained delivered rate (updates/s). */
        THROUGHPUT,
        /** One-way latency at a fixed offered rate. */
        LATENCY
    }

    /**
     * Short unique id: the directory of its runs and its key in the report.
     *
     * @return the id.
     */
    String id();

    /**
     * What a reader sees in the tables.
     *
     * @return the title.
     */
    String title();

    /**
     * The report section.
     *
     * @return the group name.
     */
    String group();

    /**
     * Throughput or latency.
     *
     * @return the kind.
     */
    Kind kind();

    /**
     * The system measured: {@code feed}, {@code naive-jeromq}, {@code raw-jeromq}, {@code aeron}.
     *
     * @return the system.
     */
    String system();

    /**
     * Runs the scenario once.
     *
     * @param environment where to run.
     * @param directory   this run's directory (outputs, logs, histograms).
     * @param settings    durations.
     * @return the figures of the run.
     * @throws InterruptedException if interrupted.
     */
    RunResult run(BenchEnvironment environment, Path directory, BenchSettings settings) throws InterruptedException;
}
