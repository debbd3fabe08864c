package dev.feedhandler.cli.options;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT and SIGTERM into a graceful stop: the shutdown hook asks the running command to stop, then holds
 * the JVM until the command says it is {@link #done()} (its summary printed), for at most 10 seconds.
 * <p>
 * The {@code feed} executable installs one hook for the whole process before anything else
 * ({@link #installForProcess()}): a signal that comes while the JVM loads classes and picocli parses the command
 * line (a second or two on a busy machine) is held too, and handed to the command when it makes its
 * {@code GracefulShutdown}; the command then stops at its first start-up step, with its summary. That hook holds
 * the JVM until the command line has run ({@link #processDone()}: summary and error line printed, resources
 * closed), and lets a signal end a command at once that has no graceful stop ({@link #noGracefulStop()}). Without
 * it (a command run in-process, by tests) each {@code GracefulShutdown} installs a hook of its own.
 */
public final class GracefulShutdown implements AutoCloseable
{
    private static final long MAX_WAIT_SECONDS = 10;

    private static volatile Hook processHook;

    private final Hook hook;
    private final boolean ownHook;

    /**
     * Installs the hook.
     *
     * @param requestStop asks the command to stop; called on the hook's thread, or at once if a signal came first.
     */
    public GracefulShutdown(final Runnable requestStop)
    {
        final Hook forProcess = processHook;
        // A command not marked GracefulCommand let the process hook go: it needs one of its own then.
        ownHook = forProcess == null || !forProcess.holding;
        hook = ownHook ? new Hook() : forProcess;
        hook.forwardTo(requestStop);
        if (ownHook)
        {
            Runtime.getRuntime().addShutdownHook(hook.thread);
        }
    }

    /**
     * Installs the hook of the {@code feed} process, first thing in {@code main}: from then on a signal waits for
     * the command's graceful stop. Test hook: {@link StopRequest#PAUSE_PROPERTY} {@code =parse} holds the start
     * here until a signal comes.
     */
    public static void installForProcess()
    {
        final Hook hook = new Hook();
        Runtime.getRuntime().addShutdownHook(hook.thread);
        processHook = hook;
        StopRequest.pauseIfAsked("parse", hook.signalled);
    }

    /**
     * The command line asks for no graceful stop (a command without one, help, a usage error): a signal ends the
     * process at once, and one that came already is let go.
     */
    public static void noGracefulStop()
    {
        final Hook hook = processHook;
        if (hook != null)
        {
            hook.holding = false;
            hook.done.countDown();
        }
    }

    /**
     * The command line has run (its summary and any error printed): the process hook lets the JVM exit.
     */
    public static void processDone()
    {
        final Hook hook = processHook;
        if (hook != null)
        {
            hook.done.countDown();
        }
    }

    /**
     * The command has finished (summary printed); the JVM may exit. With the process hook, the JVM waits for
     * {@link #processDone()} instead, so that an error line after the summary is printed too.
     */
    public void done()
    {
        if (ownHook)
        {
            hook.done.countDown();
        }
    }

    /**
     * Whether a signal has started the JVM's shutdown.
     *
     * @return true once the hook runs.
     */
    public boolean inProgress()
    {
        return hook.signalled.getCount() == 0;
    }

    /**
     * Removes the hook unless the shutdown has already started; the process hook stays, and stops forwarding.
     */
    @Override
    public void close()
    {
        if (!ownHook)
        {
            hook.forwardTo(null);
            return;
        }
        hook.done.countDown();
        if (!inProgress())
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook.thread);
            }
            catch (final IllegalStateException ex)
            {
                // Shutdown started meanwhile: the hook runs and returns at once since done is counted down.
            }
        }
    }

    /** The shutdown hook: tells the command to stop, then holds the JVM until it is done. */
    private static final class Hook
    {
        private final CountDownLatch signalled = new CountDownLatch(1);
        private final CountDownLatch done = new CountDownLatch(1);
        private final Thread thread = new Thread(this::onSignal, "graceful-shutdown");
        private volatile Runnable requestStop;
        private volatile boolean holding = true;

        private void forwardTo(final Runnable stop)
        {
            requestStop = stop;
            if (stop != null && signalled.getCount() == 0)
            {
                stop.run();
            }
        }

        private void onSignal()
        {
            signalled.countDown();
            final Runnable stop = requestStop;
            if (stop != null)
            {
                stop.run();
            }
            if (!holding)
            {
                return;
            }
            try
            {
                done.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
