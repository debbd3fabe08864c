package dev.feedhandler.publisher;

import dev.feedhandler.common.time.WallClock;
import dev.feedhandler.publisher.batch.BatchConfiguration;
import dev.feedhandler.publisher.source.InstrumentRegistry;
import dev.feedhandler.publisher.source.SyntheticConfiguration;
import dev.feedhandler.publisher.source.SyntheticSource;
import dev.feedhandler.publisher.transport.Backpressure;
import dev.feedhandler.publisher.transport.SocketConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publisher stopped before it ran, or before it was even built (a signal during its process's start-up): its
 * summary has the keys of a run's, at zero, and says it was stopped.
 */
@Timeout(30)
class FeedPublisherStoppedBeforeRunTest
{
    private final InstrumentRegistry registry = new InstrumentRegistry();
    private final SyntheticSource source = new SyntheticSource(new SyntheticConfiguration(3, 1000, 1, 0.2, 0,
        Duration.ofSeconds(1), 0), registry, WallClock.shared());

    @Test
    void shouldSayAPublisherAskedToStopBeforeItRanWasStopped()
    {
        final Map<String, Object> summary;
        try (ZContext context = new ZContext())
        {
            final FeedPublisher publisher = new FeedPublisher(new PublisherContext().configuration(configuration())
                .source(source).registry(registry).zContext(context));
            publisher.requestStop();
            publisher.close();
            summary = publisher.summary();
        }

        assertThat(summary).containsEntry("stopReason", "stopped").containsEntry("published", 0L)
            .containsEntry("batches", 0L).containsEntry("elapsedSeconds", 0.0).containsEntry("bytesSent", 0L);
        assertThat((List<?>)summary.get("endpoints")).hasSize(1);
    }

    @Test
    void shouldSummariseAPublisherNeverBuiltWithTheKeysOfOneThatWas()
    {
        final Map<String, Object> built;
        try (ZContext context = new ZContext())
        {
            final FeedPublisher publisher = new FeedPublisher(new PublisherContext().configuration(configuration())
                .source(source).registry(registry).zContext(context));
            publisher.requestStop();
            publisher.close();
            built = publisher.summary();
        }
        final Map<String, Object> neverBuilt = FeedPublisher.summaryBeforeStart(source, null);

        assertThat(new ArrayList<>(neverBuilt.keySet())).isEqualTo(new ArrayList<>(built.keySet()));
        for (final String key : neverBuilt.keySet())
        {
            if (!List.of("endpoints", "sessionEpoch").contains(key))
            {
                assertThat(neverBuilt.get(key)).as(key).isEqualTo(built.get(key));
            }
        }
        assertThat(neverBuilt).containsEntry("endpoints", List.of()).containsEntry("sessionEpoch", 0L)
            .containsEntry("source", "synthetic");
    }

    private static PublisherConfiguration configuration()
    {
        return new PublisherConfiguration(new BatchConfiguration(16, 4096, BatchConfiguration.DEFAULT_LINGER_NS),
            new SocketConfiguration(List.of("inproc://stopped-before-run"), 4, 1, 0, false, 0, Backpressure.DROP),
            Duration.ofSeconds(1), 0, Duration.ofSeconds(30), null, PublisherConfiguration.DEFAULT_IDLE_STRATEGY);
    }
}
