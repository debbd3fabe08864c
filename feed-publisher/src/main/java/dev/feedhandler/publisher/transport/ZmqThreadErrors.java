package dev.feedhandler.publisher.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

import java.nio.channels.ClosedChannelException;

/**
 * What JeroMQ's own threads (I/O threads, reaper) do with an exception: by default a stack trace on stderr, which
 * shows up when a socket's peer or mailbox closes under them (a {@code ClosedChannelException} from
 * {@code Signaler.send} while a context terminates). Here it is one WARN line naming the thread, and the thread goes
 * on as JeroMQ decides; a {@code ClosedChannelException} (in every case seen, a mailbox's pipe closed while its socket
 * or context closed, as on a stop) is logged at DEBUG.
 */
public final class ZmqThreadErrors
{
    private static final Logger LOG = LoggerFactory.getLogger(ZmqThreadErrors.class);

    private ZmqThreadErrors()
    {
    }

    /**
     * Sets both of the context's exception handlers; call before its first socket (JeroMQ refuses it later).
     *
     * @param context a context that has no socket yet.
     * @return the context.
     */
    public static ZContext install(final ZContext context)
    {
        context.setUncaughtExceptionHandler(ZmqThreadErrors::onError);
        context.setNotificationExceptionHandler(ZmqThreadErrors::onError);
        return context;
    }

    /**
     * Logs one line for an exception of a JeroMQ thread.
     *
     * @param thread the thread.
     * @param error  what it threw.
     */
    static void onError(final Thread thread, final Throwable error)
    {
        final Throwable cause = error.getCause() != null ? error.getCause() : error;
        final String name = thread == null ? "?" : thread.getName();
        if (cause instanceof ClosedChannelException)
        {
            // A command for a mailbox whose socket or context is closing (JeroMQ closes the mailbox's pipe under
            // the thread that signals it): nothing of a live socket is lost, and on every stop it would be a
            // warning for the operator to ignore (seen on a publisher stopped during start-up).
            LOG.debug("JeroMQ thread {}: a channel closed under it while its socket or context closed: {}", name,
                oneLine(error));
            return;
        }
        LOG.warn("JeroMQ thread {}: {} ({})", name, oneLine(error), oneLine(cause));
    }

    private static String oneLine(final Throwable error)
    {
        final String text = error.toString();
        final int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
