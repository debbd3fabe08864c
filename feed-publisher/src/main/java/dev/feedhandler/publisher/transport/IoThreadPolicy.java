package dev.feedhandler.publisher.transport;

import org.zeromq.ZContext;

/**
 * The Linux scheduling policy of a publisher's JeroMQ I/O threads.
 * <p>
 * JeroMQ 0.6.0 wakes an I/O thread by writing a byte into a pipe and only then counting the signal
 * ({@code zmq.Signaler.send()}). A pipe write wakes the reader on the writer's core, and a normal thread woken there
 * may preempt the writer between those two steps; the I/O thread then finds no signal counted, never reads the byte,
 * and spins on {@code epoll_wait} until the publishing thread gets the core back, a time slice later
 * (docs/jeromq-tail.md). A {@code SCHED_BATCH} thread never preempts the thread that woke it, so that window never
 * opens: measured side by side at 100k updates/s, the publisher's I/O thread made 7,000 instead of 53,000-69,000
 * {@code epoll_wait} calls a second and the publisher used 0.28 instead of 0.46-0.50 of a core. A batch thread
 * preempts nobody else either, so it waits for the core while the publishing thread works; the publisher parks after
 * every duty cycle, so that wait is short. With another process keeping a core busy (a subscriber's 50 µs-per-update
 * listener on the same 2 cores), the conflated price's p99 age was 3.3-3.4 ms with batch against 6.5 ms without,
 * interleaved: the spin took the one core left from everything else. Hence the default.
 */
public enum IoThreadPolicy
{
    /** {@code SCHED_BATCH}: woken I/O threads wait for the core instead of preempting the thread that woke them. */
    BATCH,
    /** {@code SCHED_OTHER}: the policy the JVM starts threads with; nothing is changed. */
    OTHER;

    /** The policy a publisher's contexts get unless told otherwise. */
    public static final IoThreadPolicy DEFAULT = BATCH;

    /**
     * Makes the context start its I/O threads with this policy; call before its first socket (JeroMQ starts its
     * threads then). Off Linux nothing is changed (SCHED_BATCH and {@code chrt} are Linux's). Where
     * {@code chrt} cannot set it, the threads run as they are and one warning per process says why.
     *
     * @param context a context without sockets.
     * @return the context.
     */
    public ZContext install(final ZContext context)
    {
        if (this == BATCH && IoThreadScheduler.onLinux())
        {
            IoThreadScheduler.install(context, IoThreadScheduler.BATCH_COMMAND);
        }
        return context;
    }
}
