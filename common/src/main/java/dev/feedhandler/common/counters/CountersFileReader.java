package dev.feedhandler.common.counters;

import dev.feedhandler.common.io.FileErrors;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads another process's counters file while that process runs (or after it crashed): checks that it is a
 * counters file of this version, says which process wrote it and whether that process still runs, and reads its
 * counters and error log. Every problem is a {@link CountersFileException} with a one-line message.
 */
public final class CountersFileReader implements AutoCloseable
{
    /** Start times of one process, read twice, may differ by the OS's clock tick. */
    private static final long START_TOLERANCE_MS = 1_000;

    private final Path file;
    private final Header header;
    private final CountersReader counters;
    private final UnsafeBuffer errors;
    private final MappedByteBuffer mapped;

    private CountersFileReader(final Path file, final Header header, final CountersReader counters,
        final UnsafeBuffer errors, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.header = header;
        this.counters = counters;
        this.errors = errors;
        this.mapped = mapped;
    }

    /**
     * Opens a counters file.
     *
     * @param file         the file.
     * @param requireAlive whether a file whose process is gone is an error (stale).
     * @return the reader.
     * @throws CountersFileException if the file is missing, not a counters file, of another version, or (with
     *                               {@code requireAlive}) stale.
     */
    public static CountersFileReader open(final Path file, final boolean requireAlive)
    {
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < CountersFileLayout.HEADER_LENGTH)
            {
                throw new CountersFileException(file + ": not a feed counters file (" + size + " bytes, too short)");
            }
            if (size > Integer.MAX_VALUE)
            {
                throw new CountersFileException(file + ": not a feed counters file (too large)");
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            throw new CountersFileException(file + ": no such counters file");
        }
        catch (final IOException ex)
        {
            throw new CountersFileException("cannot read " + file + ": " + FileErrors.reason(ex));
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        final Header header = readHeader(file, buffer);
        if (requireAlive && !header.isRunning())
        {
            throw new CountersFileException(file + " is stale: " + header.whyStale() +
                "; the process crashed or was killed (a clean exit deletes its file): remove it");
        }
        final int metadataOffset = CountersFileLayout.HEADER_LENGTH;
        final int valuesOffset = metadataOffset + header.metadataLength;
        final int errorsOffset = valuesOffset + header.valuesLength;
        final CountersReader counters = new CountersReader(
            new UnsafeBuffer(mapped, metadataOffset, header.metadataLength),
            new UnsafeBuffer(mapped, valuesOffset, header.valuesLength),
            StandardCharsets.UTF_8);
        final UnsafeBuffer errors = new UnsafeBuffer(mapped, errorsOffset, header.errorLogLength);
        return new CountersFileReader(file, header, counters, errors, mapped);
    }

    private static Header readHeader(final Path file, final UnsafeBuffer buffer)
    {
        final long magic = buffer.getLong(CountersFileLayout.MAGIC_OFFSET, CountersFileLayout.ORDER);
        if (magic != CountersFileLayout.MAGIC)
        {
            throw new CountersFileException(file + ": not a feed counters file (no FEEDCNTR mark)");
        }
        final int version = buffer.getIntVolatile(CountersFileLayout.VERSION_OFFSET);
        if (version == 0)
        {
            throw new CountersFileException(file + ": the counters file is still being created");
        }
        if (version != CountersFileLayout.VERSION)
        {
            throw new CountersFileException(file + ": counters file version " + version + ", this feed reads " +
                "version " + CountersFileLayout.VERSION);
        }
        final int headerLength = buffer.getInt(CountersFileLayout.HEADER_LENGTH_OFFSET, CountersFileLayout.ORDER);
        final int metadataLength = buffer.getInt(CountersFileLayout.METADATA_LENGTH_OFFSET, CountersFileLayout.ORDER);
        final int valuesLength = buffer.getInt(CountersFileLayout.VALUES_LENGTH_OFFSET, CountersFileLayout.ORDER);
        final int errorLogLength = buffer.getInt(CountersFileLayout.ERROR_LOG_LENGTH_OFFSET, CountersFileLayout.ORDER);
        final long expected = (long)CountersFileLayout.HEADER_LENGTH + metadataLength + valuesLength + errorLogLength;
        if (headerLength != CountersFileLayout.HEADER_LENGTH || metadataLength < 0 || valuesLength < 0 ||
            errorLogLength < 0 || metadataLength != valuesLength * (CountersReader.METADATA_LENGTH /
            CountersReader.COUNTER_LENGTH) || expected > buffer.capacity())
        {
            throw new CountersFileException(file + ": corrupt counters file (its sections do not fit its " +
                buffer.capacity() + " bytes)");
        }
        return new Header(
            buffer.getLong(CountersFileLayout.PID_OFFSET, CountersFileLayout.ORDER),
            buffer.getLong(CountersFileLayout.PROCESS_START_OFFSET, CountersFileLayout.ORDER),
            buffer.getLong(CountersFileLayout.CREATED_OFFSET, CountersFileLayout.ORDER),
            CountersFileLayout.getString(buffer, CountersFileLayout.ROLE_OFFSET, CountersFileLayout.ROLE_CAPACITY),
            CountersFileLayout.getString(buffer, CountersFileLayout.NAME_OFFSET, CountersFileLayout.NAME_CAPACITY),
            CountersFileLayout.getString(buffer, CountersFileLayout.DESCRIPTION_OFFSET,
                CountersFileLayout.DESCRIPTION_CAPACITY),
            metadataLength, valuesLength, errorLogLength);
    }

    /**
     * Whether the file is still there: a process that ends cleanly deletes it.
     *
     * @return true while the file exists.
     */
    public boolean fileExists()
    {
        return Files.exists(file);
    }

    /**
     * The file.
     *
     * @return the path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The header: which process, since when.
     *
     * @return the header.
     */
    public Header header()
    {
        return header;
    }

    /**
     * The counters, read live.
     *
     * @return the reader.
     */
    public CountersReader counters()
    {
        return counters;
    }

    /**
     * Reads the distinct errors recorded so far.
     *
     * @param consumer gets each: count, first and last time (epoch ms), the stack trace.
     * @return how many.
     */
    public int readErrors(final ErrorConsumer consumer)
    {
        return ErrorLogReader.read(errors, consumer);
    }

    /**
     * Releases the mapping now (the reader must not be used after).
     */
    @Override
    public void close()
    {
        org.agrona.IoUtil.unmap(mapped);
    }

    /**
     * The header of a counters file.
     */
    public static final class Header
    {
        private final long pid;
        private final long processStartMs;
        private final long createdMs;
        private final String role;
        private final String name;
        private final String description;
        private final int metadataLength;
        private final int valuesLength;
        private final int errorLogLength;

        Header(final long pid, final long processStartMs, final long createdMs, final String role, final String name,
            final String description, final int metadataLength, final int valuesLength, final int errorLogLength)
        {
            this.pid = pid;
            this.processStartMs = processStartMs;
            this.createdMs = createdMs;
            this.role = role;
            this.name = name;
            this.description = description;
            this.metadataLength = metadataLength;
            this.valuesLength = valuesLength;
            this.errorLogLength = errorLogLength;
        }

        /**
         * The writer's pid.
         *
         * @return the pid.
         */
        public long pid()
        {
            return pid;
        }

        /**
         * When the writer's process started.
         *
         * @return epoch ms, -1 if unknown.
         */
        public long processStartMs()
        {
            return processStartMs;
        }

        /**
         * When the file was created.
         *
         * @return epoch ms.
         */
        public long createdMs()
        {
            return createdMs;
        }

        /**
         * What the process is.
         *
         * @return such as {@code publish}.
         */
        public String role()
        {
            return role;
        }

        /**
         * The file's name without its suffix.
         *
         * @return the name.
         */
        public String name()
        {
            return name;
        }

        /**
         * More about the process, such as its command line.
         *
         * @return the description.
         */
        public String description()
        {
            return description;
        }

        /**
         * Whether the process that wrote the file still runs: its pid is alive and (where the OS says) started
         * when the file says. A pid reused by another process after a crash does not count.
         *
         * @return true if it runs.
         */
        public boolean isRunning()
        {
            return whyStale() == null;
        }

        /**
         * Why the file is stale.
         *
         * @return the reason, or null if its process runs.
         */
        public String whyStale()
        {
            final Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive())
            {
                return "process " + pid + " is not running";
            }
            if (processStartMs >= 0)
            {
                final Optional<Instant> start = process.get().info().startInstant();
                if (start.isPresent() && Math.abs(start.get().toEpochMilli() - processStartMs) > START_TOLERANCE_MS)
                {
                    return "pid " + pid + " now belongs to another process (started " + start.get() + ", not " +
                        Instant.ofEpochMilli(processStartMs) + ")";
                }
            }
            return null;
        }
    }
}
