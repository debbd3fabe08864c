package dev.feedhandler.cli.options;

/**
 * The help of {@code --io-thread-policy}, one text for every command that publishes.
 */
public final class IoThreadPolicyOption
{
    /** The option's description. */
    public static final String DESCRIPTION = "Linux scheduling policy of the publishing side's ZeroMQ I/O threads: " +
        "other (left as the JVM starts them) or batch (SCHED_BATCH, set with util-linux's chrt: a woken I/O thread " +
        "never preempts the thread that woke it, which keeps JeroMQ's I/O thread from spinning on epoll_wait and " +
        "saves CPU when the publisher's own threads share its cores, but makes it wait behind any other busy " +
        "process) (default: ${DEFAULT-VALUE}).";

    private IoThreadPolicyOption()
    {
    }
}
