package dev.feedhandler.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad journal directories are one-line errors that say which directory and why, for readers and writers alike.
 */
@Timeout(30)
class JournalDirectoryTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRejectADirectoryThatDoesNotExistForReading()
    {
        final Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> JournalReader.open(missing))
            .isInstanceOf(JournalException.class)
            .hasMessage("journal directory " + missing + " does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void shouldRejectADirectoryThatIsNotAQueue() throws Exception
    {
        Files.writeString(dir.resolve("notes.txt"), "not a journal");
        assertThatThrownBy(() -> JournalInfo.of(dir))
            .isInstanceOf(JournalException.class)
            .hasMessage("journal directory " + dir + " is not a journal (no metadata.cq4t: not a Chronicle Queue)");
        assertThatThrownBy(() -> JournalRecorder.open(JournalConfiguration.defaults(dir), Origin.SENT, "journal"))
            .isInstanceOf(JournalException.class)
            .hasMessage("journal directory " + dir + " is not a journal: it holds other files and no Chronicle Queue");
    }

    @Test
    void shouldRejectAFileForADirectory() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> JournalReader.open(file))
            .isInstanceOf(JournalException.class)
            .hasMessage("journal directory " + file + " is not a directory");
        assertThatThrownBy(() -> JournalRecorder.open(JournalConfiguration.defaults(file), Origin.SENT, "journal"))
            .isInstanceOf(JournalException.class)
            .hasMessage("journal directory " + file + " is not a directory");
    }

    @Test
    void shouldRejectADirectoryThatIsNotWritable() throws Exception
    {
        // Root may write anywhere its permission bits say no; /proc/self refuses new files to everyone.
        final Path unwritable = isRoot() ? Path.of("/proc/self") : Files.createDirectory(dir.resolve("ro"));
        if (!isRoot())
        {
            assertThat(unwritable.toFile().setWritable(false, false)).isTrue();
        }
        assertThatThrownBy(() -> JournalRecorder.open(JournalConfiguration.defaults(unwritable), Origin.SENT,
            "journal"))
            .isInstanceOf(JournalException.class)
            .hasMessageStartingWith("journal directory " + unwritable + " is not writable: ")
            .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("\n"));
    }

    @Test
    void shouldCreateAMissingDirectoryForWritingAndReadItBackEmpty()
    {
        final Path fresh = dir.resolve("a/b/journal");
        try (JournalRecorder recorder = JournalRecorder.open(JournalConfiguration.defaults(fresh), Origin.SENT,
            "journal").start())
        {
            assertThat(recorder.written()).isZero();
        }
        assertThat(fresh.resolve(JournalFiles.METADATA_FILE)).exists();
        assertThat(JournalInfo.of(fresh).toMap()).containsEntry("entries", 0L);
    }

    private static boolean isRoot()
    {
        return "root".equals(System.getProperty("user.name"));
    }
}
