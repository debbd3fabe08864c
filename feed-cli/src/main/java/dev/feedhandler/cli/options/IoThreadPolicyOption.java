package dev.feedhandler.cli.options;

/**
 * The help of {@code --io-thread-policy}, one text for every command that publishes.
 */
public final class IoThreadPolicyOption
{
    /** The option's description. */
    public static final String DESCRIPTION = "Linux scheduling policy of the publishing side's ZeroMQ I/O threads: " +
        "batch (SCHED_BATCH, set with util-linux's chrt: a woken I/O thread never preempts the thread that woke it, " +
        "which keeps JeroMQ's I/O thread from spinning on epoll_wait, docs/jeromq-tail.md) or other (left as the " +
        "JVM starts them; off Linux the threads are always left so) (default: ${DEFAULT-VALUE}).";

    private IoThreadPolicyOption()
    {
    }
}
