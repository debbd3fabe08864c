package dev.feedhandler.journal;

import net.openhft.chronicle.core.shutdown.PriorityHook;

/**
 * Chronicle registers one JVM shutdown hook of its own ({@link PriorityHook}) the first time one of its classes needs
 * it, such as the resource releaser that a queue's first mapped file initialises. Once a signal has started the JVM's
 * shutdown, the JVM refuses new hooks: the Chronicle class that asked then fails for good (seen: a SIGTERM while a
 * publisher opened its journal ended in an {@code ExceptionInInitializerError} and the stack traces of two threads,
 * not in the publisher's summary). Asked here first, before a queue opens, it cannot fail that way: the hook is
 * registered, or the JVM is already shutting down and refuses it, but {@link PriorityHook} keeps its instance either
 * way, so Chronicle's own classes later add to it instead of asking the JVM.
 */
final class ChronicleShutdownHook
{
    private static final Runnable NOTHING = () ->
    {
    };

    private static boolean registered;

    private ChronicleShutdownHook()
    {
    }

    /**
     * Makes sure Chronicle's hook is registered, or will not be asked for again.
     */
    static synchronized void ensureRegistered()
    {
        if (registered)
        {
            return;
        }
        registered = true;
        try
        {
            PriorityHook.add(Integer.MAX_VALUE, NOTHING);
        }
        catch (final IllegalStateException ex)
        {
            // Shutdown in progress (a signal during start-up): PriorityHook keeps its instance all the same.
        }
    }
}
