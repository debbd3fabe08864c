package dev.feedhandler.perf.baseline;

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
import dev.feedhandler.subscriber.FeedListener;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import org.zeromq.ZContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The feed over {@code inproc://}: publisher and subscriber in one JVM sharing a ZeroMQ context, which is the only
 * way inproc works. Same publisher, batcher and subscriber as the separate-process runs, same latency recording
 * (per batch, from the send and from the intended time); prints a summary like {@code feed subscribe}'s, with the
 * publisher's summary under {@code publisher}.
 */
public final class InprocFeed
{
    private InprocFeed()
    {
    }

    /**
     * Runs one session.
     *
     * @param args {@code --rate R --duration D --warmup D --instruments N --batch-max-updates N --hgrm F}.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final BaselineArgs options = new BaselineArgs(args);
        final String hgrm = options.string("hgrm", null);
        final String hlog = options.string("hlog", null);
        final long warmupNs = options.nanos("warmup", "0s");
        final BaselineStats stats = new BaselineStats(warmupNs, hgrm == null ? null : Path.of(hgrm),
            hlog == null ? null : Path.of(hlog));
        final WallClock clock = WallClock.shared();
        final CountDownLatch ended = new CountDownLatch(1);
        final FeedListener listener = new FeedListener()
        {
            private long sendNs;
            private long firstSourceNs;
            private int updates;

            @Override
            public void onBatchStart(final Topic topic, final long epoch, final long first, final int count,
                final long sendTimestampNs)
            {
                sendNs = sendTimestampNs;
                updates = 0;
            }

            @Override
            public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
            {
                if (updates++ == 0)
                {
                    firstSourceNs = quote.sourceTimestampNs();
                }
            }

            @Override
            public void onTrade(final Topic topic, final long sequence, final TradeView trade)
            {
                if (updates++ == 0)
                {
                    firstSourceNs = trade.sourceTimestampNs();
                }
            }

            @Override
            public void onBatchEnd(final Topic topic)
            {
                stats.record(clock.nanoTime(), sendNs, firstSourceNs, updates);
            }

            @Override
            public void onSessionEnd(final long sessionEpoch)
            {
                ended.countDown();
            }
        };

        final String endpoint = "inproc://bench-" + ProcessHandle.current().pid();
        final InstrumentRegistry registry = new InstrumentRegistry();
        final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(
            options.integer("instruments", 10), options.rate("rate", "100k"), 42, 0.1, 0, Duration.ofSeconds(1), 0),
            registry, clock);
        final PublisherConfiguration configuration = new PublisherConfiguration(
            new BatchConfiguration(options.integer("batch-max-updates", BatchConfiguration.DEFAULT_MAX_UPDATES),
                BatchConfiguration.DEFAULT_MAX_BYTES, BatchConfiguration.DEFAULT_LINGER_NS,
                BatchConfiguration.DEFAULT_MAX_MESSAGES_PER_SECOND),
            new SocketConfiguration(List.of(endpoint), SocketConfiguration.DEFAULT_SEND_HWM, 1, 0, false, 2000,
                Backpressure.valueOf(options.string("backpressure", "drop").toUpperCase())),
            Duration.ofSeconds(1), 1, Duration.ofSeconds(30), Duration.ofNanos(options.nanos("duration", "10s")),
            options.string("idle", PublisherConfiguration.DEFAULT_IDLE_STRATEGY));
        try (ZContext context = new ZContext())
        {
            context.setLinger(2000);
            final FeedPublisher publisher = new FeedPublisher(new PublisherContext().configuration(configuration)
                .source(source).registry(registry).zContext(context));
            publisher.measureAfter(Duration.ofNanos(warmupNs));
            final FeedSubscriber subscriber = FeedSubscriber.builder()
                .context(context)
                .endpoint(endpoint)
                .listener(listener)
                .build()
                .start();
            try
            {
                publisher.run();
                ended.await(30, TimeUnit.SECONDS);
            }
            finally
            {
                subscriber.close();
            }
            stats.finish("feed-inproc", Map.of(
                "gapsDetected", subscriber.counters().gapsDetected(),
                "decodeErrors", subscriber.counters().decodeErrors(),
                "publisher", publisher.summary()));
        }
        System.out.flush();
    }
}
