package dev.feedhandler.cli;

import dev.feedhandler.cli.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code feed subscribe --hgrm/--hlog} to a path that cannot be written: refused in one line before the run; and to a
 * full disk ({@code /dev/full}): the summary is still printed, the write error said in one line, exit status 1.
 */
@Timeout(120)
class SubscribeOutputFilesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseALatencyFileInAMissingDirectoryBeforeTheRun() throws Exception
    {
        final Path hgrm = dir.resolve("missing").resolve("latency.hgrm");
        try (FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect",
            "tcp://127.0.0.1:" + FeedProcess.freePort(), "--no-recovery", "--duration", "1s", "--hgrm",
            hgrm.toString()))
        {
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isEqualTo(2);
            assertThat(subscriber.stderrLines()).containsExactly(
                "feed subscribe: cannot write " + hgrm + ": no such file or directory");
            assertThat(subscriber.stdoutLines()).isEmpty();
        }
    }

    @Test
    void shouldPrintTheSummaryAndSayWhyWhenTheLatencyFilesCannotBeWritten() throws Exception
    {
        assumeThat(Path.of("/dev/full")).exists();
        try (FeedProcess subscriber = FeedProcess.start(dir, "sub", "subscribe", "--connect",
            "tcp://127.0.0.1:" + FeedProcess.freePort(), "--no-recovery", "--duration", "2s", "--hgrm", "/dev/full",
            "--hlog", "/dev/full"))
        {
            assertThat(subscriber.waitFor(60)).as(subscriber.stderr()).isEqualTo(1);
            assertThat(Json.parseObject(subscriber.lastStdoutLine())).containsEntry("received", 0L)
                .containsEntry("stopReason", "duration");
            assertThat(subscriber.stderrLines()).filteredOn(line -> line.startsWith("feed subscribe: "))
                .containsExactly("feed subscribe: cannot write /dev/full: No space left on device; " +
                    "cannot write /dev/full: No space left on device");
            assertThat(subscriber.stderr()).contains(
                "cannot write /dev/full: No space left on device; the interval log (--hlog) stops here");
        }
    }
}
