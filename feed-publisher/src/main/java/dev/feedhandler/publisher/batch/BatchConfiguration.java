package dev.feedhandler.publisher.batch;

import dev.feedhandler.common.wire.WireFormat;

/**
 * Limits of the smart batcher, validated once.
 *
 * @param maxUpdates           most updates in one batch (1 to 65535).
 * @param maxBytes             most bytes in one batch payload, header included.
 * @param lingerNs             longest time an update waits in a batch while the source keeps producing or the
 *                             message budget is spent; 0 disables it (batches then close when full, when the
 *                             source has nothing ready and the budget allows, or when a budget token comes).
 * @param maxMessagesPerSecond the message budget: most batches per second over all topics while the linger does not
 *                             force more ({@link MessageBudget}); 0 or {@link Long#MAX_VALUE} for none.
 * @param maxLingerNs          longest the linger may stretch to while linger-closed batches alone would take the
 *                             message rate over the budget ({@link LingerControl}); equal to {@code lingerNs} for a
 *                             linger that never stretches (the default).
 */
public record BatchConfiguration(int maxUpdates, int maxBytes, long lingerNs, long maxMessagesPerSecond,
    long maxLingerNs)
{
    /**
     * Default most updates per batch. Below flat out the message budget and the linger close batches long before
     * (at 1M/s over 10 topics a message holds about 50 updates); flat out, 256 gave 7.5-7.7 M updates/s, 512 9.8-10.8
     * and 1,024 12.9-13.4 on the 2-core development machine, side by side, with the same latency at 100k/s and 1M/s
     * (docs/batching.md).
     */
    public static final int DEFAULT_MAX_UPDATES = 1024;

    /**
     * Default most bytes per batch: 1,024 quotes and the header, and no more than the subscriber's pooled receive
     * arrays take (64 KiB), so a full batch is received without an allocation.
     */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    /**
     * Default linger: 1 millisecond, the longest an update waits for the budget (the 100 us of before forced a
     * message per topic every 100 us at high rates: about 2 updates per message at 100k/s).
     */
    public static final long DEFAULT_LINGER_NS = 1_000_000;

    /**
     * Default message budget: 20,000 batches a second, about 0.1 core of JeroMQ on the publisher (5-6 us of CPU per
     * message, most of it in its I/O thread) and 0.06 on each subscriber (about 3 us), measured on the 2-core
     * development machine.
     */
    public static final long DEFAULT_MAX_MESSAGES_PER_SECOND = 20_000;

    /** The budget's burst: what an idle budget allows at once is one millisecond of its rate. */
    private static final long BURST_PER_SECOND = 1_000;

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
        if (maxMessagesPerSecond < 0)
        {
            throw new IllegalArgumentException("--batch-max-rate must not be negative");
        }
        if (maxLingerNs < lingerNs)
        {
            throw new IllegalArgumentException("--batch-linger-max must not be shorter than --batch-linger");
        }
    }

    /**
     * Limits with a linger that never stretches.
     *
     * @param maxUpdates           most updates in one batch.
     * @param maxBytes             most bytes in one batch payload.
     * @param lingerNs             longest wait of an update in a batch.
     * @param maxMessagesPerSecond the message budget.
     */
    public BatchConfiguration(final int maxUpdates, final int maxBytes, final long lingerNs,
        final long maxMessagesPerSecond)
    {
        this(maxUpdates, maxBytes, lingerNs, maxMessagesPerSecond, lingerNs);
    }

    /**
     * Limits with the default message budget.
     *
     * @param maxUpdates most updates in one batch.
     * @param maxBytes   most bytes in one batch payload.
     * @param lingerNs   longest wait of an update in a batch.
     */
    public BatchConfiguration(final int maxUpdates, final int maxBytes, final long lingerNs)
    {
        this(maxUpdates, maxBytes, lingerNs, DEFAULT_MAX_MESSAGES_PER_SECOND);
    }

    /**
     * The defaults: 1,024 updates, 64 KiB, 1 ms, 20,000 batches a second.
     *
     * @return default limits.
     */
    public static BatchConfiguration defaults()
    {
        return new BatchConfiguration(DEFAULT_MAX_UPDATES, DEFAULT_MAX_BYTES, DEFAULT_LINGER_NS,
            DEFAULT_MAX_MESSAGES_PER_SECOND);
    }

    /**
     * The message budget these limits ask for.
     *
     * @return a new budget.
     */
    public MessageBudget newBudget()
    {
        final long rate = maxMessagesPerSecond == Long.MAX_VALUE ? 0 : maxMessagesPerSecond;
        return new MessageBudget(rate, (int)Math.max(1, Math.min(Integer.MAX_VALUE, rate / BURST_PER_SECOND)));
    }
}
