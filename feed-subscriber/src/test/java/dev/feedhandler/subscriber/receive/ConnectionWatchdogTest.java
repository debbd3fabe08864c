package dev.feedhandler.subscriber.receive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake watchdog fed JeroMQ's monitor events directly (no sockets): which connection counts as stalled, and
 * the event history the replacement's warning quotes.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConnectionWatchdogTest
{
    private static final String ENDPOINT = "tcp://127.0.0.1:5555";
    private static final long TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private static zmq.ZMQ.Event event(final int kind, final String address, final Object arg)
    {
        return new zmq.ZMQ.Event(kind, address, arg);
    }

    @Test
    void shouldReportAConnectionWithoutAGreetingOnceItsTimeoutHasPassedWithItsEvents()
    {
        final ConnectionWatchdog watchdog = new ConnectionWatchdog(TIMEOUT_NS);
        watchdog.consume(event(zmq.ZMQ.ZMQ_EVENT_CONNECTED, ENDPOINT, null));

        assertThat(watchdog.stalled(System.nanoTime())).isNull();
        assertThat(watchdog.stalled(System.nanoTime() + 2 * TIMEOUT_NS)).isEqualTo(ENDPOINT);
        assertThat(watchdog.history(ENDPOINT)).matches("CONNECTED at \\d+ ms");
    }

    @Test
    void shouldCountAConnectionAsThroughOnceTheGreetingsWereExchanged()
    {
        final ConnectionWatchdog watchdog = new ConnectionWatchdog(TIMEOUT_NS);
        watchdog.consume(event(zmq.ZMQ.ZMQ_EVENT_CONNECTED, ENDPOINT, null));
        watchdog.consume(event(zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_PROTOCOL, ENDPOINT, 3));

        assertThat(watchdog.stalled(System.nanoTime() + 2 * TIMEOUT_NS)).isNull();
        assertThat(watchdog.history(ENDPOINT)).matches("CONNECTED at \\d+ ms, HANDSHAKE_PROTOCOL at \\d+ ms");
        assertThat(watchdog.history("tcp://127.0.0.1:1")).isEqualTo("none");
    }

    @Test
    void shouldKeepOnlyTheLastEventsOfAnEndpoint()
    {
        final ConnectionWatchdog watchdog = new ConnectionWatchdog(TIMEOUT_NS);
        for (int i = 0; i < ConnectionWatchdog.HISTORY_EVENTS; i++)
        {
            watchdog.consume(event(zmq.ZMQ.ZMQ_EVENT_CONNECTED, ENDPOINT, null));
            watchdog.consume(event(zmq.ZMQ.ZMQ_EVENT_DISCONNECTED, ENDPOINT, null));
        }
        watchdog.consume(event(zmq.ZMQ.ZMQ_EVENT_CONNECTED, ENDPOINT, null));

        final String history = watchdog.history(ENDPOINT);
        assertThat(history.split(", ")).hasSize(ConnectionWatchdog.HISTORY_EVENTS);
        assertThat(history).startsWith("DISCONNECTED at ").endsWith(" ms");
        assertThat(history.split(", ")[ConnectionWatchdog.HISTORY_EVENTS - 1]).startsWith("CONNECTED at ");
        assertThat(watchdog.stalled(System.nanoTime() + 2 * TIMEOUT_NS)).isEqualTo(ENDPOINT);
    }
}
