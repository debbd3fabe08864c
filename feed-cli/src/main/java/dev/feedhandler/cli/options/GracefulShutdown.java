package dev.feedhandler.cli.options;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT and SIGTERM into a graceful stop: the shutdown hook asks the running command to stop, then holds
 * the JVM until the command says it is {@link #done()} (its summary printed), for at most 10 seconds.
 */
public final class GracefulShutdown implements AutoCloseable
{
    private static final long MAX_WAIT_SECONDS = 10;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean inProgress;

    /**
     * Installs the hook.
     *
     * @param requestStop asks the command to stop; called on the hook's thread.
     */
    public GracefulShutdown(final Runnable requestStop)
    {
        hook = new Thread(() ->
        {
            inProgress = true;
            requestStop.run();
            try
            {
                done.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "graceful-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * The command has finished (summary printed); the JVM may exit.
     */
    public void done()
    {
        done.countDown();
    }

    /**
     * Whether a signal has started the JVM's shutdown.
     *
     * @return true once the hook runs.
     */
    public boolean inProgress()
    {
        return inProgress;
    }

    /**
     * Removes the hook unless the shutdown has already started.
     */
    @Override
    public void close()
    {
        done.countDown();
        if (!inProgress)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // Shutdown started meanwhile: the hook runs and returns at once since done is counted down.
            }
        }
    }
}
