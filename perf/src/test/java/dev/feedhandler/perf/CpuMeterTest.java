package dev.feedhandler.perf;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cores of the processes of a run, from the real /proc of this host: this test's own JVM is the watched process,
 * its output file the publisher's.
 */
class CpuMeterTest
{
    @Test
    @Timeout(30)
    void shouldReportTheCoresOfAWatchedProcessOverTheWindowBeforeTheEndOfSending(@TempDir final Path directory)
        throws Exception
    {
        final Path publisherOutput = directory.resolve("pub.err");
        Files.writeString(publisherOutput, "publishing\n", StandardCharsets.UTF_8);
        final long pid = ProcessHandle.current().pid();
        try (CpuMeter meter = CpuMeter.start(publisherOutput))
        {
            meter.watch("pub", pid);
            // Work for longer than the 1 s window, so that the samples cover it.
            long sink = 0;
            final long until = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < until)
            {
                sink += Long.numberOfTrailingZeros(sink * 31 + System.nanoTime());
            }
            assertThat(sink).isNotNegative();
            Files.writeString(publisherOutput, "08:32:49.953 INFO  [main] FeedPublisher - session ended (duration)\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(10)).until(meter::sawEndOfSending);
            meter.stopAndWrite(directory, 1);
        }

        final Map<String, Object> cpu = Json.parseObject(Files.readString(directory.resolve(CpuMeter.FILE),
            StandardCharsets.UTF_8));
        assertThat(RunResult.number(cpu, "windowSeconds")).isEqualTo(1.0);
        final Map<String, Object> publisher = RunResult.map(RunResult.map(cpu, "processes"), "pub");
        assertThat(RunResult.number(publisher, "pid")).isEqualTo(pid);
        assertThat(RunResult.number(publisher, "cores")).isGreaterThan(0.0).isLessThanOrEqualTo(
            Runtime.getRuntime().availableProcessors() + 0.5);
    }

    @Test
    @Timeout(30)
    void shouldWriteNothingWhenThePublisherNeverSaidItStoppedSending(@TempDir final Path directory) throws Exception
    {
        try (CpuMeter meter = CpuMeter.start(directory.resolve("pub.err")))
        {
            meter.watch("pub", ProcessHandle.current().pid());
            meter.stopAndWrite(directory, 1);
        }

        assertThat(directory.resolve(CpuMeter.FILE)).doesNotExist();
    }

    @Test
    @Timeout(30)
    void shouldReadTheCpuTimeOfALiveProcessAndNothingOfAnEndedOne() throws Exception
    {
        final Process ended = new ProcessBuilder("true").start();
        ended.waitFor();

        assertThat(CpuMeter.cpuTicks(ProcessHandle.current().pid())).isPositive();
        assertThat(CpuMeter.cpuTicks(ended.pid())).isEqualTo(-1);
    }
}
