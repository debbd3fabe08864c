package dev.feedhandler.publisher.recovery;

import dev.feedhandler.common.socket.SocketWait;
import org.zeromq.ZMQ;

/**
 * How the recovery service's thread waits between duty cycles: in a {@link SocketWait} over its ROUTER socket and a
 * {@link Doorbell}, so a request or the first frame handed over after an idle spell wakes it at once, for as long as
 * {@link #waitMs} says. Not at all while work is ready (a full drain of the hand-off ring, pages to send); briefly
 * ({@link #BUSY_WAIT_MS}) while frames flow or catch-up streams are open, so the ring is drained in batches rather
 * than once per frame and a stream that follows the live feed sees new updates soon; long ({@link #IDLE_WAIT_MS})
 * when nothing is due, armed so that the next frame rings. An idle service so wakes about 10 times a second instead
 * of 200 (measured with perf/experiments/idle-cpu.sh; docs/benchmarks-publisher.md). Recovery thread only, except
 * {@link #wake()}.
 */
final class ServiceWait implements AutoCloseable
{
    /** The wait while frames flow or streams are open: the hand-off's lag under traffic. */
    static final long BUSY_WAIT_MS = 5;
    /**
     * The wait when nothing is due: a frame handed over, a request and a closing service ring before it ends, so its
     * length only bounds what a missed ring could cost (a frame that waits in the ring, never a lost one).
     */
    static final long IDLE_WAIT_MS = 100;

    private final RecoveryHandoff handoff;
    private final Doorbell doorbell;
    private final SocketWait wait;
    private final long idleWaitMs;

    /**
     * Waits over a socket, rung by the hand-off's frames.
     *
     * @param socket  the service's ROUTER.
     * @param handoff rings the doorbell when a frame comes while the service waits long.
     */
    ServiceWait(final ZMQ.Socket socket, final RecoveryHandoff handoff)
    {
        this(socket, handoff, IDLE_WAIT_MS);
    }

    /**
     * Waits over a socket with another idle wait (tests: an hour, so that only a ring can end it).
     *
     * @param socket     the service's ROUTER.
     * @param handoff    rings the doorbell when a frame comes while the service waits long.
     * @param idleWaitMs the wait when nothing is due.
     */
    ServiceWait(final ZMQ.Socket socket, final RecoveryHandoff handoff, final long idleWaitMs)
    {
        this.handoff = handoff;
        this.idleWaitMs = idleWaitMs;
        this.doorbell = new Doorbell();
        try
        {
            this.wait = new SocketWait(new ZMQ.Socket[] {socket}, doorbell.channel());
        }
        catch (final RuntimeException ex)
        {
            doorbell.close();
            throw ex;
        }
        handoff.doorbell(doorbell);
    }

    /**
     * How long to wait for a request before the next duty cycle.
     *
     * @param ringFull  the last drain took as many frames as it may: more wait.
     * @param streaming the last cycle sent stream pages and more may be due.
     * @param busy      frames came in the last cycle, streams are open, or the service is closing.
     * @return milliseconds: 0, {@link #BUSY_WAIT_MS} or {@link #IDLE_WAIT_MS}.
     */
    static long waitMs(final boolean ringFull, final boolean streaming, final boolean busy)
    {
        if (ringFull || streaming)
        {
            return 0;
        }
        return busy ? BUSY_WAIT_MS : IDLE_WAIT_MS;
    }

    /**
     * Waits as {@link #waitMs} says; a long wait is armed first and skipped if a frame came meanwhile.
     *
     * @param ringFull  as for {@link #waitMs}.
     * @param streaming as for {@link #waitMs}.
     * @param busy      as for {@link #waitMs}.
     */
    void await(final boolean ringFull, final boolean streaming, final boolean busy)
    {
        long waitMs = waitMs(ringFull, streaming, busy);
        if (waitMs == 0)
        {
            return;
        }
        if (waitMs == IDLE_WAIT_MS)
        {
            doorbell.arm();
            waitMs = handoff.isEmpty() ? idleWaitMs : 0;
        }
        if (waitMs > 0)
        {
            wait.await(waitMs);
        }
        doorbell.reset();
    }

    /**
     * Whether a long wait is armed, waiting for a ring (tests). Any thread.
     *
     * @return true while armed.
     */
    boolean isArmed()
    {
        return doorbell.isArmed();
    }

    /**
     * Ends the current wait, or the next one (the service is closing). Any thread.
     */
    void wake()
    {
        doorbell.wake();
    }

    /**
     * Closes the wait and the doorbell. Recovery thread, or the closing one if the thread never started.
     */
    @Override
    public void close()
    {
        handoff.doorbell(null);
        wait.close();
        doorbell.close();
    }
}
