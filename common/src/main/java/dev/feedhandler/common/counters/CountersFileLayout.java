package dev.feedhandler.common.counters;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The layout of a counters file: a header that says which process wrote it, then Agrona's counters metadata and
 * values ({@link CountersReader}), then a {@link org.agrona.concurrent.errors.DistinctErrorLog}. Every field is
 * little-endian; every section starts at a multiple of 64 bytes.
 * <pre>
 *  offset  size  field
 *  0       8     magic: the ASCII bytes "FEEDCNTR"
 *  8       4     version ({@value #VERSION}); written last, so 0 means "being created"
 *  12      4     header length ({@value #HEADER_LENGTH})
 *  16      8     pid of the writing process
 *  24      8     start time of that process, epoch ms (-1 if the OS does not say)
 *  32      8     time the file was created, epoch ms
 *  40      4     metadata length (counters capacity x {@value CountersReader#METADATA_LENGTH})
 *  44      4     values length (counters capacity x {@value CountersReader#COUNTER_LENGTH})
 *  48      4     error log length
 *  52      4     reserved (0)
 *  56      64    role: int length, then up to 60 bytes UTF-8 ("publish", "subscribe", ...)
 *  120     128   name: int length, then up to 124 bytes UTF-8 (the file's name without ".counters")
 *  248     264   description: int length, then up to 260 bytes UTF-8 (what the process is, such as its command)
 *  512           metadata, then values, then the error log
 * </pre>
 * A process that ends cleanly deletes its file; a file whose process is gone (or whose pid now belongs to a
 * process started at another time) was left behind by a crash and is stale.
 */
public final class CountersFileLayout
{
    /** File name suffix. */
    public static final String SUFFIX = ".counters";

    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    /** "FEEDCNTR" read as a little-endian long. */
    public static final long MAGIC = 0x52544E4344454546L;

    /** Bytes before the metadata. */
    public static final int HEADER_LENGTH = 512;

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int HEADER_LENGTH_OFFSET = 12;
    static final int PID_OFFSET = 16;
    static final int PROCESS_START_OFFSET = 24;
    static final int CREATED_OFFSET = 32;
    static final int METADATA_LENGTH_OFFSET = 40;
    static final int VALUES_LENGTH_OFFSET = 44;
    static final int ERROR_LOG_LENGTH_OFFSET = 48;
    static final int ROLE_OFFSET = 56;
    static final int ROLE_CAPACITY = 60;
    static final int NAME_OFFSET = 120;
    static final int NAME_CAPACITY = 124;
    static final int DESCRIPTION_OFFSET = 248;
    static final int DESCRIPTION_CAPACITY = 260;

    private CountersFileLayout()
    {
    }

    /**
     * Bytes of a file with this many counters and this error log.
     *
     * @param counters      counters capacity.
     * @param errorLogBytes error log bytes.
     * @return the file length.
     */
    static long fileLength(final int counters, final int errorLogBytes)
    {
        return HEADER_LENGTH + (long)counters * (CountersReader.METADATA_LENGTH + CountersReader.COUNTER_LENGTH) +
            errorLogBytes;
    }

    static void putString(final MutableDirectBuffer buffer, final int offset, final int capacity, final String text)
    {
        byte[] bytes = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > capacity)
        {
            // Cut on a character boundary: drop continuation bytes at the cut.
            int length = capacity;
            while (length > 0 && (bytes[length] & 0xC0) == 0x80)
            {
                length--;
            }
            bytes = java.util.Arrays.copyOf(bytes, length);
        }
        buffer.putInt(offset, bytes.length, ORDER);
        buffer.putBytes(offset + Integer.BYTES, bytes);
    }

    static String getString(final DirectBuffer buffer, final int offset, final int capacity)
    {
        final int length = buffer.getInt(offset, ORDER);
        if (length < 0 || length > capacity)
        {
            return "?";
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset + Integer.BYTES, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
