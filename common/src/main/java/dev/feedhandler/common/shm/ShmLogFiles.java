package dev.feedhandler.common.shm;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The shared-memory log's file as a thing the processes of a host share: who writes it (a live publisher, told from
 * a recycled pid by its start time), putting a new log in place of an older one (which is marked superseded so its
 * readers move on, and refused while its publisher runs or when it is not a log), and the I/O helpers the writer
 * and the readers both use.
 */
final class ShmLogFiles
{
    /** Its lines are the writer's. */
    private static final Logger LOG = LoggerFactory.getLogger(ShmLogWriter.class);
    private static final long START_TOLERANCE_MS = 1_000;

    private ShmLogFiles()
    {
    }

    /**
     * Renames the new file over the path; an older log there is marked superseded (its readers move to the new
     * file), unless its publisher still runs, and anything else there is left alone.
     */
    static void takeOver(final Path path, final Path temporary) throws IOException
    {
        FileChannel old = null;
        MappedByteBuffer oldHeader = null;
        try
        {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            {
                if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                {
                    throw new ShmLogException("shared memory " + path + " exists and is not a regular file: " +
                        "refusing to replace it (remove it or give another name)");
                }
                old = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                final long size = old.size();
                final ByteBuffer bytes = ByteBuffer.allocate(ShmLogDescriptor.HEADER_LENGTH);
                while (bytes.hasRemaining() && old.read(bytes, bytes.position()) > 0)
                {
                    // read the header, or what there is of it
                }
                final String error = ShmLogDescriptor.checkHeader(new UnsafeBuffer(bytes.array()), size);
                if (error != null)
                {
                    throw new ShmLogException("shared memory " + path + " exists and is " + error +
                        ": refusing to replace it (remove it or give another name)");
                }
                final UnsafeBuffer oldFields = new UnsafeBuffer(bytes.array());
                final long pid = oldFields.getLong(ShmLogDescriptor.WRITER_PID_OFFSET);
                final int state = oldFields.getInt(ShmLogDescriptor.STATE_OFFSET);
                if (state == ShmLogDescriptor.STATE_ACTIVE &&
                    writerAlive(pid, oldFields.getLong(ShmLogDescriptor.WRITER_START_OFFSET)))
                {
                    throw new ShmLogException("shared memory " + path + " is in use by process " + pid +
                        " (a publisher writing it): give another name");
                }
                if (state == ShmLogDescriptor.STATE_ACTIVE)
                {
                    LOG.info("shared memory {}: replacing the log of publisher process {}, which is gone", path, pid);
                }
                oldHeader = old.map(FileChannel.MapMode.READ_WRITE, 0, ShmLogDescriptor.HEADER_LENGTH);
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (oldHeader != null)
            {
                final UnsafeBuffer oldBuffer = new UnsafeBuffer(oldHeader);
                oldBuffer.putIntVolatile(ShmLogDescriptor.STATE_OFFSET, ShmLogDescriptor.STATE_SUPERSEDED);
                // Its readers asleep move on now rather than at their next timeout.
                oldBuffer.getAndAddInt(ShmLogDescriptor.WAKE_OFFSET, 1);
                Futex.wakeAll(oldBuffer.addressOffset() + ShmLogDescriptor.WAKE_OFFSET);
            }
        }
        finally
        {
            unmapQuietly(oldHeader);
            if (old != null)
            {
                old.close();
            }
        }
    }

    /**
     * Deletes the temporary files a writer of this log left when its process died while creating it
     * ({@code .NAME.PID.tmp} whose process is gone): each holds the room of a whole ring.
     *
     * @param directory the log's directory.
     * @param name      the log's name.
     */
    static void deleteLeftovers(final Path directory, final String name)
    {
        final String prefix = "." + name + ".";
        try (java.util.stream.Stream<Path> files = Files.list(directory))
        {
            files.forEach(file ->
            {
                final String fileName = file.getFileName().toString();
                if (fileName.startsWith(prefix) && fileName.endsWith(".tmp"))
                {
                    final String pid = fileName.substring(prefix.length(), fileName.length() - ".tmp".length());
                    if (pid.chars().allMatch(Character::isDigit) && !pid.isEmpty() &&
                        ProcessHandle.of(Long.parseLong(pid)).isEmpty())
                    {
                        LOG.info("shared memory {}: deleting {}, left by process {} that is gone", directory.resolve(
                            name), fileName, pid);
                        deleteQuietly(file);
                    }
                }
            });
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.debug("cannot list {}", directory, ex);
        }
    }

    /**
     * Whether the process that wrote a log still runs: same pid, and (when both are known) the same start time, so
     * that a recycled pid does not count.
     *
     * @param pid          the writer's pid.
     * @param startEpochMs the writer's start time from the header, 0 if unknown.
     * @return true if that process is alive.
     */
    static boolean writerAlive(final long pid, final long startEpochMs)
    {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            return false;
        }
        if (startEpochMs == 0)
        {
            return true;
        }
        return process.get().info().startInstant()
            .map(start -> Math.abs(start.toEpochMilli() - startEpochMs) <= START_TOLERANCE_MS).orElse(true);
    }

    static String describe(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory (" + ex.getMessage() + ")";
        }
        final String message = ex.getMessage();
        return message == null ? ex.getClass().getSimpleName() : message;
    }

    static void unmapQuietly(final MappedByteBuffer buffer)
    {
        if (buffer != null)
        {
            IoUtil.unmap(buffer);
        }
    }

    static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            // a temporary file left behind is removed by the next create
        }
    }
}
