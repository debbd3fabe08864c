package dev.feedhandler.common.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in the few words a one-line error ends with. A {@link FileSystemException}'s message
 * is its path, which the caller's line already names; its reason, or its type for the common ones, says why.
 */
public final class FileErrors
{
    private FileErrors()
    {
    }

    /**
     * The reason of a failed file operation.
     *
     * @param ex what was thrown.
     * @return such as "permission denied", "no such file or directory" or "No space left on device".
     */
    public static String reason(final IOException ex)
    {
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory";
        }
        if (ex instanceof FileSystemException fileSystem)
        {
            return fileSystem.getReason() != null ? fileSystem.getReason() : ex.getClass().getSimpleName();
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
    }
}
