package dev.feedhandler.common.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer that died while creating its log left a temporary file as large as the ring: the next writer of that log
 * deletes it (its process is gone), and never one of a process still running, nor another log's.
 */
@Timeout(60)
class ShmLogLeftoversTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDeleteTheTemporaryFilesOfWritersThatAreGoneOnly() throws Exception
    {
        final Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        final Path gone = Files.write(dir.resolve(".prices." + dead.pid() + ".tmp"), new byte[4096]);
        final Path running = Files.write(dir.resolve(".prices." + ProcessHandle.current().parent()
            .orElseThrow().pid() + ".tmp"), new byte[1]);
        final Path otherLog = Files.write(dir.resolve(".quotes." + dead.pid() + ".tmp"), new byte[1]);
        final Path notOurs = Files.write(dir.resolve(".prices.backup.tmp"), new byte[1]);

        try (ShmLogWriter writer = ShmLogWriter.create(new ShmLocation("prices", dir), 64 * 1024, 1024, null, 42))
        {
            assertThat(writer).isNotNull();
            assertThat(gone).doesNotExist();
            assertThat(running).exists();
            assertThat(otherLog).exists();
            assertThat(notOurs).exists();
            assertThat(dir.resolve("prices")).exists();
        }
    }
}
