package dev.feedhandler.cli;

import dev.feedhandler.common.socket.SocketSetup;
import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.PublisherContext;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.zeromq.ZContext;

import java.time.Duration;
import java.util.List;

/**
 * Publishers for the observability tests: a synthetic source of 12 instruments.
 */
final class Feeds
{
    static final int INSTRUMENTS = 12;

    private Feeds()
    {
    }

    /**
     * A publisher bound to an endpoint.
     *
     * @param bind        the endpoint.
     * @param rate        updates per second.
     * @param count       updates in all, 0 for no end.
     * @param subscribers subscribers to wait for before publishing.
     * @param context     a context to share, or null.
     * @param setup       socket setup (CURVE, event log).
     * @return the publisher, bound, not running.
     */
    static FeedPublisher publisher(
        final String bind, final long rate, final long count, final int subscribers, final ZContext context,
        final SocketSetup setup)
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(
            INSTRUMENTS, rate, 7, 0.2, 0, Duration.ofSeconds(1), count), registry, WallClock.shared());
        final PublisherConfiguration configuration = new PublisherConfiguration(
            new BatchConfiguration(64, 4096, 50_000),
            new SocketConfiguration(List.of(bind), 1_000_000, 1, 0, false, 2_000, Backpressure.DROP),
            Duration.ofMillis(100), subscribers, Duration.ofSeconds(30), null, "backoff");
        return new FeedPublisher(new PublisherContext().configuration(configuration).source(source)
            .registry(registry).zContext(context).socketSetup(setup));
    }
}
