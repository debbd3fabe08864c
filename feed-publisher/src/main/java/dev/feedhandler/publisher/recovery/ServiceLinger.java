package dev.feedhandler.publisher.recovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How long the recovery service goes on answering after its session ended. Until no request has come for the
 * linger ({@code --recovery-linger}), counted from the session's end or the last request; and, when the number of
 * subscribers connected to the service is known, for as long as any is still connected, up to the longest linger
 * ({@code --recovery-linger-max}) from the session's end. A subscriber lets go of the service once it has passed
 * the session's end on with nothing left to recover, so the second rule keeps the service for those still behind:
 * one whose tail (and the end with it) the feed socket's close discarded goes stale three heartbeat intervals after
 * its last frame and only then asks for it. A stop (SIGTERM) asked for during the session leaves only the first rule;
 * asked for while the service lingers, it ends the wait at once.
 */
final class ServiceLinger
{
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLinger.class);
    /** Longest park of the closing thread between looks (a dead service thread ends the wait too). */
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long lingerNs;
    private final long maxNs;
    private volatile IntSupplier clients;
    private volatile boolean ended;
    private volatile boolean stopAsked;
    private volatile Thread closer;

    ServiceLinger(final Duration linger, final Duration max)
    {
        this.lingerNs = linger.toNanos();
        this.maxNs = max.toNanos();
    }

    /**
     * How many subscribers are connected to the service now (from its socket's event log), or null if unknown.
     */
    void clients(final IntSupplier connected)
    {
        this.clients = connected;
    }

    /**
     * A stop was asked for: connected subscribers no longer make the service wait. Safe from any thread.
     */
    void stopRequested()
    {
        stopAsked = true;
    }

    /**
     * Ends the wait now. Safe from any thread.
     */
    void end()
    {
        ended = true;
        final Thread thread = closer;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Waits on the calling thread until the linger is over, the wait is {@link #end() ended} or the service stopped.
     *
     * @param lastRequestNs the {@link System#nanoTime()} of the last request, {@link Long#MIN_VALUE} for none.
     * @param stopped       whether the service's thread has stopped.
     * @param endpoint      the service's endpoint, for the log.
     */
    void await(final LongSupplier lastRequestNs, final BooleanSupplier stopped, final String endpoint)
    {
        final long startNs = System.nanoTime();
        closer = Thread.currentThread();
        boolean told = false;
        while (!stopped.getAsBoolean() && !ended && !Thread.currentThread().isInterrupted())
        {
            final long nowNs = System.nanoTime();
            final long lastNs = lastRequestNs.getAsLong();
            final long idleSinceNs = lastNs == Long.MIN_VALUE || lastNs - startNs < 0 ? startNs : lastNs;
            long leftNs = idleSinceNs + lingerNs - nowNs;
            if (leftNs <= 0)
            {
                final IntSupplier connected = clients;
                final int count = connected == null || stopAsked ? 0 : connected.getAsInt();
                final long capLeftNs = startNs + maxNs - nowNs;
                if (count <= 0 || capLeftNs <= 0)
                {
                    if (count > 0)
                    {
                        LOG.warn("recovery service {}: stops {} after the session's end with {} subscriber(s) still " +
                            "connected (--recovery-linger-max)", endpoint, Duration.ofNanos(maxNs), count);
                    }
                    return;
                }
                if (!told)
                {
                    told = true;
                    LOG.info("recovery service {}: session over, {} subscriber(s) still connected; answering until " +
                        "they have the session's end, at most {} after it (--recovery-linger-max)", endpoint, count,
                        Duration.ofNanos(maxNs));
                }
                leftNs = capLeftNs;
            }
            // Until the linger's end as it stands (a request moves it later: look again then); end() unparks.
            LockSupport.parkNanos(this, Math.min(leftNs, MAX_PARK_NS));
        }
    }
}
