package dev.feedhandler.publisher.recovery;

import dev.feedhandler.journal.RemoteJournal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the publisher's recovery service, validated once.
 *
 * @param bind            the ROUTER endpoint, or null for the default: the first tcp feed endpoint's port + 1 on the
 *                        same host (a wildcard port if the feed's is one); with no tcp feed endpoint, no service.
 * @param windowBytes     size of the in-memory window of recent batches.
 * @param maxReplyUpdates most updates (gap fill) or topics (snapshot) per reply; larger requests are paged.
 * @param maxReplyBytes   most payload bytes per reply (at least one batch is always sent).
 * @param ringBytes       capacity of the hand-off ring from the publisher's thread.
 * @param linger          after the session ends, serve requests until none has come for this long.
 * @param journal         the publisher's journal directory, read for what the window no longer holds, or null.
 * @param drop            the test hook {@code --drop-batches}; {@link DropSpec#NONE} in production.
 * @param remoteJournal   the journal's copy off this host ({@code --recovery-kafka}), read for what neither the
 *                        window nor the journal holds, or null.
 * @param lingerMax       after the session ends, while subscribers are still connected to the service (and the
 *                        number of connections is known: {@code RecoveryService#connectedClients}), go on serving
 *                        after the linger, until they leave or this long after the session's end.
 */
public record RecoveryConfiguration(
    String bind,
    int windowBytes,
    int maxReplyUpdates,
    int maxReplyBytes,
    int ringBytes,
    Duration linger,
    Path journal,
    DropSpec drop,
    RemoteJournal remoteJournal,
    Duration lingerMax)
{
    /** Default window: 64 MiB of recent batches. */
    public static final int DEFAULT_WINDOW_BYTES = 64 * 1024 * 1024;

    /** Default page size in updates. */
    public static final int DEFAULT_MAX_REPLY_UPDATES = 10_000;

    /** Default page size in bytes. */
    public static final int DEFAULT_MAX_REPLY_BYTES = 2 * 1024 * 1024;

    /** Default hand-off ring: 16 MiB, a thousand full batches. */
    public static final int DEFAULT_RING_BYTES = 16 * 1024 * 1024;

    /** Default linger after the session ends. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(1);

    /** Default longest wait after the session ends for subscribers still connected to the service. */
    public static final Duration DEFAULT_LINGER_MAX = Duration.ofSeconds(30);

    /** The value of {@code --recovery-bind} that turns the service off. */
    public static final String NONE = "none";

    /**
     * Settings without a copy of the journal off this host.
     *
     * @param bind            the ROUTER endpoint, or null for the default.
     * @param windowBytes     size of the in-memory window of recent batches.
     * @param maxReplyUpdates most updates or topics per reply.
     * @param maxReplyBytes   most payload bytes per reply.
     * @param ringBytes       capacity of the hand-off ring.
     * @param linger          after the session ends, serve requests until none has come for this long.
     * @param journal         the publisher's journal directory, or null.
     * @param drop            the test hook.
     */
    public RecoveryConfiguration(final String bind, final int windowBytes, final int maxReplyUpdates,
        final int maxReplyBytes, final int ringBytes, final Duration linger, final Path journal, final DropSpec drop)
    {
        this(bind, windowBytes, maxReplyUpdates, maxReplyBytes, ringBytes, linger, journal, drop, null,
            DEFAULT_LINGER_MAX);
    }

    /**
     * Validates the settings.
     */
    public RecoveryConfiguration
    {
        if (windowBytes < 64 * 1024 || windowBytes > 1 << 30)
        {
            throw new IllegalArgumentException("--recovery-window must be between 64k and 1g, was " + windowBytes);
        }
        if (maxReplyUpdates < 1)
        {
            throw new IllegalArgumentException("--recovery-max-reply must be at least 1, was " + maxReplyUpdates);
        }
        if (maxReplyBytes < 1024)
        {
            throw new IllegalArgumentException("the recovery reply byte limit must be at least 1 KiB");
        }
        if (ringBytes < 64 * 1024 || Integer.bitCount(ringBytes) != 1)
        {
            throw new IllegalArgumentException("the recovery ring must be a power of two of at least 64 KiB");
        }
        if (linger == null || linger.isNegative())
        {
            throw new IllegalArgumentException("--recovery-linger must not be negative");
        }
        if (lingerMax == null || lingerMax.isNegative())
        {
            throw new IllegalArgumentException("--recovery-linger-max must not be negative");
        }
        if (drop == null)
        {
            drop = DropSpec.NONE;
        }
    }

    /**
     * The defaults, on the default endpoint, without a journal.
     *
     * @return the settings.
     */
    public static RecoveryConfiguration defaults()
    {
        return new RecoveryConfiguration(null, DEFAULT_WINDOW_BYTES, DEFAULT_MAX_REPLY_UPDATES,
            DEFAULT_MAX_REPLY_BYTES, DEFAULT_RING_BYTES, DEFAULT_LINGER, null, DropSpec.NONE);
    }

    /**
     * These settings on another endpoint.
     *
     * @param endpoint the ROUTER endpoint.
     * @return a copy.
     */
    public RecoveryConfiguration withBind(final String endpoint)
    {
        return new RecoveryConfiguration(endpoint, windowBytes, maxReplyUpdates, maxReplyBytes, ringBytes, linger,
            journal, drop, remoteJournal, lingerMax);
    }

    /**
     * These settings reading a journal.
     *
     * @param directory the journal directory, or null.
     * @return a copy.
     */
    public RecoveryConfiguration withJournal(final Path directory)
    {
        return new RecoveryConfiguration(bind, windowBytes, maxReplyUpdates, maxReplyBytes, ringBytes, linger,
            directory, drop, remoteJournal, lingerMax);
    }

    /**
     * These settings reading a copy of the journal off this host.
     *
     * @param copy the copy, or null.
     * @return a copy of the settings.
     */
    public RecoveryConfiguration withRemoteJournal(final RemoteJournal copy)
    {
        return new RecoveryConfiguration(bind, windowBytes, maxReplyUpdates, maxReplyBytes, ringBytes, linger,
            journal, drop, copy, lingerMax);
    }

    /**
     * These settings with the test hook.
     *
     * @param spec what to drop.
     * @return a copy.
     */
    public RecoveryConfiguration withDrop(final DropSpec spec)
    {
        return new RecoveryConfiguration(bind, windowBytes, maxReplyUpdates, maxReplyBytes, ringBytes, linger,
            journal, spec, remoteJournal, lingerMax);
    }

    /**
     * These settings with another page size.
     *
     * @param updates most updates per reply.
     * @return a copy.
     */
    public RecoveryConfiguration withMaxReplyUpdates(final int updates)
    {
        return new RecoveryConfiguration(bind, windowBytes, updates, maxReplyBytes, ringBytes, linger, journal, drop,
            remoteJournal, lingerMax);
    }

    /**
     * These settings with another linger.
     *
     * @param duration the linger.
     * @return a copy.
     */
    public RecoveryConfiguration withLinger(final Duration duration)
    {
        return new RecoveryConfiguration(bind, windowBytes, maxReplyUpdates, maxReplyBytes, ringBytes, duration,
            journal, drop, remoteJournal, lingerMax);
    }

    /**
     * These settings with another longest linger for connected subscribers.
     *
     * @param duration the longest linger, from the session's end.
     * @return a copy.
     */
    public RecoveryConfiguration withLingerMax(final Duration duration)
    {
        return new RecoveryConfiguration(bind, windowBytes, maxReplyUpdates, maxReplyBytes, ringBytes, linger,
            journal, drop, remoteJournal, duration);
    }
}
