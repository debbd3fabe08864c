package dev.feedhandler.cli.options;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stop asked for by SIGINT or SIGTERM (the {@link GracefulShutdown} hook runs it) at any moment after the command
 * line is parsed. During start-up the command asks {@link #before(String)} ahead of each step that takes time or
 * holds something (opening the journal, binding sockets, running): once a stop was asked for, it releases what it
 * has opened and prints its summary, at zero, instead of going on. Once the running part exists, the stop goes to it
 * ({@link #forwardTo(Runnable)}).
 * <p>
 * Test hook: with the system property {@value #PAUSE_PROPERTY} set to a step's name, start-up logs
 * "start-up paused before STEP" and waits there until a stop is asked for (at most {@value #MAX_PAUSE_SECONDS} s), so
 * that a test delivers its signal at a known point instead of sleeping and hoping; the step {@code parse} is before
 * the command line is parsed ({@link GracefulShutdown#installForProcess()}).
 */
public final class StopRequest implements Runnable
{
    /** The test hook's system property: the step before which start-up waits for a stop. */
    public static final String PAUSE_PROPERTY = "feed.test.pause-before";

    /** The longest a paused start-up waits for a stop before it goes on. */
    static final long MAX_PAUSE_SECONDS = 60;

    private static final Logger LOG = LoggerFactory.getLogger(StopRequest.class);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final String activity;
    private volatile Runnable target;
    private boolean reported;

    /**
     * A stop not asked for yet.
     *
     * @param activity what the command does once started, for the log line: publishing, subscribing, replaying.
     */
    public StopRequest(final String activity)
    {
        this.activity = activity;
    }

    /**
     * Asks for the stop (the shutdown hook's thread): the running part, if there is one yet, is told at once.
     */
    @Override
    public void run()
    {
        requested.countDown();
        final Runnable current = target;
        if (current != null)
        {
            current.run();
        }
    }

    /**
     * Whether a stop was asked for.
     *
     * @return true once {@link #run()} was called.
     */
    public boolean requested()
    {
        return requested.getCount() == 0;
    }

    /**
     * From now on a stop goes to the running part; at once if it was asked for already. The part may be told twice.
     *
     * @param stop asks the running part to stop; safe from any thread.
     */
    public void forwardTo(final Runnable stop)
    {
        target = stop;
        if (requested())
        {
            stop.run();
        }
    }

    /**
     * Start-up is about to take a step: whether to stop instead. The first time it answers yes it logs that the
     * command stopped during start-up. Called on the command's thread.
     *
     * @param step the step's name, such as {@code bind}; the test hook's value.
     * @return true if a stop was asked for: release what is open and print the summary.
     */
    public boolean before(final String step)
    {
        pauseIfAsked(step, requested);
        if (!requested())
        {
            return false;
        }
        if (!reported)
        {
            reported = true;
            LOG.info("stopped during start-up (before step {}), before {}", step, activity);
        }
        return true;
    }

    /**
     * The test hook: if {@value #PAUSE_PROPERTY} names this step, waits until the signal (at most
     * {@value #MAX_PAUSE_SECONDS} s).
     */
    static void pauseIfAsked(final String step, final CountDownLatch signal)
    {
        if (!step.equals(System.getProperty(PAUSE_PROPERTY)))
        {
            return;
        }
        LOG.info("start-up paused before {} until SIGINT/SIGTERM (-D{})", step, PAUSE_PROPERTY);
        try
        {
            signal.await(MAX_PAUSE_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
