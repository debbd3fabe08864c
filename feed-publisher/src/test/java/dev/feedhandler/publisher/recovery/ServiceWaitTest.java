package dev.feedhandler.publisher.recovery;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the recovery service waits: not at all with work ready, briefly under traffic, long when idle; and what ends
 * a long wait early: a frame handed over (one ring per wait), a request, a wake-up. The idle wait here is an hour, so
 * only those can end it before the test's timeout.
 */
class ServiceWaitTest
{
    private static final byte[] TOPIC = "EURUSD".getBytes(StandardCharsets.US_ASCII);
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    private final ZContext context = new ZContext(1);
    private final RecoveryHandoff handoff = new RecoveryHandoff(64 * 1024);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);

    @AfterEach
    void close()
    {
        context.close();
    }

    @Test
    void shouldNotWaitWhileWorkIsReady()
    {
        assertThat(ServiceWait.waitMs(true, false, true)).isZero();
        assertThat(ServiceWait.waitMs(true, false, false)).isZero();
        assertThat(ServiceWait.waitMs(false, true, true)).isZero();
        assertThat(ServiceWait.waitMs(false, true, false)).isZero();
    }

    @Test
    void shouldWaitBrieflyUnderTrafficAndLongWhenIdle()
    {
        assertThat(ServiceWait.waitMs(false, false, true)).isEqualTo(ServiceWait.BUSY_WAIT_MS);
        assertThat(ServiceWait.waitMs(false, false, false)).isEqualTo(ServiceWait.IDLE_WAIT_MS);
        assertThat(ServiceWait.IDLE_WAIT_MS).isGreaterThan(ServiceWait.BUSY_WAIT_MS);
    }

    @Test
    void shouldRingOnceForTheFirstFrameHandedOverWhileArmed()
    {
        try (Doorbell doorbell = new Doorbell())
        {
            handoff.doorbell(doorbell);
            handoff.offer(TOPIC, payload, 0, 64);
            assertThat(doorbell.reset()).as("not armed: no ring").isZero();

            doorbell.arm();
            handoff.offer(TOPIC, payload, 0, 64);
            handoff.offer(TOPIC, payload, 0, 64);
            assertThat(doorbell.isArmed()).isFalse();
            assertThat(doorbell.reset()).as("one ring per wait").isEqualTo(1);

            doorbell.wake();
            doorbell.wake();
            assertThat(doorbell.reset()).as("a wake rings whatever the state").isEqualTo(2);
        }
    }

    @Test
    @Timeout(20)
    void shouldEndAnIdleWaitWhenAFrameIsHandedOver()
    {
        final ServiceWait waits = new ServiceWait(context.createSocket(SocketType.ROUTER), handoff, HOUR_MS);
        final CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> waits.await(false, false, false));
        await().atMost(Duration.ofSeconds(10)).until(waits::isArmed);
        handoff.offer(TOPIC, payload, 0, 64);
        waited.join();
        assertThat(waits.isArmed()).isFalse();
        waits.close();
    }

    @Test
    @Timeout(20)
    void shouldNotWaitLongWhenAFrameCameBeforeTheWait()
    {
        final ServiceWait waits = new ServiceWait(context.createSocket(SocketType.ROUTER), handoff, HOUR_MS);
        handoff.offer(TOPIC, payload, 0, 64);
        waits.await(false, false, false);
        assertThat(waits.isArmed()).isFalse();
        waits.close();
    }

    @Test
    @Timeout(20)
    void shouldEndAnIdleWaitWhenARequestComesOrWhenWoken()
    {
        final ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
        final int port = router.bindToRandomPort("tcp://127.0.0.1");
        final ServiceWait waits = new ServiceWait(router, handoff, HOUR_MS);
        final ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.connect("tcp://127.0.0.1:" + port);

        final CompletableFuture<Void> request = CompletableFuture.runAsync(() -> waits.await(false, false, false));
        await().atMost(Duration.ofSeconds(10)).until(waits::isArmed);
        dealer.send("request");
        request.join();
        assertThat(router.recvMsg(ZMQ.DONTWAIT)).as("the identity of the request that ended the wait").isNotNull();
        assertThat(router.recvStr(ZMQ.DONTWAIT)).isEqualTo("request");

        final CompletableFuture<Void> woken = CompletableFuture.runAsync(() -> waits.await(false, false, false));
        await().atMost(Duration.ofSeconds(10)).until(waits::isArmed);
        waits.wake();
        woken.join();
        waits.close();
    }
}
