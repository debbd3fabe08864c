package dev.feedhandler.journal;

import dev.feedhandler.common.io.FileErrors;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Opens journal directories as Chronicle Queues, after checking them so that every mistake is a one-line
 * {@link JournalException}: a directory that does not exist (for reading), is not a directory, is not a queue,
 * or is not writable. Every queue this product opens goes through here, so Chronicle's analytics and banner are
 * switched off before the first Chronicle class initialises, and its shutdown hook is registered before a signal
 * could make the JVM refuse it ({@link ChronicleShutdownHook}).
 */
public final class JournalFiles
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalFiles.class);

    /** Suffix of a Chronicle Queue cycle file. */
    public static final String CYCLE_SUFFIX = ".cq4";

    /** Chronicle Queue's metadata file, present in every queue directory. */
    public static final String METADATA_FILE = "metadata.cq4t";

    private JournalFiles()
    {
    }

    /**
     * Makes sure no Chronicle code calls home or prints a banner: sets {@code chronicle.analytics.disable} and
     * {@code chronicle.announcer.disable} unless the JVM was started with a value for them. (The analytics library
     * is also left out of the build; this is the second lock.)
     */
    public static void quietChronicle()
    {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
    }

    /** Quiet, and with its shutdown hook registered before a signal could make the JVM refuse it. */
    private static void prepareChronicle()
    {
        quietChronicle();
        ChronicleShutdownHook.ensureRegistered();
    }

    private static void setIfAbsent(final String key, final String value)
    {
        if (System.getProperty(key) == null)
        {
            System.setProperty(key, value);
        }
    }

    /**
     * Opens (creating it if missing) a journal for appending.
     *
     * @param configuration the settings.
     * @return the queue.
     * @throws JournalException if the directory cannot be created, is not a directory, is not writable, or holds
     *                          files that are not a journal.
     */
    public static SingleChronicleQueue openForWriting(final JournalConfiguration configuration)
    {
        final Path directory = configuration.directory();
        try
        {
            Files.createDirectories(directory);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new JournalException("journal directory " + directory + " is not a directory");
        }
        catch (final IOException | SecurityException ex)
        {
            throw new JournalException("cannot create journal directory " + directory + ": " + reason(ex));
        }
        checkWritable(directory);
        if (!isQueue(directory) && !isEmpty(directory))
        {
            throw new JournalException("journal directory " + directory + " is not a journal: it holds other " +
                "files and no Chronicle Queue");
        }
        prepareChronicle();
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(configuration.rollCycle());
        if (configuration.timeProvider() != null)
        {
            builder.timeProvider(configuration.timeProvider());
        }
        final SingleChronicleQueue queue = build(directory, builder);
        if (!queue.rollCycle().equals(configuration.rollCycle()))
        {
            // Chronicle keeps the roll cycle a journal was created with (and says so at WARN in its own words).
            LOG.warn("journal {} rolls {}, as it was created; a roll of {} applies to a new journal only",
                directory, JournalRollCycles.alias(queue.rollCycle()),
                JournalRollCycles.alias(configuration.rollCycle()));
        }
        return queue;
    }

    /**
     * Opens an existing journal read-only.
     *
     * @param directory the journal directory.
     * @return the queue.
     * @throws JournalException if the directory does not exist, is not a directory or is not a journal.
     */
    public static SingleChronicleQueue openForReading(final Path directory)
    {
        checkReadable(directory);
        prepareChronicle();
        return build(directory, SingleChronicleQueueBuilder.binary(directory).readOnly(true));
    }

    /**
     * Checks that a directory holds a journal that can be read.
     *
     * @param directory the journal directory.
     * @throws JournalException if not.
     */
    public static void checkReadable(final Path directory)
    {
        if (!Files.exists(directory))
        {
            throw new JournalException("journal directory " + directory + " does not exist");
        }
        if (!Files.isDirectory(directory))
        {
            throw new JournalException("journal directory " + directory + " is not a directory");
        }
        if (!Files.isReadable(directory))
        {
            throw new JournalException("journal directory " + directory + " is not readable");
        }
        if (!Files.exists(directory.resolve(METADATA_FILE)))
        {
            throw new JournalException("journal directory " + directory + " is not a journal (no " +
                METADATA_FILE + ": not a Chronicle Queue)");
        }
    }

    private static SingleChronicleQueue build(final Path directory, final SingleChronicleQueueBuilder builder)
    {
        try
        {
            return builder.build();
        }
        catch (final RuntimeException ex)
        {
            throw new JournalException("cannot open journal " + directory + ": " + reason(ex), ex);
        }
    }

    /**
     * Tries to create and delete a file: the only test of writability that also holds for root and read-only
     * mounts.
     */
    private static void checkWritable(final Path directory)
    {
        try
        {
            final Path probe = Files.createTempFile(directory, ".write-probe", ".tmp");
            Files.delete(probe);
        }
        catch (final IOException | SecurityException ex)
        {
            throw new JournalException("journal directory " + directory + " is not writable: " + reason(ex));
        }
    }

    private static boolean isQueue(final Path directory)
    {
        return Files.exists(directory.resolve(METADATA_FILE)) || !cycleFiles(directory).isEmpty();
    }

    private static boolean isEmpty(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.findAny().isEmpty();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory + ": " + reason(ex));
        }
    }

    /**
     * The cycle files of a journal, oldest first (Chronicle names them by date, most significant part first).
     *
     * @param directory the journal directory.
     * @return the files, empty if there are none.
     */
    public static List<Path> cycleFiles(final Path directory)
    {
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory))
        {
            list.filter(p -> p.getFileName().toString().endsWith(CYCLE_SUFFIX)).sorted().forEach(files::add);
        }
        catch (final NoSuchFileException ex)
        {
            return files;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory + ": " + reason(ex));
        }
        return files;
    }

    /**
     * Opens an existing journal read-only and makes its reader; the queue is closed again if that fails.
     *
     * @param directory the journal directory.
     * @param reader    makes the reader of the queue.
     * @param <T>       the reader's type.
     * @return the reader.
     * @throws JournalException if the journal cannot be opened or read.
     */
    static <T> T openReader(final Path directory, final BiFunction<Path, SingleChronicleQueue, T> reader)
    {
        final SingleChronicleQueue queue = openForReading(directory);
        try
        {
            return reader.apply(directory, queue);
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw new JournalException("cannot read journal " + directory + ": " + reason(ex), ex);
        }
    }

    static String reason(final Throwable ex)
    {
        if (ex instanceof IOException io)
        {
            return FileErrors.reason(io);
        }
        final String message = ex.getMessage();
        final String text = message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
        final int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
