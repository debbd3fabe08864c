package dev.feedhandler.publisher.shm;

import dev.feedhandler.common.shm.ShmLocation;
import dev.feedhandler.common.shm.ShmLogDescriptor;

/**
 * Where and how the publisher writes its shared-memory broadcast log for same-host subscribers.
 *
 * @param location      the log's name and directory ({@code /dev/shm} by default).
 * @param capacityBytes bytes of the ring, a power of two from 64 KiB to 1 GiB: how far a reader may fall behind
 *                      before it is lapped and must recover what it skipped.
 * @param group         a group given read access (mode 0640), or null for the publisher's user only (0600).
 * @param wakeReaders   whether the publisher wakes readers asleep on the log after each duty cycle that wrote (a
 *                      futex: one system call per cycle, and the kernel's work of waking each sleeping reader), so
 *                      they need not look on a timer; false leaves the publisher no work per reader at all.
 */
public record SharedMemoryConfiguration(ShmLocation location, int capacityBytes, String group, boolean wakeReaders)
{
    /** Default ring capacity: about six seconds of a 100k updates/s feed, one update per batch. */
    public static final int DEFAULT_CAPACITY_BYTES = 64 * 1024 * 1024;

    /**
     * Validates the capacity.
     *
     * @throws IllegalArgumentException with a one-line message for a bad capacity or a missing location.
     */
    public SharedMemoryConfiguration
    {
        if (location == null)
        {
            throw new IllegalArgumentException("a shared-memory location is required");
        }
        final String error = ShmLogDescriptor.checkCapacity(capacityBytes);
        if (error != null)
        {
            throw new IllegalArgumentException("--shm-capacity: " + error);
        }
        if (group != null && group.isBlank())
        {
            throw new IllegalArgumentException("--shm-group must not be blank");
        }
    }

    /**
     * Settings that wake readers.
     *
     * @param location      the log's name and directory.
     * @param capacityBytes bytes of the ring.
     * @param group         a group given read access, or null.
     */
    public SharedMemoryConfiguration(final ShmLocation location, final int capacityBytes, final String group)
    {
        this(location, capacityBytes, group, true);
    }

    /**
     * The default capacity, owner-only access.
     *
     * @param location where.
     * @return the settings.
     */
    public static SharedMemoryConfiguration of(final ShmLocation location)
    {
        return new SharedMemoryConfiguration(location, DEFAULT_CAPACITY_BYTES, null);
    }
}
