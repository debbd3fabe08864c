package dev.feedhandler.cli.subscribe;

import dev.feedhandler.subscriber.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class TopicCountsTest
{
    @Test
    void countsEveryUpdateOfTopicsBeyondTheInitialArrays()
    {
        final TopicCounts counts = new TopicCounts();
        final int topics = 20_000;
        for (int round = 1; round <= 2; round++)
        {
            for (int id = 0; id < topics; id++)
            {
                counts.onDelivered(new Topic(id, "SYM" + id));
            }
        }
        counts.addConflated(new Topic(topics + 5, "LATE"), 3);
        counts.addDropped(new Topic(700, "SYM700"), 2);

        final Map<String, Object> delivered = counts.delivered();
        assertThat(delivered).hasSize(topics);
        assertThat(delivered.values()).allMatch(count -> (Long)count == 2L);
        assertThat(counts.dropped()).containsExactly(Map.entry("SYM700", 2L));
    }

    @Test
    void countsTopicsThatArriveOutOfIdOrder()
    {
        final TopicCounts counts = new TopicCounts();
        counts.onDelivered(new Topic(1_000, "B"));
        counts.onDelivered(new Topic(3, "A"));
        counts.onDelivered(new Topic(1_000, "B"));
        counts.onDelivered(new Topic(100_000, "C"));

        assertThat(counts.delivered()).containsExactly(Map.entry("A", 1L), Map.entry("B", 2L), Map.entry("C", 1L));
    }
}
