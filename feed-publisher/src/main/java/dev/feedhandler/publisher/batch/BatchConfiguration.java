package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.wire.WireFormat;

/**
 * Limits of the smart batcher, validated once.
 *
 * @param maxUpdates most updates in one batch (1 to 65535).
 * @param maxBytes   most bytes in one batch payload, header included.
 * @param lingerNs   longest time an update waits in a batch while the source keeps producing; 0 disables it
 *                   (batches then close only when full or when the source has nothing ready).
 */
public record BatchConfiguration(int maxUpdates, int maxBytes, long lingerNs)
{
    /** Default most updates per batch. */
    public static final int DEFAULT_MAX_UPDATES = 256;

    /** Default most bytes per batch. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;

    /** Default linger: 100 microseconds. */
    public static final long DEFAULT_LINGER_NS = 100_000;

    /** Smallest batch payload that holds a header and one update. */
    public static final int MIN_MAX_BYTES = WireFormat.BATCH_HEADER_LENGTH + WireFormat.MAX_UPDATE_LENGTH;

    /** Largest batch payload accepted. */
    public static final int MAX_MAX_BYTES = 4 * 1024 * 1024;

    /**
     * Validates the limits.
     */
    public BatchConfiguration
    {
        if (maxUpdates < 1 || maxUpdates > WireFormat.MAX_UPDATES_PER_BATCH)
        {
            throw new IllegalArgumentException(
                "--batch-max-updates must be between 1 and " + WireFormat.MAX_UPDATES_PER_BATCH + ", was " +
                maxUpdates);
        }
        if (maxBytes < MIN_MAX_BYTES || maxBytes > MAX_MAX_BYTES)
        {
            throw new IllegalArgumentException("--batch-max-bytes must be between " + MIN_MAX_BYTES + " and " +
                MAX_MAX_BYTES + ", was " + maxBytes);
        }
        if (lingerNs < 0)
        {
            throw new IllegalArgumentException("--batch-linger must not be negative");
        }
    }

    /**
     * The defaults: 256 updates, 16 KiB, 100 us.
     *
     * @return default limits.
     */
    public static BatchConfiguration defaults()
    {
        return new BatchConfiguration(DEFAULT_MAX_UPDATES, DEFAULT_MAX_BYTES, DEFAULT_LINGER_NS);
    }
}
