package dev.feedhandler.common.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketWaitTest
{
    private final ZContext context = new ZContext(1);

    @AfterEach
    void closeContext()
    {
        context.close();
    }

    @Test
    void shouldReturnAtOnceWhenASocketAlreadyHasAMessage()
    {
        final ZMQ.Socket[] pair = pair("ready");
        pair[0].send("x");
        try (SocketWait wait = SocketWait.of(pair[1]))
        {
            assertThat(wait.await(TimeUnit.HOURS.toMillis(1))).isTrue();
            assertThat(pair[1].recvStr(ZMQ.DONTWAIT)).isEqualTo("x");
        }
    }

    @Test
    void shouldReturnFalseWhenNothingComesInTime()
    {
        final ZMQ.Socket[] pair = pair("quiet");
        try (SocketWait wait = SocketWait.of(pair[1]))
        {
            assertThat(wait.await(50)).isFalse();
        }
    }

    @Test
    void shouldWakeWhenAMessageComesWhileItWaits() throws Exception
    {
        final ZMQ.Socket[] first = pair("first");
        final ZMQ.Socket[] second = pair("second");
        try (SocketWait wait = SocketWait.of(first[1], second[1]))
        {
            final CompletableFuture<Void> sent = CompletableFuture.runAsync(() ->
            {
                sleep(100);
                second[0].send("late");
            });
            assertThat(wait.await(TimeUnit.HOURS.toMillis(1))).isTrue();
            sent.get();
            assertThat(second[1].recvStr()).isEqualTo("late");
        }
    }

    @Test
    void shouldWakeWhenAChannelBecomesReadable() throws Exception
    {
        final ZMQ.Socket[] pair = pair("with-channel");
        final Pipe pipe = pipe();
        try (SocketWait wait = new SocketWait(new ZMQ.Socket[] {pair[1]}, pipe.source()))
        {
            final CompletableFuture<Void> rung = CompletableFuture.runAsync(() ->
            {
                sleep(100);
                write(pipe);
            });
            assertThat(wait.await(TimeUnit.HOURS.toMillis(1))).isTrue();
            rung.get();
        }
        finally
        {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void shouldReturnAtOnceWhenInterrupted() throws Exception
    {
        final Pipe pipe = pipe();
        try (SocketWait wait = new SocketWait(new ZMQ.Socket[0], pipe.source()))
        {
            Thread.currentThread().interrupt();
            assertThat(wait.await(TimeUnit.HOURS.toMillis(1))).isTrue();
        }
        finally
        {
            Thread.interrupted();
            pipe.source().close();
            pipe.sink().close();
        }
    }

    /**
     * JeroMQ's race, staged: the socket's wake-up pipe is readable while its events show no input yet (the writer
     * wrote the byte and has not counted it). The wait parks until the input shows, then returns it; a
     * {@code ZMQ.Poller} selects again at once in the same state. The input is counted only once the wait has asked
     * for it three times (before its first select, and after two selects that found the pipe readable), so the wait
     * has parked at least once however late its thread runs.
     */
    @Test
    void shouldParkWhileTheWakeUpIsReadableButNotYetCounted() throws Exception
    {
        final Pipe pipe = pipe();
        final StagedSocket socket = new StagedSocket(context, pipe.source());
        write(pipe);
        try (SocketWait wait = SocketWait.of(socket))
        {
            final CompletableFuture<Void> counted = CompletableFuture.runAsync(() ->
            {
                await().atMost(Duration.ofSeconds(20)).until(() -> socket.asked.get() >= 3);
                socket.events = ZMQ.Poller.POLLIN;
            });
            assertThat(wait.await(TimeUnit.HOURS.toMillis(1))).isTrue();
            counted.get();
            assertThat(wait.settles()).isPositive();
        }
        finally
        {
            socket.close();
            pipe.source().close();
            pipe.sink().close();
        }
    }

    private ZMQ.Socket[] pair(final String name)
    {
        final ZMQ.Socket writer = context.createSocket(SocketType.PAIR);
        final ZMQ.Socket reader = context.createSocket(SocketType.PAIR);
        reader.bind("inproc://socket-wait-" + name);
        writer.connect("inproc://socket-wait-" + name);
        return new ZMQ.Socket[] {writer, reader};
    }

    private static Pipe pipe() throws IOException
    {
        final Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        return pipe;
    }

    private static void write(final Pipe pipe)
    {
        try
        {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** A socket whose wake-up channel and events the test sets. */
    private static final class StagedSocket extends ZMQ.Socket
    {
        private final SelectableChannel channel;
        private final AtomicInteger asked = new AtomicInteger();
        private volatile int events;

        StagedSocket(final ZContext context, final SelectableChannel channel)
        {
            super(context, SocketType.PAIR);
            this.channel = channel;
        }

        @Override
        public SelectableChannel getFD()
        {
            return channel;
        }

        @Override
        public int getEvents()
        {
            asked.incrementAndGet();
            return events;
        }
    }
}
