package dev.feedhandler.subscriber.receive;

import dev.feedhandler.subscriber.Topic;
import dev.feedhandler.subscriber.sequence.TopicState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class TopicTableTest
{
    @Test
    void twentyThousandTopicsKeepTheirIdsAndOrder()
    {
        final TopicTable table = new TopicTable();
        final byte[] buffer = new byte[64];
        final int topics = 20_000;
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < topics; i++)
            {
                final int length = write(buffer, "SYM" + i);
                final TopicState state = table.lookup(buffer, length);
                assertThat(state.topic().id()).isEqualTo(i);
            }
        }

        final List<Topic> all = table.topics();
        assertThat(all).hasSize(topics);
        for (int i = 0; i < topics; i++)
        {
            assertThat(all.get(i).id()).isEqualTo(i);
            assertThat(all.get(i).symbol()).isEqualTo("SYM" + i);
        }
        assertThat(table.find("SYM19999".getBytes(StandardCharsets.US_ASCII)).topic().id()).isEqualTo(19_999);
        assertThat(table.find("NOPE".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    @Test
    void aViewTakenEarlierKeepsWhatItHadAndCannotBeChanged()
    {
        final TopicTable table = new TopicTable();
        final byte[] buffer = new byte[64];
        table.lookup(buffer, write(buffer, "A"));
        final List<Topic> early = table.topics();
        for (int i = 0; i < 200; i++)
        {
            table.lookup(buffer, write(buffer, "T" + i));
        }

        assertThat(early).extracting(Topic::symbol).containsExactly("A");
        assertThat(table.topics()).hasSize(201);
        assertThatThrownBy(() -> early.add(new Topic(9, "X"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readersOnAnotherThreadSeeEveryTopicBelowTheCount() throws InterruptedException
    {
        final TopicTable table = new TopicTable();
        final int topics = 50_000;
        final Thread writer = new Thread(() ->
        {
            final byte[] buffer = new byte[64];
            for (int i = 0; i < topics; i++)
            {
                table.lookup(buffer, write(buffer, "W" + i));
            }
        });
        writer.start();
        int seen = 0;
        while (seen < topics)
        {
            final List<Topic> view = table.topics();
            for (int i = seen; i < view.size(); i++)
            {
                assertThat(view.get(i)).isNotNull();
                assertThat(view.get(i).id()).isEqualTo(i);
            }
            seen = view.size();
        }
        writer.join();
    }

    private static int write(final byte[] buffer, final String symbol)
    {
        final byte[] bytes = symbol.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        return bytes.length;
    }
}
