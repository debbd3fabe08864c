package dev.feedhandler.subscriber;

import dev.feedhandler.common.wire.WireFormat;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A bare XPUB socket for tests: sends any frames, well-formed or not, once a subscriber has said hello.
 */
final class RawPublisher implements AutoCloseable
{
    private final ZContext context = new ZContext();
    private final ZMQ.Socket socket;
    private final String endpoint;

    RawPublisher()
    {
        context.setLinger(1000);
        socket = context.createSocket(SocketType.XPUB);
        socket.setXpubVerbose(true);
        socket.bind("tcp://127.0.0.1:*");
        endpoint = socket.getLastEndpoint();
    }

    String endpoint()
    {
        return endpoint;
    }

    /**
     * Waits for a hello subscription (the subscriber is fully subscribed).
     */
    void awaitHello(final Duration timeout)
    {
        final byte[] hello = WireFormat.HELLO_TOPIC_PREFIX.getBytes(StandardCharsets.US_ASCII);
        socket.setReceiveTimeOut(100);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            final byte[] message = socket.recv(0);
            if (message != null && message.length > hello.length && message[0] == 1 &&
                Arrays.equals(Arrays.copyOfRange(message, 1, 1 + hello.length), hello))
            {
                return;
            }
        }
        throw new AssertionError("no subscriber said hello within " + timeout);
    }

    /**
     * Looks for a hello subscription for a short while (for a test whose own loop must keep running meanwhile).
     *
     * @param timeoutMs how long to wait.
     * @return true if a subscriber said hello.
     */
    boolean pollHello(final int timeoutMs)
    {
        final byte[] hello = WireFormat.HELLO_TOPIC_PREFIX.getBytes(StandardCharsets.US_ASCII);
        socket.setReceiveTimeOut(timeoutMs);
        byte[] message;
        while ((message = socket.recv(0)) != null)
        {
            if (message.length > hello.length && message[0] == 1 &&
                Arrays.equals(Arrays.copyOfRange(message, 1, 1 + hello.length), hello))
            {
                return true;
            }
        }
        return false;
    }

    void send(final String topic, final byte[] payload)
    {
        socket.send(topic.getBytes(StandardCharsets.US_ASCII), ZMQ.SNDMORE);
        socket.send(payload, 0);
    }

    void sendFrames(final byte[]... frames)
    {
        for (int i = 0; i < frames.length; i++)
        {
            socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    @Override
    public void close()
    {
        context.close();
    }
}
