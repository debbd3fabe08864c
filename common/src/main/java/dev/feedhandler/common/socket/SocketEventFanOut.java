package dev.feedhandler.common.socket;

import org.zeromq.ZEvent;

import java.util.List;

/**
 * Hands each event of one socket to several consumers. A JeroMQ socket accepts a single event hook
 * ({@code setEventHook} throws if one is already set), so the event log and, say, a connection watchdog share it
 * through this. Events arrive on JeroMQ's I/O threads.
 */
public final class SocketEventFanOut implements ZEvent.ZEventConsummer
{
    private final List<ZEvent.ZEventConsummer> consumers;

    /**
     * A fan-out to the given consumers, called in order.
     *
     * @param consumers the consumers.
     */
    public SocketEventFanOut(final ZEvent.ZEventConsummer... consumers)
    {
        this.consumers = List.of(consumers);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void consume(final ZEvent event)
    {
        for (final ZEvent.ZEventConsummer consumer : consumers)
        {
            consumer.consume(event);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
        for (final ZEvent.ZEventConsummer consumer : consumers)
        {
            consumer.close();
        }
    }
}
