package dev.feedhandler.publisher.source.csv;

import java.io.IOException;

/**
 * Bytes of one input for a {@link LineReader}. A read never waits for bytes that have not arrived yet (inputs are
 * read ahead on another thread, see {@link ReadAhead}): it then returns 0, and the replay tries again at the next
 * poll, so that the publisher's thread never blocks on a disk or a pipe.
 */
interface ByteSource extends AutoCloseable
{
    /** Result of {@link #read}: the input has ended. */
    int END = -1;

    /**
     * Copies the next bytes into {@code destination}.
     *
     * @param destination where to copy; may be a different array from one call to the next.
     * @param offset      where the bytes go.
     * @param length      most bytes to copy, more than 0.
     * @return the number copied, 0 if none has arrived yet, or {@link #END}.
     * @throws IOException if the input cannot be read (a corrupt archive, a disk error).
     */
    int read(byte[] destination, int offset, int length) throws IOException;

    /**
     * Releases the input. Idempotent.
     *
     * @throws IOException if closing fails.
     */
    @Override
    void close() throws IOException;
}
