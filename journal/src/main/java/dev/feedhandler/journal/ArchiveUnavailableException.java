package dev.feedhandler.journal;

/**
 * An archive that could not answer a lookup in time ({@link BatchArchive#findBatches}): its store is away or slow.
 * This is not "the archive does not hold it": the batches may well be there, and the same lookup may succeed later.
 * The batches handed to the handler before it was thrown are valid and in order; the range after the last of them is
 * unknown, neither found nor missing.
 */
public final class ArchiveUnavailableException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A lookup that could not be answered.
     *
     * @param message one line: which archive, what was looked up, and why it could not be answered.
     * @param cause   the underlying failure, or null for a lookup that ran out of time.
     */
    public ArchiveUnavailableException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
