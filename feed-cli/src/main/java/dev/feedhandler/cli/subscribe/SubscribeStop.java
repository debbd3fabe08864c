package dev.feedhandler.cli.subscribe;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * When {@code feed subscribe} stops, and why: each stop condition ends the command's wait with its reason, and the
 * first one met is the summary's {@code stopReason}. Conditions are met on the listener's thread (count, end of
 * session, stdout gone), a signal's thread or the command's own (duration, lines that are not one feed).
 */
final class SubscribeStop
{
    /**
     * Why the run stopped, as the summary's {@code stopReason} says it (the name in lower case).
     */
    enum Reason
    {
        /** {@code --count} updates were received. */
        COUNT,
        /** The publisher ended its session, with {@code --exit-on-end}. */
        END,
        /** {@code --duration} elapsed. */
        DURATION,
        /** SIGINT or SIGTERM, also during start-up (then nothing was received). */
        STOPPED,
        /** With {@code --print}, stdout lost its reader ({@code | head}). */
        OUTPUT_CLOSED,
        /** With {@code --arbitrate}, the lines turned out not to be one feed (the run then fails). */
        MISMATCH,
        /** With {@code --exit-on-end}, the publisher went away without ending its session (the run then fails). */
        PUBLISHER_GONE;

        /**
         * The summary's value.
         *
         * @return the name in lower case.
         */
        String value()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<Reason> reason = new AtomicReference<>();

    /**
     * Ends the run for this reason, unless another ended it first. Any thread; once per run is the rule, but more is
     * harmless.
     *
     * @param why the condition met.
     */
    void stop(final Reason why)
    {
        reason.compareAndSet(null, why);
        stopped.countDown();
    }

    /**
     * Waits until a condition ends the run, the duration elapses, or a condition the command checks is met (lines
     * that are not one feed, a publisher gone).
     *
     * @param duration the longest run, or null or zero for no limit.
     * @param check    the reason to stop now, or null to go on.
     * @param checkNs  how often to ask {@code check}.
     * @throws InterruptedException if the command's thread is interrupted.
     */
    void await(final Duration duration, final Supplier<Reason> check, final long checkNs)
        throws InterruptedException
    {
        final boolean bounded = duration != null && !duration.isZero();
        final long deadlineNs = bounded ? System.nanoTime() + duration.toNanos() : 0;
        while (true)
        {
            final long leftNs = bounded ? deadlineNs - System.nanoTime() : Long.MAX_VALUE;
            if (leftNs <= 0)
            {
                stop(Reason.DURATION);
                return;
            }
            if (stopped.await(Math.min(leftNs, checkNs), TimeUnit.NANOSECONDS))
            {
                return;
            }
            final Reason why = check.get();
            if (why != null)
            {
                stop(why);
                return;
            }
        }
    }

    /**
     * Whether a condition has ended the run.
     *
     * @return true once {@link #stop} was called.
     */
    boolean isStopped()
    {
        return stopped.getCount() == 0;
    }

    /**
     * Why the run stopped.
     *
     * @return the first condition met, or {@link Reason#STOPPED} if none was (the wait was interrupted).
     */
    Reason reason()
    {
        final Reason why = reason.get();
        return why == null ? Reason.STOPPED : why;
    }
}
