package dev.feedhandler.cli;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.FeedPublisher;
import dev.feedhandler.publisher.PublisherConfiguration;
import dev.feedhandler.publisher.PublisherContext;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.conflate.ConflationConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import dev.feedhandler.subscriber.FeedSubscriber;
import dev.feedhandler.subscriber.QuoteView;
import dev.feedhandler.subscriber.SubscriberBuilder;
import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.TradeView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conflation end to end, a real publisher and a real subscriber over tcp in one JVM: a listener far too slow for the
 * feed ends with the publisher's exact last quote of every instrument, with every update accounted for (delivered,
 * merged into a later quote, or reported), each topic in sequence order; and the same with the publisher's
 * conflated stream, which sends a topic at most once per interval.
 */
@Timeout(120)
class ConflationEndToEndTest
{
    private static final long SEED = 11;
    private static final int INSTRUMENTS = 12;
    private static final long LISTENER_NS = 200_000;

    @Test
    void shouldEndWithThePublishersLastQuoteOfEveryInstrumentForASlowListener() throws Exception
    {
        final long count = 20_000;
        final SlowListener listener = new SlowListener(LISTENER_NS);
        final Run run = new Run(count, Long.MAX_VALUE, null, builder -> builder.conflate(true));
        run.execute(listener, false);

        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
        listener.assertAccountsFor(expected, true);
        assertThat(run.subscriberCounters.conflation().updatesConflated()).as("the listener must be overloaded")
            .isPositive();
        assertThat(run.subscriberCounters.conflation().tradesDropped()).isZero();
        assertThat(run.subscriberCounters.gapsDetected()).isZero();
        assertThat(listener.conflated).isEqualTo(run.subscriberCounters.conflation().updatesConflated());
        // Every trade, in order.
        for (final Map.Entry<String, List<String>> topic : expected.entrySet())
        {
            assertThat(trades(listener.byTopic().get(topic.getKey()))).as(topic.getKey())
                .isEqualTo(trades(topic.getValue()));
        }
    }

    @Test
    void shouldDropAndReportTradesPastTheBoundAndStillEndWithEveryLastQuote() throws Exception
    {
        final long count = 20_000;
        final SlowListener listener = new SlowListener(LISTENER_NS);
        final Run run = new Run(count, Long.MAX_VALUE, null,
            builder -> builder.conflate(true).conflateMaxTrades(50));
        run.execute(listener, false);

        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
        listener.assertAccountsFor(expected, true);
        assertThat(run.subscriberCounters.conflation().tradesDropped()).as("the bound must be reached").isPositive();
        assertThat(listener.dropped).isEqualTo(run.subscriberCounters.conflation().tradesDropped());
        assertThat(run.subscriberCounters.gapsDetected()).isZero();
    }

    @Test
    void shouldServeTheConflatedStreamAtMostOncePerIntervalEndingWithEveryLastQuote() throws Exception
    {
        final long count = 20_000;
        final Duration interval = Duration.ofMillis(50);
        final SlowListener listener = new SlowListener(0);
        final Run run = new Run(count, 20_000, interval, UnaryOperator.identity());
        final long startNs = System.nanoTime();
        run.execute(listener, true);
        final long elapsedNs = System.nanoTime() - startNs;

        final Map<String, List<String>> expected = new ExpectedFeed(INSTRUMENTS, SEED, count).byTopic();
        listener.assertAccountsFor(expected, false);
        assertThat(listener.counted).as("the stream counts trades instead of sending them").isPositive();
        assertThat(run.subscriberCounters.gapsDetected()).isZero();
        final long intervals = elapsedNs / interval.toNanos();
        for (final Map.Entry<String, List<String>> topic : listener.byTopic().entrySet())
        {
            assertThat(trades(topic.getValue())).as("no trade is sent on the conflated stream").isEmpty();
            // At most once per interval, plus the end of the session's own.
            assertThat((long)listener.messages.get(topic.getKey()).size()).as(topic.getKey())
                .isLessThanOrEqualTo(intervals + 2);
        }
        @SuppressWarnings("unchecked")
        final Map<String, Object> stream = (Map<String, Object>)run.summary.get("conflated");
        assertThat(stream.get("updatesCovered")).isEqualTo(count);
    }

    private static List<String> trades(final List<String> updates)
    {
        return updates.stream().filter(u -> u.contains(" T ")).toList();
    }

    private static long sequence(final String update)
    {
        return Long.parseLong(update.split(" ")[1]);
    }

    /**
     * A listener that takes its time over every update and keeps what conflation tells it.
     */
    private static final class SlowListener extends UpdateRecorder
    {
        final long workNs;
        final Map<String, Long> replaced = new ConcurrentHashMap<>();
        final Map<String, Long> omitted = new ConcurrentHashMap<>();
        final Map<String, List<Long>> messages = new ConcurrentHashMap<>();
        volatile long conflated;
        volatile long dropped;
        volatile long counted;

        SlowListener(final long workNs)
        {
            this.workNs = workNs;
        }

        @Override
        public void onBatchStart(final Topic topic, final long sessionEpoch, final long firstSequence,
            final int updateCount, final long sendTimestampNs)
        {
            messages.computeIfAbsent(topic.symbol(), k -> new ArrayList<>()).add(sendTimestampNs);
        }

        @Override
        public void onConflatedQuote(final Topic topic, final long sequence, final QuoteView quote,
            final long replacedQuotes)
        {
            replaced.merge(topic.symbol(), replacedQuotes, Long::sum);
            conflated += replacedQuotes;
            onQuote(topic, sequence, quote);
        }

        @Override
        public void onTradesOmitted(final Topic topic, final long upToSequence, final long trades,
            final boolean wasDropped)
        {
            omitted.merge(topic.symbol(), trades, Long::sum);
            if (wasDropped)
            {
                dropped += trades;
            }
            else
            {
                counted += trades;
                conflated += trades;
            }
        }

        @Override
        public void onQuote(final Topic topic, final long sequence, final QuoteView quote)
        {
            work();
            super.onQuote(topic, sequence, quote);
        }

        @Override
        public void onTrade(final Topic topic, final long sequence, final TradeView trade)
        {
            work();
            super.onTrade(topic, sequence, trade);
        }

        private void work()
        {
            if (workNs > 0)
            {
                LockSupport.parkNanos(workNs);
            }
        }

        /**
         * Each topic: deliveries in sequence order, every update delivered, merged or reported, and the last quote
         * delivered the publisher's last.
         */
        void assertAccountsFor(final Map<String, List<String>> expected, final boolean tradesDelivered)
        {
            assertThat(byTopic().keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (final Map.Entry<String, List<String>> topic : expected.entrySet())
            {
                final String symbol = topic.getKey();
                final List<String> delivered = byTopic().get(symbol);
                for (int i = 1; i < delivered.size(); i++)
                {
                    assertThat(sequence(delivered.get(i))).as(symbol + " in order")
                        .isGreaterThan(sequence(delivered.get(i - 1)));
                }
                assertThat(delivered.size() + replaced.getOrDefault(symbol, 0L) + omitted.getOrDefault(symbol, 0L))
                    .as(symbol + ": every update accounted for").isEqualTo(topic.getValue().size());
                final List<String> quotes = topic.getValue().stream().filter(u -> u.contains(" Q ")).toList();
                final List<String> deliveredQuotes = delivered.stream().filter(u -> u.contains(" Q ")).toList();
                assertThat(deliveredQuotes.get(deliveredQuotes.size() - 1)).as(symbol + ": the publisher's last quote")
                    .isEqualTo(quotes.get(quotes.size() - 1));
                if (!tradesDelivered)
                {
                    assertThat(trades(delivered)).isEmpty();
                }
            }
            assertThat(badTimestamps()).isEmpty();
        }
    }

    /**
     * One publisher session and one subscriber, of the feed or of the conflated stream.
     */
    private static final class Run
    {
        final long count;
        final long rate;
        final Duration interval;
        final UnaryOperator<SubscriberBuilder> settings;
        dev.feedhandler.subscriber.SubscriberCounters subscriberCounters;
        Map<String, Object> summary;

        Run(final long count, final long rate, final Duration interval,
            final UnaryOperator<SubscriberBuilder> settings)
        {
            this.count = count;
            this.rate = rate;
            this.interval = interval;
            this.settings = settings;
        }

        void execute(final UpdateRecorder listener, final boolean conflatedStream) throws Exception
        {
            final ZContext context = new ZContext();
            context.setLinger(2_000);
            final ExecutorService executor = Executors.newSingleThreadExecutor();
            FeedSubscriber subscriber = null;
            try
            {
                final InstrumentRegistry registry = new InstrumentRegistry();
                final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(
                    INSTRUMENTS, rate, SEED, 0.2, 0, Duration.ofSeconds(1), count), registry, WallClock.shared());
                final PublisherConfiguration configuration = new PublisherConfiguration(
                    new BatchConfiguration(64, 4096, 50_000),
                    new SocketConfiguration(List.of("tcp://127.0.0.1:*"), 1_000_000, 1, 0, false, 2_000,
                        Backpressure.DROP),
                    Duration.ofMillis(200), 1, Duration.ofSeconds(60), null, "backoff");
                final FeedPublisher publisher = new FeedPublisher(new PublisherContext().configuration(configuration)
                    .source(source).registry(registry).zContext(context).conflation(interval == null ? null :
                    new ConflationConfiguration(List.of("tcp://127.0.0.1:*"), interval, 0, null)));
                final String endpoint = conflatedStream ? publisher.conflatedEndpoints().get(0) :
                    publisher.boundEndpoints().get(0);
                subscriber = settings.apply(FeedSubscriber.builder()
                    .context(context)
                    .endpoint(endpoint)
                    .listener(listener))
                    .build()
                    .start();
                subscriberCounters = subscriber.counters();

                final Future<FeedPublisher.StopReason> done = executor.submit(publisher::run);
                assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(FeedPublisher.StopReason.EXHAUSTED);
                publisher.close();
                summary = publisher.summary();
                assertThat(listener.sessionEnded().await(60, TimeUnit.SECONDS))
                    .as("the subscriber saw the end of the session").isTrue();
            }
            finally
            {
                if (subscriber != null)
                {
                    subscriber.close();
                }
                executor.shutdownNow();
                context.close();
            }
        }
    }
}
