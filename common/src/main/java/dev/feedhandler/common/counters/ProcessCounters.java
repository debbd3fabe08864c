package dev.feedhandler.common.counters;

import dev.feedhandler.common.io.FileErrors;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The counters and the error log of one process, like Aeron's CnC file: Agrona {@link AtomicCounter}s (each in a
 * 128-byte slot of its own, so counters of different writer threads never share a cache line, and each written by
 * one thread only) and one {@link ErrorLog}. Either in a memory-mapped file, laid out as {@link CountersFileLayout}
 * says, that {@code feed stat} reads from another process while this one runs, and that {@link #close()} deletes;
 * or in memory (an embedded library that wants no file, a test).
 */
public final class ProcessCounters implements AutoCloseable
{
    /** Counters a process can have: the publisher and the subscriber use about 100. */
    public static final int DEFAULT_CAPACITY = 512;
    private static final int ZERO_CHUNK = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ProcessCounters.class);
    private static final int IN_MEMORY_ERROR_LOG_BYTES = 64 * 1024;

    private final CountersManager manager;
    private final ErrorLog errors;
    private final Path file;
    private final String role;
    private final Thread cleanup;
    private boolean closed;

    private ProcessCounters(final CountersManager manager, final ErrorLog errors, final Path file, final String role)
    {
        this.manager = manager;
        this.errors = errors;
        this.file = file;
        this.role = role;
        if (file == null)
        {
            cleanup = null;
        }
        else
        {
            // A JVM that exits without closing this (System.exit, a signal) still leaves nothing behind; only a
            // crash or a kill does, and that file is then detectably stale.
            cleanup = new Thread(() -> deleteQuietly(file), "counters-file-cleanup");
            try
            {
                Runtime.getRuntime().addShutdownHook(cleanup);
            }
            catch (final IllegalStateException ex)
            {
                // A signal started the JVM's shutdown during start-up: no hook any more, close() deletes the file.
            }
        }
    }

    /**
     * Counters in memory only.
     *
     * @param role what the process is, such as {@code subscribe}.
     * @return the counters.
     */
    public static ProcessCounters inMemory(final String role)
    {
        final int capacity = DEFAULT_CAPACITY;
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * CountersReader.COUNTER_LENGTH)),
            StandardCharsets.UTF_8);
        return new ProcessCounters(manager, ErrorLog.inMemory(IN_MEMORY_ERROR_LOG_BYTES), null, role);
    }

    /**
     * Creates the counters file {@code directory/name.counters} (the directory too, if missing) for this process.
     * A file of that name left behind by a process that is gone is replaced; one of a running process is not.
     *
     * @param directory   where, such as {@link CountersDirectory#defaultDirectory()}.
     * @param name        the file's name without the suffix, such as {@code publish-1234}.
     * @param role        what the process is, such as {@code publish}.
     * @param description more about it, such as its command line (cut to 260 bytes).
     * @return the counters, in the file.
     * @throws CountersFileException if the file cannot be created or belongs to a running process.
     */
    public static ProcessCounters createFile(
        final Path directory, final String name, final String role, final String description)
    {
        return createFile(directory, name, role, description, DEFAULT_CAPACITY, ErrorLog.DEFAULT_LENGTH_BYTES);
    }

    /**
     * {@link #createFile(Path, String, String, String)} with a given size.
     *
     * @param directory     where.
     * @param name          the file's name without the suffix.
     * @param role          what the process is.
     * @param description   more about it.
     * @param capacity      most counters.
     * @param errorLogBytes bytes of the error log (a multiple of 8).
     * @return the counters, in the file.
     * @throws CountersFileException if the file cannot be created or belongs to a running process.
     */
    public static ProcessCounters createFile(final Path directory, final String name, final String role,
        final String description, final int capacity, final int errorLogBytes)
    {
        CountersDirectory.checkName(name);
        final Path file = directory.resolve(name + CountersFileLayout.SUFFIX);
        final Path temporary = directory.resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
        final MappedByteBuffer mapped;
        if (Files.exists(directory) && !Files.isDirectory(directory))
        {
            throw new CountersFileException("cannot create counters file " + file + ": " + directory +
                " is not a directory", false);
        }
        try
        {
            CountersDirectory.create(directory);
            refuseLiveOwner(file);
            mapped = map(temporary, CountersFileLayout.fileLength(capacity, errorLogBytes));
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFileLayout.HEADER_LENGTH);
            writeHeader(header, capacity, errorLogBytes, name, role, description);
            publish(temporary, file);
        }
        catch (final IOException ex)
        {
            deleteQuietly(temporary);
            throw new CountersFileException("cannot create counters file " + file + ": " + FileErrors.reason(ex),
                isNoSpace(ex) || ex instanceof java.nio.file.AccessDeniedException);
        }
        final int metadataLength = capacity * CountersReader.METADATA_LENGTH;
        final int valuesLength = capacity * CountersReader.COUNTER_LENGTH;
        final int metadataOffset = CountersFileLayout.HEADER_LENGTH;
        final int valuesOffset = metadataOffset + metadataLength;
        final int errorsOffset = valuesOffset + valuesLength;
        final CountersManager manager = new CountersManager(
            new UnsafeBuffer(mapped, metadataOffset, metadataLength),
            new UnsafeBuffer(mapped, valuesOffset, valuesLength),
            StandardCharsets.UTF_8);
        final ErrorLog errors = new ErrorLog(new UnsafeBuffer(mapped, errorsOffset, errorLogBytes),
            SystemEpochClock.INSTANCE);
        LOG.debug("counters in {}", file);
        return new ProcessCounters(manager, errors, file, role);
    }

    private static void refuseLiveOwner(final Path file)
    {
        if (!Files.exists(file))
        {
            return;
        }
        final CountersFileReader.Header existing;
        try (CountersFileReader reader = CountersFileReader.open(file, false))
        {
            existing = reader.header();
        }
        catch (final CountersFileException ex)
        {
            throw new CountersFileException(file + " exists and is not a counters file this feed can replace (" +
                ex.getMessage() + "); give another name or remove it");
        }
        if (existing.isRunning())
        {
            throw new CountersFileException("counters file " + file + " belongs to running process " +
                existing.pid() + " (" + existing.role() + "); give another name");
        }
        LOG.info("replacing counters file {} left behind by process {}, which is gone", file, existing.pid());
    }

    private static MappedByteBuffer map(final Path path, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            // Every block written now, not left sparse: a page first touched when a counter or an error lands on it
            // in a full /dev/shm would be a SIGBUS in whichever thread counts (a 1.3 MiB file by default). A full
            // file system fails here, with "No space left on device".
            final ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
            for (long position = 0; position < length; position += ZERO_CHUNK)
            {
                zeros.clear().limit((int)Math.min(ZERO_CHUNK, length - position));
                while (zeros.hasRemaining())
                {
                    channel.write(zeros, position + zeros.position());
                }
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
    }

    private static void writeHeader(final UnsafeBuffer header, final int capacity, final int errorLogBytes,
        final String name, final String role, final String description)
    {
        final ProcessHandle self = ProcessHandle.current();
        header.putLong(CountersFileLayout.MAGIC_OFFSET, CountersFileLayout.MAGIC, CountersFileLayout.ORDER);
        header.putInt(CountersFileLayout.HEADER_LENGTH_OFFSET, CountersFileLayout.HEADER_LENGTH,
            CountersFileLayout.ORDER);
        header.putLong(CountersFileLayout.PID_OFFSET, self.pid(), CountersFileLayout.ORDER);
        header.putLong(CountersFileLayout.PROCESS_START_OFFSET,
            self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L), CountersFileLayout.ORDER);
        header.putLong(CountersFileLayout.CREATED_OFFSET, System.currentTimeMillis(), CountersFileLayout.ORDER);
        header.putInt(CountersFileLayout.METADATA_LENGTH_OFFSET, capacity * CountersReader.METADATA_LENGTH,
            CountersFileLayout.ORDER);
        header.putInt(CountersFileLayout.VALUES_LENGTH_OFFSET, capacity * CountersReader.COUNTER_LENGTH,
            CountersFileLayout.ORDER);
        header.putInt(CountersFileLayout.ERROR_LOG_LENGTH_OFFSET, errorLogBytes, CountersFileLayout.ORDER);
        CountersFileLayout.putString(header, CountersFileLayout.ROLE_OFFSET, CountersFileLayout.ROLE_CAPACITY, role);
        CountersFileLayout.putString(header, CountersFileLayout.NAME_OFFSET, CountersFileLayout.NAME_CAPACITY, name);
        CountersFileLayout.putString(header, CountersFileLayout.DESCRIPTION_OFFSET,
            CountersFileLayout.DESCRIPTION_CAPACITY, description);
        // Last: a reader that sees the version sees the whole header.
        header.putIntVolatile(CountersFileLayout.VERSION_OFFSET, CountersFileLayout.VERSION);
    }

    private static void publish(final Path temporary, final Path file) throws IOException
    {
        // The file appears complete under its name, or not at all; a stale one of that name is replaced.
        try
        {
            Files.createLink(file, temporary);
        }
        catch (final FileAlreadyExistsException ex)
        {
            Files.delete(file);
            Files.createLink(file, temporary);
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Files.delete(temporary);
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            LOG.debug("cannot delete {}", path, ex);
        }
    }

    private static boolean isNoSpace(final IOException ex)
    {
        return String.valueOf(ex.getMessage()).contains("No space left on device") ||
            ex instanceof java.nio.file.FileSystemException &&
            String.valueOf(((java.nio.file.FileSystemException)ex).getReason()).contains("No space left on device");
    }

    /**
     * Allocates a counter. Cold path (start-up, a new topic): thread-safe, allocates.
     *
     * @param typeId a {@link CounterTypes} id.
     * @param label  what it counts, shown by {@code feed stat}.
     * @return the counter; write it from one thread only.
     */
    public AtomicCounter newCounter(final int typeId, final String label)
    {
        return newCounter(typeId, label, -1);
    }

    /**
     * Allocates a counter with a key (such as a topic id). Cold path: thread-safe, allocates.
     *
     * @param typeId a {@link CounterTypes} id.
     * @param label  what it counts.
     * @param key    an int key stored in the counter's metadata, or -1 for none.
     * @return the counter; write it from one thread only.
     */
    public synchronized AtomicCounter newCounter(final int typeId, final String label, final int key)
    {
        if (key < 0)
        {
            return manager.newCounter(label, typeId);
        }
        return manager.newCounter(label, typeId, buffer -> buffer.putInt(0, key));
    }

    /**
     * The error log of the process.
     *
     * @return the log.
     */
    public ErrorLog errors()
    {
        return errors;
    }

    /**
     * A reader of the counters, from any thread.
     *
     * @return the reader.
     */
    public CountersReader reader()
    {
        return manager;
    }

    /**
     * The file the counters are in.
     *
     * @return the path, or null in memory.
     */
    public Path file()
    {
        return file;
    }

    /**
     * What the process is.
     *
     * @return the role.
     */
    public String role()
    {
        return role;
    }

    /**
     * Deletes the file (a clean exit leaves nothing behind; so does a JVM exit without this call, by a shutdown hook).
     * The mapping stays until the memory is collected, so a thread that still counts never faults. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed || file == null)
        {
            closed = true;
            return;
        }
        closed = true;
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        catch (final IllegalStateException ex)
        {
            // The JVM is shutting down: the hook deletes the file too.
        }
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot delete counters file {}: {}", file, FileErrors.reason(ex));
        }
    }
}
