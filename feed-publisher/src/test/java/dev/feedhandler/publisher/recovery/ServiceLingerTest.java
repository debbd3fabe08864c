package dev.feedhandler.publisher.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the recovery service's linger after its session, each test bounded by a linger or a cap far longer
 * than its {@code @Timeout} wherever the rule under test must end the wait instead.
 */
@Timeout(30)
class ServiceLingerTest
{
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void shouldEndAfterTheLingerWhenNoSubscriberIsConnected()
    {
        final ServiceLinger linger = new ServiceLinger(Duration.ofMillis(50), HOUR);
        linger.clients(() -> 0);

        linger.await(() -> Long.MIN_VALUE, () -> false, "test");
    }

    @Test
    void shouldEndAfterTheLingerWhenTheConnectionsAreUnknown()
    {
        final ServiceLinger linger = new ServiceLinger(Duration.ofMillis(50), HOUR);

        linger.await(() -> Long.MIN_VALUE, () -> false, "test");
    }

    @Test
    void shouldGoOnWhileASubscriberIsConnectedAndEndWhenItLeaves() throws Exception
    {
        final ServiceLinger linger = new ServiceLinger(Duration.ofMillis(10), HOUR);
        final AtomicInteger connected = new AtomicInteger(1);
        linger.clients(connected::get);
        final AtomicBoolean over = new AtomicBoolean();
        final Thread closer = new Thread(() ->
        {
            linger.await(() -> Long.MIN_VALUE, () -> false, "test");
            over.set(true);
        });
        closer.start();

        // Long past the linger: still waiting for the connected subscriber.
        closer.join(500);
        assertThat(over).isFalse();

        connected.set(0);
        closer.join();
        assertThat(over).isTrue();
    }

    @Test
    void shouldEndAtTheCapWithSubscribersStillConnected()
    {
        final ServiceLinger linger = new ServiceLinger(Duration.ofMillis(10), Duration.ofMillis(300));
        linger.clients(() -> 2);

        linger.await(() -> Long.MIN_VALUE, () -> false, "test");
    }

    @Test
    void shouldGoOnWhileRequestsComeWhateverTheConnections() throws Exception
    {
        final ServiceLinger linger = new ServiceLinger(Duration.ofMillis(100), Duration.ZERO);
        final AtomicBoolean over = new AtomicBoolean();
        final AtomicBoolean asking = new AtomicBoolean(true);
        final AtomicLong lastRequestNs = new AtomicLong(Long.MIN_VALUE);
        // While asking, every look finds a request that has just come; then the last one stays where it was.
        final LongSupplier requests = () -> asking.get() ? lastRequestNs.updateAndGet(ignored -> System.nanoTime()) :
            lastRequestNs.get();
        final Thread closer = new Thread(() ->
        {
            linger.await(requests, () -> false, "test");
            over.set(true);
        });
        closer.start();

        closer.join(500);
        assertThat(over).as("requests kept coming").isFalse();

        asking.set(false);
        closer.join();
        assertThat(over).isTrue();
    }

    @Test
    void shouldNotWaitForConnectedSubscribersAfterAStop()
    {
        final ServiceLinger linger = new ServiceLinger(Duration.ofMillis(50), HOUR);
        linger.clients(() -> 1);
        linger.stopRequested();

        linger.await(() -> Long.MIN_VALUE, () -> false, "test");
    }

    @Test
    void shouldEndAtOnceWhenEndedOrTheServiceStopped()
    {
        final ServiceLinger ended = new ServiceLinger(HOUR, HOUR);
        ended.clients(() -> 1);
        ended.end();
        ended.await(() -> Long.MIN_VALUE, () -> false, "test");

        final ServiceLinger stopped = new ServiceLinger(HOUR, HOUR);
        stopped.await(() -> Long.MIN_VALUE, () -> true, "test");
    }
}
