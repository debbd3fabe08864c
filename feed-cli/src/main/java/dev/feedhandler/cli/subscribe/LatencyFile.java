package dev.feedhandler.cli.subscribe;

import dev.feedhandler.cli.options.CliException;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A latency output file ({@code --hlog}, {@code --hgrm}): opened at start, so that a path that cannot be written is a
 * one-line error before the run, and written through a stream that keeps the first write error (a full disk), which a
 * {@link PrintStream} alone would swallow.
 */
final class LatencyFile implements AutoCloseable
{
    private final Path path;
    private final PrintStream stream;
    private volatile String failure;
    private boolean closed;

    private LatencyFile(final Path path, final OutputStream file)
    {
        this.path = path;
        this.stream = new PrintStream(new BufferedOutputStream(new FailureKeeper(file), 1 << 16), false,
            StandardCharsets.US_ASCII);
    }

    /**
     * Creates (or truncates) the file.
     *
     * @param path the file.
     * @return it, open for writing.
     * @throws CliException (usage) with one line saying which file and why, if it cannot be created.
     */
    static LatencyFile open(final Path path)
    {
        try
        {
            return new LatencyFile(path, Files.newOutputStream(path));
        }
        catch (final IOException ex)
        {
            throw new CliException(CliException.USAGE, "cannot write " + path + ": " + reason(ex));
        }
    }

    PrintStream stream()
    {
        return stream;
    }

    Path path()
    {
        return path;
    }

    /**
     * Flushes what was written (PrintStream's checkError does) and says whether it all reached the file.
     *
     * @return null if it did, else the reason of the first write that failed.
     */
    synchronized String flush()
    {
        if (!closed && stream.checkError() && failure == null)
        {
            failure = "write failed";
        }
        return failure;
    }

    /**
     * The first write error, one line, or null.
     *
     * @return "cannot write FILE: reason", or null if every write so far succeeded.
     */
    String error()
    {
        final String reason = flush();
        return reason == null ? null : "cannot write " + path + ": " + reason;
    }

    /**
     * Writes the file's content and closes it.
     *
     * @param content what writes the content.
     * @return null if it all reached the file, else "cannot write FILE: reason".
     */
    String writeAndClose(final java.util.function.Consumer<PrintStream> content)
    {
        content.accept(stream);
        close();
        return error();
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            flush();
            closed = true;
            stream.close();
        }
    }

    static String reason(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof FileSystemException && ((FileSystemException)ex).getReason() != null)
        {
            return ((FileSystemException)ex).getReason();
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
    }

    /** Keeps the reason of the first write that failed. */
    private final class FailureKeeper extends FilterOutputStream
    {
        FailureKeeper(final OutputStream out)
        {
            super(out);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) throws IOException
        {
            try
            {
                out.write(bytes, offset, length);
            }
            catch (final IOException ex)
            {
                keep(ex);
                throw ex;
            }
        }

        @Override
        public void write(final int b) throws IOException
        {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public void flush() throws IOException
        {
            try
            {
                out.flush();
            }
            catch (final IOException ex)
            {
                keep(ex);
                throw ex;
            }
        }

        private void keep(final IOException ex)
        {
            if (failure == null)
            {
                failure = reason(ex);
            }
        }
    }
}
