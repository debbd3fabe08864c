package dev.feedhandler.publisher.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts a context's I/O threads under {@code SCHED_BATCH} ({@link IoThreadPolicy#BATCH}). Java has no call for a
 * thread's scheduling policy, so each I/O thread, as it starts, finds its own thread id in {@code /proc/thread-self}
 * and has util-linux's {@code chrt} set it: one short child process per I/O thread, at start-up only. JeroMQ's other
 * threads (its reaper) are left alone.
 */
final class IoThreadScheduler
{
    /** The command, followed by the thread id, that puts a thread under {@code SCHED_BATCH}. */
    static final List<String> BATCH_COMMAND = List.of("chrt", "--batch", "--pid", "0");

    /** {@code SCHED_BATCH} in {@code /proc/.../stat}'s policy field. */
    static final int SCHED_BATCH = 3;

    private static final Logger LOG = LoggerFactory.getLogger(IoThreadScheduler.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final long COMMAND_TIMEOUT_MS = 5_000;
    private static final int STAT_POLICY_FIELD = 41;

    private IoThreadScheduler()
    {
    }

    /**
     * Sets the context's thread factory so that its I/O threads apply {@code command} to themselves first; the
     * threads are otherwise made as JeroMQ makes them (daemon, the context's uncaught-exception handler).
     *
     * @param context a context without sockets.
     * @param command the command line, to which the thread id is appended.
     */
    static void install(final ZContext context, final List<String> command)
    {
        context.setThreadFactor((runnable, name) ->
        {
            final Runnable body = name.startsWith("iothread") ? () ->
            {
                applyToCurrentThread(name, command);
                runnable.run();
            } : runnable;
            final Thread thread = new Thread(body, name);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(context.getUncaughtExceptionHandler());
            return thread;
        });
    }

    /**
     * Applies the command to the calling thread; the process's first failure is a warning naming the thread and why,
     * later ones are logged at debug level, and the thread goes on.
     *
     * @param name    the thread's name, for the warning.
     * @param command the command line, to which the thread id is appended.
     * @return whether it was applied.
     */
    static boolean applyToCurrentThread(final String name, final List<String> command)
    {
        final String failure = tryApply(command);
        if (failure != null)
        {
            // Once per process: the policy is the default, and a host without chrt would otherwise say the same for
            // every I/O thread of every context (feed, recovery service, conflated stream).
            if (WARNED.compareAndSet(false, true))
            {
                LOG.warn("JeroMQ I/O thread {} stays under SCHED_OTHER: {}; it may spin on epoll_wait when both " +
                    "cores are busy (docs/jeromq-tail.md); --io-thread-policy other silences this (said once; " +
                    "the other I/O threads at debug level)", name, failure);
            }
            else
            {
                LOG.debug("JeroMQ I/O thread {} stays under SCHED_OTHER: {}", name, failure);
            }
        }
        return failure == null;
    }

    /**
     * Whether this JVM runs on Linux, the one system whose scheduling policies {@code chrt} sets.
     *
     * @return true on Linux.
     */
    static boolean onLinux()
    {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    private static String tryApply(final List<String> command)
    {
        if (!onLinux())
        {
            return "scheduling policies are set on Linux only";
        }
        final String threadId;
        try
        {
            final String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            threadId = link.substring(link.lastIndexOf('/') + 1);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return "cannot read /proc/thread-self (" + ex.getMessage() + ")";
        }
        final List<String> line = new ArrayList<>(command);
        line.add(threadId);
        try
        {
            final Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                return String.join(" ", line) + " did not finish in " + COMMAND_TIMEOUT_MS + " ms";
            }
            if (process.exitValue() != 0)
            {
                final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return String.join(" ", line) + " exited with " + process.exitValue() +
                    (output.isBlank() ? "" : ": " + output.strip().lines().findFirst().orElse(""));
            }
            return null;
        }
        catch (final IOException ex)
        {
            return "cannot run " + command.get(0) + " (" + ex.getMessage() + ")";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted while " + command.get(0) + " ran";
        }
    }

    /**
     * The scheduling policy of a thread, from its {@code stat} file (Linux).
     *
     * @param stat e.g. {@code /proc/self/task/TID/stat}.
     * @return the policy number ({@code SCHED_OTHER} 0, {@code SCHED_BATCH} 3).
     * @throws IOException if the file cannot be read.
     */
    static int policyOf(final Path stat) throws IOException
    {
        final String text = Files.readString(stat);
        final String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        // Fields after the command name start at field 3.
        return Integer.parseInt(fields[STAT_POLICY_FIELD - 3]);
    }
}
