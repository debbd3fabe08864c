package dev.feedhandler.publisher;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.common.wire.ConflatedWriter;
import dev.feedhandler.publisher.batch.Publication;
import dev.feedhandler.publisher.conflate.ConflatingPublication;
import dev.feedhandler.publisher.conflate.ConflationConfiguration;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.publisher.transport.XPubPublication;
import org.zeromq.ZContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The publisher's conflated stream ({@code --conflated-bind}): its XPUB socket and the {@link ConflatingPublication}
 * that sits on the feed's chain, driven by the publisher's duty cycle. Its socket always drops (PUB semantics,
 * whatever the feed's back-pressure policy): a slow link loses conflated messages, which the next one supersedes and
 * subscribers see, and never holds up the feed. Publisher thread only, after construction.
 */
final class ConflatedStream implements AutoCloseable
{
    private final XPubPublication socket;
    private final long intervalNs;
    private ConflatingPublication conflating;

    /**
     * Binds the stream's socket.
     *
     * @param conflation the stream's settings.
     * @param feed       the feed socket's settings (I/O threads and their policy, keep-alive, close linger are shared).
     * @param context    the ZeroMQ context to share, or null to own one.
     */
    ConflatedStream(final ConflationConfiguration conflation, final SocketConfiguration feed, final ZContext context)
    {
        final SocketConfiguration configuration = new SocketConfiguration(conflation.endpoints(),
            conflation.sendHwm(), feed.ioThreads(), 0, feed.tcpKeepAlive(), feed.closeLingerMs(), Backpressure.DROP)
            .withIoThreadPolicy(feed.ioThreadPolicy());
        this.socket = new XPubPublication(configuration, context, ConflatedWriter.CONFLATED_WITH_QUOTE_LENGTH,
            conflation.socketSetup());
        this.intervalNs = conflation.interval().toNanos();
    }

    /**
     * Puts the conflation on the feed's chain.
     *
     * @param feedChain where every frame goes on to.
     * @param clock     epoch clock for send timestamps.
     * @return the publication the batcher sends to.
     */
    Publication wrap(final Publication feedChain, final WallClock clock)
    {
        conflating = new ConflatingPublication(feedChain, socket, intervalNs, clock);
        return conflating;
    }

    int flushDue(final long nowNs)
    {
        return conflating.flushDue(nowNs);
    }

    int pollSubscriptions()
    {
        final int work = socket.pollSubscriptions();
        conflating.subscribers(socket.subscriberCount());
        return work;
    }

    int subscriberCount()
    {
        return socket.subscriberCount();
    }

    List<String> endpoints()
    {
        return socket.boundEndpoints();
    }

    ConflatingPublication publication()
    {
        return conflating;
    }

    Map<String, Object> summary()
    {
        final Map<String, Object> stream = new LinkedHashMap<>();
        stream.put("endpoints", socket.boundEndpoints());
        stream.put("intervalMs", conflating.intervalNs() / 1_000_000.0);
        stream.put("messages", conflating.messagesSent());
        stream.put("quotes", conflating.quotesSent());
        stream.put("updatesCovered", conflating.updatesCovered());
        stream.put("tradesCounted", conflating.tradesCounted());
        stream.put("bytesSent", conflating.bytesSent());
        stream.put("subscribers", socket.subscriberCount());
        return stream;
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
